using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Provenance.Fabric;

/// <summary>
/// The certificate authorities of one or more Fabric MSPs, read from MSP folders as cryptogen and fabric-ca write them
/// (<c>cacerts/</c> and <c>intermediatecerts/</c>; <c>tlscacerts/</c> are not signing CAs and are ignored), to anchor
/// the signers of a <see cref="TransactionProof"/>: a certificate is trusted when it chains to one of these CAs at the
/// time given. Where an MSP uses NodeOUs (certificates carry OU=peer, orderer, client or admin) the signer's role is
/// checked too. MSP ids are not mapped to folders: any CA given anchors any MSP id. Owns its certificates. Thread-safe
/// for reading.
/// </summary>
public sealed class MspTrust : IDisposable
{
    private static readonly string[] NodeRoles = ["client", "peer", "orderer", "admin"];

    private readonly X509Certificate2Collection _roots;
    private readonly X509Certificate2Collection _intermediates;

    private MspTrust(X509Certificate2Collection roots, X509Certificate2Collection intermediates)
    {
        _roots = roots;
        _intermediates = intermediates;
    }

    /// <summary>How many root CAs were found.</summary>
    public int RootCount => _roots.Count;

    /// <summary>The root CA certificates (DER), e.g. for a page that checks Fabric proofs itself.</summary>
    public IReadOnlyList<byte[]> RootCertificates => [.. _roots.Select(c => c.RawData)];

    /// <summary>The intermediate CA certificates (DER).</summary>
    public IReadOnlyList<byte[]> IntermediateCertificates => [.. _intermediates.Select(c => c.RawData)];

    /// <summary>
    /// Reads every certificate under <c>cacerts</c> and <c>intermediatecerts</c> folders at or below
    /// <paramref name="directory"/> (an MSP folder, an organisation, or cryptogen's whole output). Throws
    /// <see cref="ArgumentException"/> when there is none.
    /// </summary>
    public static MspTrust Load(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (!Directory.Exists(directory))
        {
            throw new ArgumentException($"no folder at {directory}", nameof(directory));
        }

        var roots = new X509Certificate2Collection();
        var intermediates = new X509Certificate2Collection();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var folder in Directory.EnumerateDirectories(directory, "*", SearchOption.AllDirectories).Prepend(directory))
        {
            var name = Path.GetFileName(folder);
            var target = name == "cacerts" ? roots : name == "intermediatecerts" ? intermediates : null;
            foreach (var file in target is null ? [] : Directory.EnumerateFiles(folder, "*.pem"))
            {
                var certificates = new X509Certificate2Collection();
                certificates.ImportFromPemFile(file);
                foreach (var certificate in certificates)
                {
                    if (seen.Add(certificate.Thumbprint))
                    {
                        target!.Add(certificate);
                    }
                    else
                    {
                        certificate.Dispose();
                    }
                }
            }
        }

        if (roots.Count == 0)
        {
            throw new ArgumentException($"no MSP CA certificates (cacerts/*.pem) at or below {directory}", nameof(directory));
        }

        return new MspTrust(roots, intermediates);
    }

    /// <summary>
    /// Null when <paramref name="certificate"/> chains to a CA of these MSPs at <paramref name="at"/> and, where it carries
    /// a NodeOU role, that role is <paramref name="role"/>; otherwise why not.
    /// </summary>
    public string? Check(X509Certificate2 certificate, string role, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var roles = OrganizationalUnits(certificate).Where(NodeRoles.Contains).ToList();
        if (roles.Count > 0 && !roles.Contains(role))
        {
            return $"its certificate ({certificate.Subject}) has role {string.Join("/", roles)}, not {role}";
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_roots);
        chain.ChainPolicy.ExtraStore.AddRange(_intermediates);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = at.UtcDateTime;
        try
        {
            if (chain.Build(certificate))
            {
                return null;
            }
        }
        catch (CryptographicException e)
        {
            return $"its certificate ({certificate.Subject}) cannot be chained: {e.Message}";
        }

        var status = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
        return $"its certificate ({certificate.Subject}, issued by {certificate.Issuer}) does not chain to a CA of the MSPs given{(status.Length > 0 ? $": {status}" : string.Empty)}";
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var certificate in _roots.Concat(_intermediates))
        {
            certificate.Dispose();
        }
    }

    private static IEnumerable<string> OrganizationalUnits(X509Certificate2 certificate) =>
        certificate.SubjectName.EnumerateRelativeDistinguishedNames()
            .Where(r => !r.HasMultipleElements && r.GetSingleElementType().Value == "2.5.4.11")
            .Select(r => r.GetSingleElementValue() ?? string.Empty);
}
