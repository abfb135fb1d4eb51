using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Provenance.Core.Origin;
using Provenance.Host.Composition;
using Provenance.Host.Tests.Support;
using Provenance.Ingestion;
using Provenance.Ingestion.Broker;

namespace Provenance.Host.Tests.Configuration;

/// <summary>The shipped appsettings.json binds and validates, and bad settings stop start-up with a message that says what to fix.</summary>
public sealed class ShippedConfigurationTests
{
    [Fact]
    public async Task The_shipped_appsettings_bind_and_validate()
    {
        using var dir = new TempDirectory();
        await using var app = ProvenanceApp.Build(["--urls=http://127.0.0.1:0"], new Dictionary<string, string?>
        {
            ["Provenance:DataDirectory"] = dir.Path,
            ["Broker:Port"] = "0",
            ["Management:Url"] = $"http://127.0.0.1:{FreePort.Next()}",
        });
        var shipped = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "src", "Provenance.Host", "appsettings.json"));

        Assert.Contains("\"MaxUnacknowledged\": 2048", shipped, StringComparison.Ordinal);
        Assert.Equal(2048, app.Services.GetRequiredService<IOptions<IngestionOptions>>().Value.MaxUnacknowledged);
        Assert.Equal(TimeSpan.FromSeconds(30), app.Services.GetRequiredService<IOptions<AttestationPolicy>>().Value.MaxFixAge);
        Assert.Equal("id.example.com", app.Services.GetRequiredService<IOptions<CodeOptions>>().Value.Domain);
        await app.StartAsync();
        await app.StopAsync();
    }

    [Theory]
    [InlineData("Ingestion:MaxUnacknowledged", "0", "MaxUnacknowledged")]
    [InlineData("Broker:Address", "not-an-ip", "Broker:Address must be an IP address")]
    [InlineData("Codes:Scheme", "ftp", "Codes:Scheme must be http or https")]
    [InlineData("Api:TrustForwardedFor", "true", "list your reverse proxies in Api:KnownProxies")]
    [InlineData("Api:KnownNetworks:0", "10.0.0.0/33", "Api:KnownNetworks entry '10.0.0.0/33'")]
    [InlineData("Management:Url", "http://example.com:9464", "Management:Url 'http://example.com:9464' must be http://ADDRESS:PORT")]
    [InlineData("Security:ServerSecret", "c2hvcnQ=", "Security:ServerSecret must be at least 32 random bytes")]
    [InlineData("Nfc:Keys:1", "c2hvcnQ=", "Nfc:Keys must be base64 AES-128 keys")]
    [InlineData("Rewards:PayoutUrl", "http://127.0.0.1:9/payouts", "Rewards:PayoutSecret must be at least 16 characters")]
    [InlineData("OpenTelemetry:Otlp:Endpoint", "ftp://127.0.0.1:4317", "OpenTelemetry:Otlp:Endpoint must be an absolute http:// or https:// address")]
    [InlineData("OpenTelemetry:Otlp:Protocol", "udp", "OpenTelemetry:Otlp:Protocol must be grpc or http/protobuf")]
    public async Task A_bad_setting_stops_start_up_with_a_message_naming_it(string key, string value, string message)
    {
        using var dir = new TempDirectory();
        await using var app = ProvenanceApp.Build(["--urls=http://127.0.0.1:0"], new Dictionary<string, string?> { ["Provenance:DataDirectory"] = dir.Path, ["Broker:Port"] = "0", [key] = value });

        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains(message, string.Join(" ", e.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_fabric_engine_without_its_peer_settings_stops_start_up_naming_them()
    {
        using var dir = new TempDirectory();
        await using var app = ProvenanceApp.Build(["--urls=http://127.0.0.1:0"], new Dictionary<string, string?>
        {
            ["Provenance:DataDirectory"] = dir.Path,
            ["Broker:Port"] = "0",
            ["Ledger:Engine"] = "fabric",
        });

        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("Endpoint", string.Join(" ", e.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_external_broker_with_session_expiry_zero_is_refused()
    {
        using var dir = new TempDirectory();
        await using var app = ProvenanceApp.Build(["--urls=http://127.0.0.1:0"], new Dictionary<string, string?>
        {
            ["Provenance:DataDirectory"] = dir.Path,
            ["Broker:Embedded"] = "false",
            ["Mqtt:SessionExpirySeconds"] = "0",
        });

        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("SessionExpirySeconds must be at least 60", string.Join(" ", e.Failures), StringComparison.Ordinal);
        Assert.Null(app.Services.GetService<EmbeddedBroker>());
    }
}
