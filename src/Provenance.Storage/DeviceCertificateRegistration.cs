namespace Provenance.Storage;

/// <summary>A gateway's IoT Hub X.509 registration: a self-signed certificate's thumbprint, or null for a CA-signed one named by its common name.</summary>
public sealed record DeviceCertificateRegistration(string? Thumbprint);
