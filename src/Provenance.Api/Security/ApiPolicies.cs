using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;

namespace Provenance.Api.Security;

/// <summary>
/// The authorization policies of the HTTP API. Every role policy lets admin keys through, and lets a dashboard session
/// (a browser cookie) through only for safe methods (GET, HEAD): changes need an API key in a header, which a browser
/// never sends on its own. The fallback policy denies: an endpoint that names no policy and does not say
/// <c>AllowAnonymous</c> answers 401/403 to everyone (only the router's own 404/405/415 answers pass).
/// </summary>
public static class ApiPolicies
{
    public const string Producer = "producer";
    public const string Distributor = "distributor";
    public const string ProducerOrDistributor = "producer-or-distributor";
    public const string Admin = "admin";

    /// <summary>Any dealer key: distributor, sub-distributor or retailer (the handler checks the dealer tree).</summary>
    public const string Dealer = "dealer";

    /// <summary>Producers and every dealer level (the handler limits dealers to their own branch).</summary>
    public const string ProducerOrDealer = "producer-or-dealer";

    /// <summary>Any valid key (the handler then decides which objects it may touch).</summary>
    public const string AnyKey = "any-key";

    /// <summary>Metrics, health details and OpenAPI: on the management listener, or for admin keys.</summary>
    public const string Management = "management";

    public static void Configure(AuthorizationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.AddPolicy(Producer, p => Roles(p, ApiRoles.Producer));
        options.AddPolicy(Distributor, p => Roles(p, ApiRoles.Distributor));
        options.AddPolicy(ProducerOrDistributor, p => Roles(p, ApiRoles.Producer, ApiRoles.Distributor));
        options.AddPolicy(Admin, p => Roles(p));
        options.AddPolicy(Dealer, p => Roles(p, ApiRoles.Distributor, ApiRoles.SubDistributor, ApiRoles.Retailer));
        options.AddPolicy(ProducerOrDealer, p => Roles(p, ApiRoles.Producer, ApiRoles.Distributor, ApiRoles.SubDistributor, ApiRoles.Retailer));
        options.AddPolicy(AnyKey, p => Roles(p, ApiRoles.Producer, ApiRoles.Distributor, ApiRoles.SubDistributor, ApiRoles.Retailer));
        options.AddPolicy(Management, p => p.AddRequirements(new ManagementAccessRequirement()));
        options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAssertion(c => c.Resource is HttpContext http && IsRoutingAnswer(http.GetEndpoint())).Build();
    }

    /// <summary>
    /// What the fallback lets through: no endpoint at all (the answer is 404) and the router's own refusals (405 for a
    /// method, 415 for a media type the route does not take). Neither runs a handler or reads a body.
    /// </summary>
    private static bool IsRoutingAnswer(Endpoint? endpoint) =>
        endpoint is null || endpoint.DisplayName is "405 HTTP Method Not Supported" or "415 HTTP Unsupported Media Type";

    private static void Roles(AuthorizationPolicyBuilder policy, params string[] roles) =>
        policy.RequireAuthenticatedUser()
            .RequireRole([.. roles, ApiRoles.Admin])
            .RequireAssertion(c => ApiCaller.From(c.User)?.Method != ApiCaller.SessionMethod
                || (c.Resource is HttpContext http && (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method))));
}
