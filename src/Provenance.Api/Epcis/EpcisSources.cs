namespace Provenance.Api.Epcis;

/// <summary>Who produced an event in the repository (kept with it; never shown to partners as-is).</summary>
public static class EpcisSources
{
    public const string Producer = "producer";
    public const string Ingestion = "ingestion";

    public static string Capture(string apiKeyId) => "capture:" + apiKeyId;
}
