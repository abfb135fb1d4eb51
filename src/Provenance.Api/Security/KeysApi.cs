using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Provenance.Storage;

namespace Provenance.Api.Security;

/// <summary>
/// API keys over HTTP: <c>GET/POST /api/keys</c> (admin), <c>POST /api/keys/{id}/revoke</c> and <c>/rotate</c>.
/// Admins manage every key; producers the keys of distributors and their own; any key may revoke or rotate itself.
/// Keys a caller may not manage answer 404, as if they did not exist.
/// </summary>
public static class KeysApi
{
    public static IEndpointRouteBuilder MapKeysApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/keys").WithTags("Keys");
        api.MapGet("/", List).RequireAuthorization(ApiPolicies.Admin).WithName("ListKeys").WithSummary("Every API key: id, role, distributor, name, created, rotated, revoked (never a secret).");
        api.MapPost("/", Create).RequireAuthorization(ApiPolicies.Admin).WithName("CreateKey").WithSummary("Create an API key; the response shows the key once.");
        api.MapPost("/{id}/revoke", Revoke).RequireAuthorization(ApiPolicies.AnyKey).WithName("RevokeKey")
            .WithSummary("Revoke a key at once (its dashboard sessions end too).");
        api.MapPost("/{id}/rotate", Rotate).RequireAuthorization(ApiPolicies.AnyKey).WithName("RotateKey")
            .WithSummary("Give a key a new secret, shown once; the old one stops working at once.");
        return app;
    }

    private static Ok<IReadOnlyList<ApiKeyDto>> List(ApiKeyStore keys) => TypedResults.Ok<IReadOnlyList<ApiKeyDto>>([.. keys.List().Select(ApiKeyDto.From)]);

    private static Results<Created<CreatedApiKey>, ProblemHttpResult> Create(CreateApiKeyRequest request, ApiKeyStore keys, DistributorStore distributors)
    {
        if (!ApiRoles.IsValid(request.Role))
        {
            return TypedResults.Problem("role must be admin, producer, distributor, sub_distributor or retailer", statusCode: StatusCodes.Status400BadRequest);
        }

        if (ApiRoles.IsDealer(request.Role) != (request.DistributorId is not null)
            || (request.DistributorId is not null && (request.DistributorId.Length > 64 || distributors.Find(request.DistributorId) is not { } dealer || dealer.Level != request.Role)))
        {
            return TypedResults.Problem("distributorId names an existing dealer whose level is the role (distributor, sub_distributor or retailer), required with those roles and only then",
                statusCode: StatusCodes.Status400BadRequest);
        }

        if (request.Name is { Length: > 200 })
        {
            return TypedResults.Problem("name: at most 200 characters", statusCode: StatusCodes.Status400BadRequest);
        }

        var (id, secret) = keys.Create(request.Role!, request.DistributorId, request.Name);
        return TypedResults.Created($"/api/keys/{id}", new CreatedApiKey(id, request.Role!, request.DistributorId, secret));
    }

    private static Results<Ok<ApiKeyDto>, ProblemHttpResult> Revoke(string id, HttpContext context, ApiKeyStore keys)
    {
        if (!MayManage(context, keys, id))
        {
            return NotFound(id);
        }

        keys.Revoke(id);
        return TypedResults.Ok(ApiKeyDto.From(keys.Get(id)!));
    }

    private static Results<Ok<CreatedApiKey>, ProblemHttpResult> Rotate(string id, HttpContext context, ApiKeyStore keys)
    {
        if (!MayManage(context, keys, id) || keys.Get(id) is not { RevokedAt: null } key || keys.Rotate(id) is not { } secret)
        {
            return NotFound(id);
        }

        return TypedResults.Ok(new CreatedApiKey(id, key.Role, key.DistributorId, secret));
    }

    /// <summary>Admins manage every key; producers dealers' keys and their own; anyone their own.</summary>
    private static bool MayManage(HttpContext context, ApiKeyStore keys, string id)
    {
        var caller = context.Caller();
        if (id == caller.KeyId || caller.Role == ApiRoles.Admin)
        {
            return keys.Get(id) is not null;
        }

        return caller.Role == ApiRoles.Producer && keys.Get(id) is { } key && ApiRoles.IsDealer(key.Role);
    }

    private static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem($"no live key {id} that you may manage", statusCode: StatusCodes.Status404NotFound);
}

/// <summary>A new API key: its id, role, distributor and the secret, shown this once.</summary>
public sealed record CreatedApiKey(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("distributorId")] string? DistributorId,
    [property: JsonPropertyName("key")] string Key);

/// <summary>Creates a key: role, the distributor it speaks for (role distributor only), a label.</summary>
public sealed record CreateApiKeyRequest(
    [property: JsonPropertyName("role")] string? Role,
    [property: JsonPropertyName("distributorId")] string? DistributorId = null,
    [property: JsonPropertyName("name")] string? Name = null);

/// <summary>A key as listed: never its secret or hash.</summary>
public sealed record ApiKeyDto(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("distributorId")] string? DistributorId,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("createdAt")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("rotatedAt")] DateTimeOffset? RotatedAt,
    [property: JsonPropertyName("revokedAt")] DateTimeOffset? RevokedAt)
{
    public static ApiKeyDto From(ApiKeyInfo key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new ApiKeyDto(key.Id, key.Role, key.DistributorId, key.Name, key.CreatedAt, key.RotatedAt, key.RevokedAt);
    }
}
