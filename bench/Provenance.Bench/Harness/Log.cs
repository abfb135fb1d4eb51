namespace Provenance.Bench.Harness;

/// <summary>Progress lines on standard error, so that standard output carries only the results table.</summary>
public static class Log
{
    public static void Info(string message) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");
}
