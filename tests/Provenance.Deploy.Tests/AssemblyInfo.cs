// The deploy tests start Linux programs (mosquitto, systemd-analyze, libseccomp, unshare) and check Unix file modes.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
