namespace Provenance.Core.Signing;

/// <summary>A decoded compact JWS: the signer's key id, the payload bytes, the signing input and the raw signature.</summary>
public sealed record JwsToken(string KeyId, byte[] Payload, byte[] SigningInput, byte[] Signature);
