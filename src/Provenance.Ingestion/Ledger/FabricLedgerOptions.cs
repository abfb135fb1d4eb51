using System.ComponentModel.DataAnnotations;
using Provenance.Fabric;

namespace Provenance.Ingestion.Ledger;

/// <summary>
/// The <c>fabric</c> ledger engine's connection and batching (section <c>Ledger:Fabric</c>; <c>Ledger:Engine</c>
/// selects <c>embedded</c> or <c>fabric</c>). Bind from configuration and validate at start-up; every message names
/// the setting to fix. Not thread-safe to mutate; treat as immutable once bound.
/// </summary>
public sealed class FabricLedgerOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Ledger:Fabric";

    /// <summary>The configuration key that selects the ledger engine: <c>embedded</c> (default) or <c>fabric</c>.</summary>
    public const string EngineKey = "Ledger:Engine";

    /// <summary>
    /// The Fabric Gateway peer: <c>https://host:port</c>, or <c>host:port</c> (TLS, as Fabric peers run), or
    /// <c>http://host:port</c> for a peer without TLS.
    /// </summary>
    [Required(ErrorMessage = "Ledger:Fabric:Endpoint is required: the gateway peer's address, e.g. https://peer0.org1.example.com:7051 or 127.0.0.1:7051.")]
    public string? Endpoint { get; set; }

    /// <summary><see cref="Endpoint"/> as an absolute http(s) address (<c>host:port</c> means https), or null when it is not one.</summary>
    public Uri? EndpointUri =>
        Endpoint is null ? null
        : Uri.TryCreate(Endpoint, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri
        : Uri.TryCreate("https://" + Endpoint, UriKind.Absolute, out var bare) && bare.Port > 0 && !Endpoint.Contains("://", StringComparison.Ordinal) ? bare
        : null;

    /// <summary>PEM bundle of the peer organisation's TLS CA (https endpoints); empty trusts the system store.</summary>
    public string? TlsCaPath { get; set; }

    /// <summary>The name to check the peer's TLS certificate against instead of the endpoint host.</summary>
    public string? ServerNameOverride { get; set; }

    /// <summary>Client TLS certificate (PEM) for mutual TLS; set together with <see cref="ClientKeyPath"/>.</summary>
    public string? ClientCertificatePath { get; set; }

    /// <summary>Client TLS private key (PEM) for mutual TLS.</summary>
    public string? ClientKeyPath { get; set; }

    /// <summary>The MSP id of the signing identity, e.g. <c>ProducerMSP</c>.</summary>
    [Required(ErrorMessage = "Ledger:Fabric:MspId is required, e.g. ProducerMSP.")]
    public string? MspId { get; set; }

    /// <summary>
    /// The certificate (PEM) of the identity seals are recorded with: a client (OU=client) or an identity with
    /// attribute <c>provenance.role=recorder</c> of the producer organisation.
    /// </summary>
    [Required(ErrorMessage = "Ledger:Fabric:CertificatePath is required: the certificate (PEM) of the identity that records seals.")]
    public string? CertificatePath { get; set; }

    /// <summary>That identity's ECDSA private key (PEM, PKCS#8 or SEC1).</summary>
    [Required(ErrorMessage = "Ledger:Fabric:PrivateKeyPath is required: the private key (PEM) of the identity that records seals.")]
    public string? PrivateKeyPath { get; set; }

    /// <summary>
    /// Optional: the certificate (PEM) of an admin identity of the same MSP (OU=admin, or attribute
    /// <c>provenance.role=admin</c>), with which the engine registers, rotates, moves and revokes gateways on the chain.
    /// Without it, gateways are registered out of band (<c>provenance fabric register-gateway</c>) and a gateway the
    /// chain does not know makes the engine fail with that instruction.
    /// </summary>
    public string? AdminCertificatePath { get; set; }

    /// <summary>The admin identity's private key (PEM); set together with <see cref="AdminCertificatePath"/>.</summary>
    public string? AdminPrivateKeyPath { get; set; }

    /// <summary>The channel. Default <c>provenance</c>.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Ledger:Fabric:Channel must not be empty.")]
    public string Channel { get; set; } = "provenance";

    /// <summary>The chaincode. Default <c>provenance</c>.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Ledger:Fabric:Chaincode must not be empty.")]
    public string Chaincode { get; set; } = "provenance";

    /// <summary>Most seal records per RecordSeals transaction (the chaincode accepts at most 500). Default 500.</summary>
    /// <summary>
    /// Optional: a folder of the network's MSPs (an MSP, an organisation, or cryptogen's output; as
    /// <c>provenance proof verify --fabric-msp</c>). Its <c>cacerts</c>/<c>intermediatecerts</c> are put on the consumer
    /// page, which then checks a bottle's Fabric transaction, endorsements and block signature against them; without it
    /// the page shows the Fabric parts as not checked on the phone.
    /// </summary>
    public string? MspPath { get; set; }

    [Range(1, 500, ErrorMessage = "Ledger:Fabric:MaxRecordsPerTransaction must be between 1 and 500 (the chaincode's limit).")]
    public int MaxRecordsPerTransaction { get; set; } = 500;

    /// <summary>Most transactions submitted and waiting for their commit at a time. Default 4.</summary>
    [Range(1, 64, ErrorMessage = "Ledger:Fabric:MaxTransactionsInFlight must be between 1 and 64.")]
    public int MaxTransactionsInFlight { get; set; } = 4;

    /// <summary>A transaction smaller than <see cref="MaxRecordsPerTransaction"/> waits until its oldest seal is this old. Default 300 ms.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00", ErrorMessage = "Ledger:Fabric:MaxBatchAge must be between 0 and 10 minutes.")]
    public TimeSpan MaxBatchAge { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>Deadline of one query (Evaluate). Default 5 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00", ErrorMessage = "Ledger:Fabric:EvaluateTimeout must be positive (at most 1 hour).")]
    public TimeSpan EvaluateTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Deadline of one Endorse call. Default 15 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00", ErrorMessage = "Ledger:Fabric:EndorseTimeout must be positive (at most 1 hour).")]
    public TimeSpan EndorseTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Deadline of one Submit call. Default 5 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00", ErrorMessage = "Ledger:Fabric:SubmitTimeout must be positive (at most 1 hour).")]
    public TimeSpan SubmitTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long to wait in all for a submitted transaction's commit status, resubmissions included. Default 1 min.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00", ErrorMessage = "Ledger:Fabric:CommitStatusTimeout must be positive (at most 1 hour).")]
    public TimeSpan CommitStatusTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long to wait for a submitted transaction's commit before sending the same transaction to the orderer again;
    /// the wait doubles after each copy the orderer accepts (10 s, 20 s, 40 s...), as a commit that is only slow is
    /// told from a lost one by nothing else. The orderer answers a submit before the transaction is in a block, and an
    /// orderer that crashes in between loses it; a copy under the same transaction id commits at most once (a second
    /// copy is marked invalid). Shorter than <see cref="CommitStatusTimeout"/>. Default 10 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "Ledger:Fabric:ResubmitAfter must be between 1 second and 1 hour.")]
    public TimeSpan ResubmitAfter { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a transaction whose outcome is unknown (submit or commit status failed) is asked after before it is
    /// given up and its seals endorsed again (safe: the chaincode is idempotent by event id). Default 5 min.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", ErrorMessage = "Ledger:Fabric:PendingResolutionLimit must be between 0 and 1 day.")]
    public TimeSpan PendingResolutionLimit { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long the engine may fail to make progress (retrying) before readiness fails. Default 2 min.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Ledger:Fabric:StallTimeout must be between 1 second and 1 day.")]
    public TimeSpan StallTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often gateways added or revoked in the registry are brought up to date on the chain. Default 30 s.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Ledger:Fabric:GatewaySyncInterval must be between 1 second and 1 day.")]
    public TimeSpan GatewaySyncInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The Fabric client settings these options imply.</summary>
    public GatewayOptions ToGatewayOptions() => new()
    {
        EvaluateTimeout = EvaluateTimeout,
        EndorseTimeout = EndorseTimeout,
        SubmitTimeout = SubmitTimeout,
        CommitStatusTimeout = CommitStatusTimeout,
    };

    /// <inheritdoc/>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Endpoint is not null && EndpointUri is null)
        {
            yield return new($"Ledger:Fabric:Endpoint '{Endpoint}' is not an address of the gateway peer: use https://host:port, host:port (TLS) or http://host:port.", [nameof(Endpoint)]);
        }

        var tlsSettings = TlsCaPath is not null || ServerNameOverride is not null || ClientCertificatePath is not null || ClientKeyPath is not null;
        if (tlsSettings && EndpointUri is { Scheme: "http" })
        {
            yield return new("Ledger:Fabric: TLS settings need an https:// Endpoint; use https or remove TlsCaPath, ServerNameOverride and the client certificate.", [nameof(Endpoint)]);
        }

        if ((ClientCertificatePath is null) != (ClientKeyPath is null))
        {
            yield return new("Ledger:Fabric:ClientCertificatePath and ClientKeyPath go together (mutual TLS); set both or neither.", [nameof(ClientCertificatePath), nameof(ClientKeyPath)]);
        }

        if ((AdminCertificatePath is null) != (AdminPrivateKeyPath is null))
        {
            yield return new("Ledger:Fabric:AdminCertificatePath and AdminPrivateKeyPath go together (the identity that registers gateways); set both or neither.", [nameof(AdminCertificatePath), nameof(AdminPrivateKeyPath)]);
        }

        if (ResubmitAfter >= CommitStatusTimeout)
        {
            yield return new(
                $"Ledger:Fabric:ResubmitAfter ({ResubmitAfter}) must be shorter than Ledger:Fabric:CommitStatusTimeout ({CommitStatusTimeout}), "
                + "the whole wait for a commit that resubmissions happen within.",
                [nameof(ResubmitAfter), nameof(CommitStatusTimeout)]);
        }

        foreach (var (name, path) in new[]
        {
            (nameof(TlsCaPath), TlsCaPath), (nameof(ClientCertificatePath), ClientCertificatePath), (nameof(ClientKeyPath), ClientKeyPath),
            (nameof(CertificatePath), CertificatePath), (nameof(PrivateKeyPath), PrivateKeyPath),
            (nameof(AdminCertificatePath), AdminCertificatePath), (nameof(AdminPrivateKeyPath), AdminPrivateKeyPath),
        })
        {
            if (path is not null && !File.Exists(path))
            {
                yield return new($"Ledger:Fabric:{name} names '{path}', which does not exist or is not a file.", [name]);
            }
        }

        if (MspPath is not null && MspProblem(MspPath) is { } problem)
        {
            yield return new($"Ledger:Fabric:MspPath: {problem}: give the network's MSP folder (with cacerts/*.pem) or remove the setting.", [nameof(MspPath)]);
        }
    }

    private static string? MspProblem(string path)
    {
        try
        {
            using var trust = MspTrust.Load(path);
            return null;
        }
        catch (Exception e) when (e is ArgumentException or IOException or System.Security.Cryptography.CryptographicException)
        {
            return e.Message;
        }
    }
}
