namespace Provenance.Core.Signing;

/// <summary>Why a compact JWS was refused, in the categories both verifiers (this one and the chaincode's) report.</summary>
public enum JwsFailure
{
    /// <summary>Accepted.</summary>
    None,

    /// <summary>Not a strict compact serialisation: encoding, header JSON, header members.</summary>
    Malformed,

    /// <summary>The header's <c>alg</c> is missing or is not ES256.</summary>
    UnsupportedAlgorithm,

    /// <summary>The signature is not a 64-byte ES256 signature, or does not verify.</summary>
    BadSignature,
}
