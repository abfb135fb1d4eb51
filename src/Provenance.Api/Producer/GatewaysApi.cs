using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Provenance.Api.Security;
using Provenance.Core.Gateways;
using Provenance.Core.Registry;
using Provenance.Core.Signing;
using Provenance.Storage;

namespace Provenance.Api.Producer;

/// <summary>
/// A registered gateway's life over HTTP, the same operations as <c>provenance gateways rotate|revoke</c>: read its
/// state, rotate its signing key and/or MQTT secret, revoke it.
/// </summary>
public static class GatewaysApi
{
    public static IEndpointRouteBuilder MapGatewaysApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/gateways").WithTags("Producer").RequireAuthorization(ApiPolicies.Producer);
        api.MapGet("/{id}", Get).WithName("GetGateway").WithSummary("A gateway's site, current key (fingerprint, version) and revocation.");
        api.MapPost("/{id}/rotate", Rotate).WithName("RotateGateway")
            .WithSummary("Rotate a gateway's signing key (publicKeyPem) and/or MQTT secret (newSecret: true; returned once). Messages signed with the old key are refused from now on.");
        api.MapPost("/{id}/revoke", Revoke).WithName("RevokeGateway")
            .WithSummary("Revoke a gateway: refused at CONNECT, its messages dead-lettered as revoked_gateway; what it sealed stays.");
        return app;
    }

    private static Results<Ok<GatewayStateBody>, NotFound> Get(string id, RegistryStore registry) =>
        Identifier.IsValid(id) && registry.FindGateway(id) is { } gateway ? TypedResults.Ok(State(gateway)) : TypedResults.NotFound();

    private static Results<Ok<GatewayRotatedBody>, ProblemHttpResult, NotFound> Rotate(string id, GatewayRotateRequest body, RegistryStore registry)
    {
        if (!Identifier.IsValid(id) || registry.FindGateway(id) is null)
        {
            return TypedResults.NotFound();
        }

        if (body.PublicKeyPem is null && !body.NewSecret)
        {
            return TypedResults.Problem("give publicKeyPem (a new P-256 public key, SPKI PEM), newSecret: true, or both", statusCode: StatusCodes.Status400BadRequest);
        }

        try
        {
            if (body.PublicKeyPem is not null)
            {
                string pem, fingerprint;
                try
                {
                    using var key = GatewayKeys.ImportPublicKeyPem(body.PublicKeyPem);
                    (pem, fingerprint) = (GatewayKeys.ExportPublicKeyPem(key), GatewayKeys.Fingerprint(key));
                }
                catch (ArgumentException e)
                {
                    return TypedResults.Problem($"publicKeyPem: {e.Message}", statusCode: StatusCodes.Status400BadRequest);
                }

                registry.RotateGatewayKey(id, pem, fingerprint);
            }

            var secret = body.NewSecret ? registry.RotateGatewaySecret(id) : null;
            return TypedResults.Ok(new GatewayRotatedBody(State(registry.FindGateway(id)!), secret));
        }
        catch (RegistryConflictException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status409Conflict);
        }
    }

    private static Results<Ok<GatewayStateBody>, NotFound> Revoke(string id, GatewayRevokeRequest? body, RegistryStore registry) =>
        Identifier.IsValid(id) && registry.RevokeGateway(id, body?.Reason) is { } gateway ? TypedResults.Ok(State(gateway)) : TypedResults.NotFound();

    private static GatewayStateBody State(GatewayRegistration gateway) =>
        new(gateway.Id, gateway.SiteId, gateway.KeyFingerprint, gateway.KeyVersion, gateway.RevokedAt, gateway.RevocationReason);
}
