namespace Provenance.Host.Tests.Support;

/// <summary>A code URL with its MAC altered in one character: what a counterfeiter who copies a genuine code's shape prints.</summary>
internal static class ForgedCode
{
    public static string WithAlteredMac(string url)
    {
        var mac = url.IndexOf("m=", StringComparison.Ordinal) + 2;
        return url[..mac] + (url[mac] == 'A' ? 'B' : 'A') + url[(mac + 1)..];
    }
}
