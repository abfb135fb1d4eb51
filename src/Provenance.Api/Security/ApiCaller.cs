using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Provenance.Storage;

namespace Provenance.Api.Security;

/// <summary>
/// The authenticated caller of a request, as the authentication handler put it in the claims: the API key's id, its
/// role, the distributor it speaks for, and how it signed in (<c>api-key</c> header or dashboard <c>session</c>).
/// </summary>
public sealed record ApiCaller(string KeyId, string Role, string? DistributorId, string Method)
{
    public const string DistributorClaim = "provenance:distributor";
    public const string ApiKeyMethod = "api-key";
    public const string SessionMethod = "session";

    /// <summary>The principal the authentication handler builds for a key.</summary>
    public static ClaimsPrincipal Principal(StoredApiKey key, string method)
    {
        ArgumentNullException.ThrowIfNull(key);
        var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, key.Id), new(ClaimTypes.Role, key.Role) };
        if (key.DistributorId is not null)
        {
            claims.Add(new Claim(DistributorClaim, key.DistributorId));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, method));
    }

    /// <summary>The caller in <paramref name="user"/>, or null when the request is anonymous.</summary>
    public static ApiCaller? From(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var identity = user.Identities.FirstOrDefault(i => i.IsAuthenticated);
        return identity?.FindFirst(ClaimTypes.NameIdentifier)?.Value is { } id && identity.FindFirst(ClaimTypes.Role)?.Value is { } role
            ? new ApiCaller(id, role, identity.FindFirst(DistributorClaim)?.Value, identity.AuthenticationType ?? ApiKeyMethod)
            : null;
    }

    /// <summary>True for dealer keys (distributor, sub-distributor, retailer): they see and touch only their own objects.</summary>
    public bool IsDistributor => ApiRoles.IsDealer(Role);

    /// <summary>True when the caller may see objects of distributor <paramref name="distributorId"/>.</summary>
    public bool MaySee(string distributorId) => !IsDistributor || string.Equals(DistributorId, distributorId, StringComparison.Ordinal);
}

/// <summary>Access to the caller from handlers behind an authorization policy.</summary>
public static class ApiCallerExtensions
{
    /// <summary>The authenticated caller; throws when the endpoint lets anonymous requests through (a wiring mistake).</summary>
    public static ApiCaller Caller(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ApiCaller.From(context.User) ?? throw new InvalidOperationException("the endpoint has no authorization policy, so it has no caller");
    }
}
