using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.Data.Sqlite;
using Provenance.Host.Composition;
using Provenance.Storage;

namespace Provenance.Host.Cli;

/// <summary>
/// Turns the exceptions a start can end in — a port in use, a data directory the user cannot write, unreadable code
/// keys — into one line that names the setting to change. Anything else is not described (and stays an error).
/// </summary>
internal static partial class StartFailure
{
    public static string? Describe(Exception exception, IConfiguration configuration)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case AddressInUseException when BoundAddress(exception) is { } address && IsManagement(address, configuration):
                    return $"the management address {address} is in use by another process: change 'Management:Url' " +
                        "(--Management:Url=http://127.0.0.1:9465, or Management__Url in the environment; empty turns it off) or stop the other process.";
                case AddressInUseException:
                    return $"the scan API address {BoundAddress(exception) ?? ProvenanceConfiguration.Urls(configuration)} is in use by another process: change 'urls' " +
                        "(--urls http://127.0.0.1:8081, or urls= / ASPNETCORE_URLS in the environment) or stop the other process.";
                case SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse }:
                    return $"the MQTT port {configuration["Broker:Address"] ?? "127.0.0.1"}:{configuration["Broker:Port"] ?? "1883"} is in use (another broker such as mosquitto, or another serve): " +
                        "change 'Broker:Port' (--Broker:Port=1884, or Broker__Port in the environment), use that broker with Broker:Embedded=false, or stop the other process.";
                case SocketException { SocketErrorCode: SocketError.AccessDenied }:
                    return $"not allowed to listen on {configuration["Broker:Address"] ?? "127.0.0.1"}:{configuration["Broker:Port"] ?? "1883"} or {ProvenanceConfiguration.Urls(configuration)}: " +
                        "ports below 1024 need privileges; change 'Broker:Port' or 'urls'.";
                case CodeKeyException or StorageConfigurationException or SchemaVersionException or Provenance.Storage.Ledger.NodeKeyException:
                    return e.Message;
                case Npgsql.NpgsqlException:
                    return $"cannot use the PostgreSQL database (ConnectionStrings:Provenance): {e.Message.TrimEnd('.')}. " +
                        "Check that the server is up and the connection string's host, database and credentials; or set Storage:Provider=sqlite for the embedded file.";
                case UnauthorizedAccessException or SqliteException or DirectoryNotFoundException:
                    var directory = Path.GetFullPath(configuration[$"{ProvenanceOptions.Section}:DataDirectory"] ?? "./data");
                    return DataOption.Unusable(directory, e, "change 'Provenance:DataDirectory' (--data DIR, or Provenance__DataDirectory in the environment)").Message;
            }
        }

        return null;
    }

    /// <summary>The address Kestrel could not bind ("Failed to bind to address http://127.0.0.1:8080: address already in use.").</summary>
    private static string? BoundAddress(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (BindMessage().Match(e.Message) is { Success: true } m)
            {
                return m.Groups[1].Value;
            }
        }

        return null;
    }

    private static bool IsManagement(string address, IConfiguration configuration) =>
        configuration[$"{Api.Security.ManagementOptions.Section}:Url"] is { Length: > 0 } management
        && Uri.TryCreate(management, UriKind.Absolute, out var a) && Uri.TryCreate(address, UriKind.Absolute, out var b) && a.Port == b.Port;

    [System.Text.RegularExpressions.GeneratedRegex(@"address (\S+?): address already in use", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex BindMessage();
}
