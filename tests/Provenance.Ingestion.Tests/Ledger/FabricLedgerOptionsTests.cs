using System.ComponentModel.DataAnnotations;
using Provenance.Ingestion.Ledger;

namespace Provenance.Ingestion.Tests.Ledger;

public sealed class FabricLedgerOptionsTests
{
    [Fact]
    public void Bad_fabric_settings_are_refused_with_messages_that_name_the_setting_to_fix()
    {
        var options = new FabricLedgerOptions
        {
            Endpoint = "http://127.0.0.1:7051",
            TlsCaPath = "/nonexistent/ca.pem",
            ClientCertificatePath = "/nonexistent/client.pem",
            CertificatePath = "/nonexistent/cert.pem",
            PrivateKeyPath = "/nonexistent/key.pem",
            MaxRecordsPerTransaction = 501,
        };

        var messages = Validate(options);

        Assert.Contains(messages, m => m.Contains("Ledger:Fabric:MspId is required", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("MaxRecordsPerTransaction must be between 1 and 500", StringComparison.Ordinal));
        options.MaxRecordsPerTransaction = 200;
        options.MspId = "ProducerMSP";
        messages = Validate(options);
        Assert.Contains(messages, m => m.Contains("TLS settings need an https:// Endpoint", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("ClientCertificatePath and ClientKeyPath go together", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("Ledger:Fabric:PrivateKeyPath names '/nonexistent/key.pem'", StringComparison.Ordinal));
        options.AdminCertificatePath = "/nonexistent/admin.pem";
        Assert.Contains(Validate(options), m => m.Contains("AdminCertificatePath and AdminPrivateKeyPath go together", StringComparison.Ordinal));
    }

    [Fact]
    public void A_resubmit_wait_under_a_second_or_not_shorter_than_the_commit_status_timeout_is_refused_naming_both_settings()
    {
        var options = new FabricLedgerOptions
        {
            Endpoint = "https://127.0.0.1:7051", MspId = "ProducerMSP", CertificatePath = "/nonexistent/cert.pem", PrivateKeyPath = "/nonexistent/key.pem",
            ResubmitAfter = TimeSpan.FromMilliseconds(500),
        };

        Assert.Contains(Validate(options), m => m.Contains("Ledger:Fabric:ResubmitAfter must be between 1 second and 1 hour", StringComparison.Ordinal));
        options.ResubmitAfter = TimeSpan.FromSeconds(1);
        Assert.DoesNotContain(Validate(options), m => m.Contains("ResubmitAfter", StringComparison.Ordinal));
        options.ResubmitAfter = TimeSpan.FromMinutes(1);
        Assert.Contains(Validate(options), m => m.Contains(
            "Ledger:Fabric:ResubmitAfter (00:01:00) must be shorter than Ledger:Fabric:CommitStatusTimeout (00:01:00)", StringComparison.Ordinal));
        options.CommitStatusTimeout = TimeSpan.FromMinutes(2);
        Assert.DoesNotContain(Validate(options), m => m.Contains("ResubmitAfter", StringComparison.Ordinal));
    }

    [Fact]
    public void Complete_fabric_settings_pass_validation()
    {
        var directory = Directory.CreateTempSubdirectory("prov-fabric-options-").FullName;
        try
        {
            var cert = Path.Combine(directory, "cert.pem");
            var key = Path.Combine(directory, "key.pem");
            File.WriteAllText(cert, "-----BEGIN CERTIFICATE-----");
            File.WriteAllText(key, "-----BEGIN PRIVATE KEY-----");
            var options = new FabricLedgerOptions { Endpoint = "https://127.0.0.1:7051", MspId = "ProducerMSP", CertificatePath = cert, PrivateKeyPath = key };

            Assert.Empty(Validate(options));
            options.Endpoint = "localhost:7051";
            Assert.Empty(Validate(options));
            Assert.Equal(new Uri("https://localhost:7051"), options.EndpointUri);
            options.Endpoint = "ftp://localhost:7051";
            Assert.Contains(Validate(options), m => m.Contains("Ledger:Fabric:Endpoint 'ftp://localhost:7051' is not an address of the gateway peer", StringComparison.Ordinal));

            options.Endpoint = "localhost:7051";
            options.MspPath = directory;
            Assert.Contains(Validate(options), m => m.Contains("Ledger:Fabric:MspPath: no MSP CA certificates (cacerts/*.pem)", StringComparison.Ordinal));
            using var caKey = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
            using var ca = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=ca.example.com", caKey, System.Security.Cryptography.HashAlgorithmName.SHA256)
                .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
            File.WriteAllText(Path.Combine(Directory.CreateDirectory(Path.Combine(directory, "msp", "cacerts")).FullName, "ca.pem"), ca.ExportCertificatePem());
            Assert.Empty(Validate(options));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static List<string> Validate(FabricLedgerOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        if (results.Count == 0)
        {
            results.AddRange(options.Validate(new ValidationContext(options)));
        }

        return [.. results.Select(r => r.ErrorMessage ?? string.Empty)];
    }
}
