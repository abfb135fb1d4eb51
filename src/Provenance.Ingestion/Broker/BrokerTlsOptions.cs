using System.ComponentModel.DataAnnotations;

namespace Provenance.Ingestion.Broker;

/// <summary>
/// The embedded broker's TLS listener, section <c>Broker:Tls</c>. A gateway authenticates either with its MQTT secret
/// (over TLS or not) or, when <see cref="ClientCaPath"/> is set, with an X.509 client certificate issued by that CA
/// whose subject common name is the gateway id (no secret needed then). A revoked gateway is refused either way.
/// </summary>
public sealed class BrokerTlsOptions
{
    /// <summary>Serve MQTT over TLS on <see cref="Port"/>.</summary>
    public bool Enabled { get; set; }

    /// <summary>TLS port; 0 picks a free one (tests).</summary>
    [Range(0, 65535)]
    public int Port { get; set; } = 8883;

    /// <summary>The server certificate: a PEM file (with <see cref="KeyPath"/>, or the key in the same file) or a PKCS#12 file (.pfx/.p12).</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The server certificate's private key (PEM), when not in <see cref="CertificatePath"/>.</summary>
    public string? KeyPath { get; set; }

    /// <summary>Password of a PKCS#12 file or an encrypted PEM key (from a secret store, never committed).</summary>
    public string? Password { get; set; }

    /// <summary>PEM file of the CA(s) that issue gateway client certificates. Unset: client certificates are not requested.</summary>
    public string? ClientCaPath { get; set; }

    /// <summary>Refuse TLS connections without a valid client certificate (needs <see cref="ClientCaPath"/>).</summary>
    public bool RequireClientCertificate { get; set; }
}
