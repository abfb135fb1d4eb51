using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Provenance.Host.Tests.Support;

/// <summary>
/// A real Kestrel app on a free loopback port, for the receivers the tests stand up in place of a producer's systems
/// (webhooks, payouts, an OTLP collector). Each receiver keeps its own answer rules in <c>map</c>.
/// </summary>
internal static class LoopbackApp
{
    public static async Task<WebApplication> StartAsync(Action<WebApplication> map, bool quiet = false)
    {
        ArgumentNullException.ThrowIfNull(map);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        if (quiet)
        {
            builder.Logging.ClearProviders();
        }

        var app = builder.Build();
        map(app);
        await app.StartAsync();
        return app;
    }

    /// <summary>The app's address, e.g. <c>http://127.0.0.1:40123</c>.</summary>
    public static string BaseUrl(this WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
}
