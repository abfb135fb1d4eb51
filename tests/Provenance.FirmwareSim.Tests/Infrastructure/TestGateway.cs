using System.Security.Cryptography;
using Provenance.Core.Signing;

namespace Provenance.FirmwareSim.Tests.Infrastructure;

/// <summary>A gateway's key pair and a temporary working directory (code list, queue, acked file) for one test.</summary>
public sealed class TestGateway : IDisposable
{
    public const string SiteId = "plant-7";
    public const string GatewayId = "gw-test";
    public const double Latitude = 27.8497;
    public const double Longitude = 106.3766;

    public TestGateway()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("fwsim-test-").FullName;
        Key = GatewayKeys.Create();
        PublicKey = GatewayKeys.ImportPublicKeyPem(GatewayKeys.ExportPublicKeyPem(Key));
    }

    public string Directory { get; }

    public ECDsa Key { get; }

    public ECDsa PublicKey { get; }

    public string QueueDirectory => Path.Combine(Directory, "queue");

    public string AckedFile => Path.Combine(Directory, "acked.txt");

    public static IReadOnlyList<string> Codes(int count) =>
        [.. Enumerable.Range(1, count).Select(i => $"https://id.example.com/01/09506000134352/21/T{i:D6}?k=1&m=m{i:x}")];

    public SimulatorOptions Options(int port, int codes) => new()
    {
        Key = Key,
        SiteId = SiteId,
        GatewayId = GatewayId,
        Latitude = Latitude,
        Longitude = Longitude,
        Codes = Codes(codes),
        Port = port,
        Rate = 0,
        Batch = 5,
        GnssInterval = TimeSpan.FromMilliseconds(100),
        QueueDirectory = QueueDirectory,
        AckedFile = AckedFile,
        ReconnectDelayMax = TimeSpan.FromMilliseconds(200),
        ProgressInterval = TimeSpan.Zero,
        Seed = 42,
        // These brokers have no Provenance ingestion to send end-to-end acknowledgements: release on PUBACK.
        Ack = AckMode.Broker,
    };

    public IReadOnlyList<string> AckedIds() => File.Exists(AckedFile) ? File.ReadAllLines(AckedFile) : [];

    public void Dispose()
    {
        Key.Dispose();
        PublicKey.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
