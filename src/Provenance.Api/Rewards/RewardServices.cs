using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Provenance.Api.Rewards;

/// <summary>Registers consumer rewards: options (validated at start), the risk score, redemption, and the payout dispatcher (a hosted service).</summary>
public static class RewardServices
{
    public static IServiceCollection AddProvenanceRewards(this IServiceCollection services, IConfiguration configuration, bool dispatchPayouts)
    {
        services.AddOptions<RewardOptions>().Bind(configuration.GetSection(RewardOptions.Section)).ValidateDataAnnotations()
            .Validate(o => string.IsNullOrEmpty(o.PayoutUrl) || (Uri.TryCreate(o.PayoutUrl, UriKind.Absolute, out var u) && u.Scheme is "http" or "https"), "Rewards:PayoutUrl must be an absolute http(s) URL")
            .Validate(o => string.IsNullOrEmpty(o.PayoutUrl) || o.PayoutSecret.Length >= 16, "Rewards:PayoutSecret must be at least 16 characters when Rewards:PayoutUrl is set")
            .Validate(o => o.InitialBackoff <= o.MaxBackoff, "Rewards:InitialBackoff must not exceed Rewards:MaxBackoff")
            .ValidateOnStart();
        services.AddHttpClient(PayoutDispatcher.ClientName).ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        services.AddSingleton<RewardRisk>();
        services.AddSingleton<RedemptionService>();
        services.AddSingleton<PayoutDispatcher>();
        if (dispatchPayouts)
        {
            services.AddHostedService(sp => sp.GetRequiredService<PayoutDispatcher>());
        }

        return services;
    }
}
