// Every test starts real servers (mosquitto, influxd, provenance serve); on two cores they run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

// The walkthrough runs the systemd sandbox (UnitSandbox) and checks Unix file modes: Linux only, like mosquitto and influxd.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
