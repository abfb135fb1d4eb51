namespace Provenance.Host.Composition.Settings;

/// <summary>Logs, once at start, every configuration key under the product's sections that no setting has.</summary>
internal static partial class UnknownSettingReport
{
    public static IReadOnlyList<UnknownSetting> Log(IConfiguration configuration, IReadOnlyDictionary<string, IReadOnlyList<Type>> sections, ILogger logger)
    {
        var unknown = UnknownSettingFinder.Find(configuration, sections);
        foreach (var setting in unknown)
        {
            LogUnknown(logger, setting.ToString());
        }

        return unknown;
    }

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Configuration key {Key} is not a setting of Provenance and is ignored; check its spelling against appsettings.json")]
    private static partial void LogUnknown(ILogger logger, string key);
}
