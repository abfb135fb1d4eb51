using Microsoft.Extensions.Logging.Console;

namespace Provenance.Host.Composition;

/// <summary>
/// Honours <c>Logging:Console:FormatterName</c>: <c>simple</c> (default, for a terminal), <c>systemd</c> (one line per
/// entry with a syslog priority prefix that journald reads) or <c>json</c> (one JSON object per line for log shippers,
/// with event ids and the <see cref="Ingestion.IngestionLogScope"/> scopes). The slim host fixes the simple formatter,
/// so the configured name is applied after it.
/// </summary>
internal static class ConsoleLogFormat
{
    public const string Key = "Logging:Console:FormatterName";
    private static readonly string[] Names = [ConsoleFormatterNames.Simple, ConsoleFormatterNames.Systemd, ConsoleFormatterNames.Json];

    public static void AddConsoleLogFormat(this IServiceCollection services, IConfiguration configuration)
    {
        services.PostConfigure<ConsoleLoggerOptions>(o =>
        {
            var name = configuration[Key];
            if (!string.IsNullOrEmpty(name))
            {
                o.FormatterName = name.ToLowerInvariant();
            }
        });
        services.PostConfigure<JsonConsoleFormatterOptions>(o =>
            o.IncludeScopes = configuration.GetValue("Logging:Console:FormatterOptions:IncludeScopes", true));
        services.AddOptions<ConsoleLoggerOptions>()
            .Validate(o => o.FormatterName is null || Names.Contains(o.FormatterName), $"{Key} must be simple, systemd or json (environment: Logging__Console__FormatterName)")
            .ValidateOnStart();
    }
}
