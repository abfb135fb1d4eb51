namespace Provenance.Ingestion.Tests.Support;

/// <summary>An influxd 1.x configuration for tests: everything under one directory, HTTP and RPC on loopback only, extras off.</summary>
internal static class InfluxdConfig
{
    public static string Text(string directory, int httpPort, int rpcPort, bool authEnabled) => $"""
        reporting-disabled = true
        bind-address = "127.0.0.1:{rpcPort}"
        [meta]
          dir = "{directory}/meta"
        [data]
          dir = "{directory}/data"
          wal-dir = "{directory}/wal"
          query-log-enabled = false
        [http]
          enabled = true
          bind-address = "127.0.0.1:{httpPort}"
          auth-enabled = {(authEnabled ? "true" : "false")}
          log-enabled = false
        [continuous_queries]
          enabled = false
        [monitor]
          store-enabled = false
        [subscriber]
          enabled = false
        """;
}
