namespace Provenance.Host.Cli;

/// <summary>
/// While <c>serve</c> starts, the host's own "Hosting failed to start" error (with its stack trace) is held back:
/// <see cref="StartFailure"/> prints one line that names the setting instead, and anything it cannot describe is
/// printed in full by <c>serve</c>. Outside that window the host logs as configured.
/// </summary>
internal static class StartupLog
{
    public const string HostCategory = "Microsoft.Extensions.Hosting.Internal.Host";

    private static volatile bool _starting;

    public static void Starting(bool starting) => _starting = starting;

    public static void AddStartupLogFilter(this ILoggingBuilder logging) =>
        logging.AddFilter(HostCategory, level => level >= LogLevel.Information && !(_starting && level >= LogLevel.Error));
}
