using Provenance.Engines.Tests.Support;
using Provenance.Host.Tests.Support;
using Xunit.Abstractions;

namespace Provenance.Engines.Tests;

/// <summary>
/// Issue item 6: why <c>Mqtt:SessionExpirySeconds=0</c> is refused. With expiry 0 mosquitto forgets the session at the
/// disconnect, and QoS 1 messages published while ingestion is down are gone; with the product's default (86400) every
/// one is delivered on reconnect.
/// </summary>
public sealed class SessionExpiryTests(ITestOutputHelper output)
{
    private const int Count = 500;
    private const string Filter = "$share/ingestion/prov/v1/+/+/+";

    [Fact]
    public async Task Session_expiry_0_loses_every_message_published_while_the_subscriber_is_away_and_86400_loses_none()
    {
        await using var broker = await MosquittoRig.StartAsync(OfflineSubscriber.Gateway);

        var zero = await OfflineSubscriber.RunAsync(broker, "ingest-expiry-0", Filter, cleanStart: true, sessionExpiry: 0, Count);
        var day = await OfflineSubscriber.RunAsync(broker, "ingest-expiry-86400", Filter, cleanStart: false, sessionExpiry: 86_400, Count);

        output.WriteLine($"[figures] session expiry 0: published {Count} while away, received {zero.Received} (session present {zero.SessionPresent}); lost {Count - zero.Received}");
        output.WriteLine($"[figures] session expiry 86400: published {Count} while away, received {day.Received} (session present {day.SessionPresent}); lost {Count - day.Received}");
        Assert.False(zero.SessionPresent);
        Assert.Equal(0, zero.Received);
        Assert.True(day.SessionPresent);
        Assert.Equal(Count, day.Received);
    }

    [Fact]
    public async Task Serve_refuses_a_session_expiry_of_0_naming_the_setting()
    {
        using var dir = new TempDirectory("prov-expiry");
        await using var serve = ChildProcess.StartDll(
            RepositoryPaths.HostDll,
            ["serve", "--data", dir.Combine("data"), "--urls", $"http://127.0.0.1:{FreePort.Next()}", $"--Management:Url=http://127.0.0.1:{FreePort.Next()}", "--Broker:Embedded=false", "--Mqtt:Host=127.0.0.1", $"--Mqtt:Port={FreePort.Next()}", "--Mqtt:SessionExpirySeconds=0"],
            dir.Path);

        var code = await serve.WaitForExitAsync(TimeSpan.FromMinutes(1));

        output.WriteLine($"exit {code}: {serve.Output}");
        Assert.NotEqual(0, code);
        Assert.Contains("Mqtt:SessionExpirySeconds", serve.Output, StringComparison.Ordinal);
    }
}
