namespace Provenance.Core.Twins;

/// <summary>IoT Hub's rules for direct methods: names, and how long the caller may wait for the device's answer.</summary>
public static class DirectMethods
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan MinTimeout = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromSeconds(300);

    /// <summary>1–100 characters of letters, digits, '-' and '_' (a name ends up inside an MQTT topic).</summary>
    public static bool IsValidName(string? name) =>
        name is { Length: > 0 and <= 100 } && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
