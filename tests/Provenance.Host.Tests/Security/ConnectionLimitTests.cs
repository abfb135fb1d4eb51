using Provenance.Host.Tests.Support;

namespace Provenance.Host.Tests.Security;

/// <summary>
/// The connection gate: per client address and in total; at the limit a new connection is closed unanswered while the
/// open ones keep being served, and the management listener has its own budget.
/// </summary>
public sealed class ConnectionLimitTests
{
    private static readonly TimeSpan Answer = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Over_the_per_client_and_the_total_limit_new_connections_are_closed_unanswered_and_open_ones_keep_being_served()
    {
        await using var node = await InProcessNode.StartAsync(new Dictionary<string, string?>
        {
            ["HttpLimits:MaxConnections"] = "12",
            ["HttpLimits:MaxConnectionsPerClient"] = "4",
        });
        var open = new List<RawHttpConnection>();
        try
        {
            foreach (var client in new[] { "127.0.0.2", "127.0.0.3", "127.0.0.4" })
            {
                for (var i = 0; i < 4; i++)
                {
                    var connection = await RawHttpConnection.OpenAsync(client, node.HttpPort);
                    open.Add(connection);
                    Assert.Equal(200, await connection.GetAsync("/health/live", Answer));
                }

                if (client == "127.0.0.2")
                {
                    using var fifthFromOneClient = await RawHttpConnection.OpenAsync(client, node.HttpPort);
                    Assert.Null(await fifthFromOneClient.GetAsync("/health/live", Answer));
                }
            }

            using (var thirteenth = await RawHttpConnection.OpenAsync("127.0.0.5", node.HttpPort))
            {
                Assert.Null(await thirteenth.GetAsync("/health/live", Answer));
            }

            foreach (var connection in open)
            {
                Assert.Equal(200, await connection.GetAsync("/health/live", Answer));
            }

            var health = await node.Management.GetStringAsync("/health");
            Assert.True(health.Contains("\"openConnections\":12,\"connectionLimit\":12", StringComparison.Ordinal), health);
            var metrics = await node.Management.GetStringAsync("/metrics");
            Assert.True(metrics.Contains("provenance_http_connections_refused_total{limit=\"per_client\"} 1\n", StringComparison.Ordinal), metrics);
            Assert.True(metrics.Contains("provenance_http_connections_refused_total{limit=\"total\"} 1\n", StringComparison.Ordinal), metrics);
        }
        finally
        {
            open.ForEach(c => c.Dispose());
        }

        // Closed connections give their places back.
        Assert.Equal(200, await WaitServedAsync(node, "127.0.0.2"));
    }

    [Fact]
    public void The_public_connection_limit_keeps_the_file_handle_reserve_free_under_the_process_limit()
    {
        Assert.Equal(512, Api.Http.FileHandleLimit.ConnectionBudget(10_000, 512, 1024));
        Assert.Equal(10_000, Api.Http.FileHandleLimit.ConnectionBudget(10_000, 512, 1_048_576));
        Assert.Equal(10_000, Api.Http.FileHandleLimit.ConnectionBudget(10_000, 512, null));
        Assert.Equal(1, Api.Http.FileHandleLimit.ConnectionBudget(10_000, 512, 300));
        Assert.True(Api.Http.FileHandleLimit.Current() > 0);
    }

    /// <summary>Once the server has seen the closes, a new connection from the same client is served (closes are asynchronous: retry until then).</summary>
    private static async Task<int?> WaitServedAsync(InProcessNode node, string client)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            using var connection = await RawHttpConnection.OpenAsync(client, node.HttpPort, timeout.Token);
            if (await connection.GetAsync("/health/live", Answer) is { } status)
            {
                return status;
            }

            await Task.Delay(50, timeout.Token);
        }
    }
}
