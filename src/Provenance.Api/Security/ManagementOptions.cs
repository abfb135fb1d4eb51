using System.Net;

namespace Provenance.Api.Security;

/// <summary>
/// Where metrics, health details and OpenAPI are served without a key, configuration section <c>Management</c>.
/// Elsewhere they need an admin key.
/// </summary>
public sealed class ManagementOptions
{
    public const string Section = "Management";

    /// <summary>
    /// The management listener, <c>http://ADDRESS:PORT</c> (default <c>http://127.0.0.1:9464</c>: this machine only);
    /// empty turns it off (then only admin keys reach those endpoints).
    /// </summary>
    public string? Url { get; set; } = "http://127.0.0.1:9464";

    /// <summary>The listener's address and port, or null when off. Throws on a malformed URL (validated at start).</summary>
    public IPEndPoint? EndPoint() => string.IsNullOrWhiteSpace(Url) ? null : Parse(Url) ?? throw new FormatException($"Management:Url '{Url}' is not http://ADDRESS:PORT");

    /// <summary>The address and port of an <c>http://ADDRESS:PORT</c> URL (<c>localhost</c> is 127.0.0.1), or null.</summary>
    public static IPEndPoint? Parse(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp || uri.IsDefaultPort || uri.Port <= 0 || uri.AbsolutePath != "/")
        {
            return null;
        }

        var host = uri.Host.Trim('[', ']');
        var address = host == "localhost" ? IPAddress.Loopback : host is "*" or "+" or "0.0.0.0" ? IPAddress.Any : IPAddress.TryParse(host, out var ip) ? ip : null;
        return address is null ? null : new IPEndPoint(address, uri.Port);
    }
}
