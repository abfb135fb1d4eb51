using System.Runtime.InteropServices;

namespace Provenance.Bench.Harness;

/// <summary>A description of the machine and the versions the figures were measured with.</summary>
public static class MachineInfo
{
    public static IReadOnlyList<string> Describe()
    {
        var cpu = ReadFirst("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString();
        var memory = ReadFirst("/proc/meminfo", "MemTotal") ?? "?";
        return
        [
            $"- machine: {cpu.Trim()}, {Environment.ProcessorCount} logical CPUs (shared), memory {memory.Trim()}",
            $"- OS: {RuntimeInformation.OSDescription}; .NET {RuntimeInformation.FrameworkDescription}",
            $"- mosquitto: {Version(MosquittoProcess.Executable, "-h")}; wrk: {Version("wrk", "-v")}",
            $"- packages: MQTTnet 5.2.0.1603, Microsoft.Data.Sqlite 10.0.15, QRCoder 1.8.1, BenchmarkDotNet 0.15.8",
            $"- commit: {Git("rev-parse --short HEAD")} on {Git("rev-parse --abbrev-ref HEAD")}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC",
        ];
    }

    private static string? ReadFirst(string path, string key)
    {
        try
        {
            return File.ReadLines(path).FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal))?.Split(':', 2)[1];
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static string Version(string exe, string flag)
    {
        try
        {
            var r = ProcessRunner.RunAsync(exe, [flag]).GetAwaiter().GetResult();
            var text = (r.StandardOutput + r.StandardError).Split('\n').FirstOrDefault(l => l.Contains("version", StringComparison.OrdinalIgnoreCase) || l.StartsWith("wrk", StringComparison.Ordinal));
            return text?.Trim() ?? "?";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "not installed";
        }
    }

    private static string Git(string args)
    {
        try
        {
            var r = ProcessRunner.RunAsync("git", args.Split(' '), RepoPaths.Root).GetAwaiter().GetResult();
            return r.StandardOutput.Trim();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "?";
        }
    }
}
