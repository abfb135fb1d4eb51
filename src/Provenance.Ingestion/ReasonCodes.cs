namespace Provenance.Ingestion;

/// <summary>The stable reason codes of the dead-letter store (README, "Gateway protocol").</summary>
public static class ReasonCodes
{
    public const string Malformed = "malformed";
    public const string Oversized = "oversized";
    public const string BadTopic = "bad_topic";
    public const string WrongTopic = "wrong_topic";
    public const string UnknownGateway = "unknown_gateway";
    public const string RevokedGateway = "revoked_gateway";
    public const string UnsupportedAlgorithm = "unsupported_alg";
    public const string BadSignature = "bad_signature";
    public const string Stale = "stale";
    public const string Future = "future";
    public const string CounterfeitTag = "counterfeit_tag";
    public const string UnauthenticatedTag = "unauthenticated_tag";
    public const string UnknownTag = "unknown_tag";
    public const string BadNmea = "bad_nmea";
    public const string Conflict = "conflict";
    public const string Unprocessable = "unprocessable";
    public const string InfluxRejected = "influx_rejected";
    public const string InfluxUnrepresentable = "influx_unrepresentable";
}
