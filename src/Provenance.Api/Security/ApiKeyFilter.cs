using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Provenance.Storage;

namespace Provenance.Api.Security;

/// <summary>
/// Requires an API key (<c>Authorization: Bearer KEY</c> or <c>X-Api-Key: KEY</c>) with one of the given roles;
/// admin keys pass every check. 401 without a valid key, 403 with the wrong role. The caller is then available
/// to handlers through <see cref="Caller"/>.
/// </summary>
public static class ApiKeyFilter
{
    private const string ItemKey = "provenance.caller";

    /// <summary>The cookie that carries an API key for browser pages.</summary>
    public const string CookieName = "provenance_key";

    /// <summary>Adds the check to an endpoint or group.</summary>
    public static TBuilder RequireApiKey<TBuilder>(this TBuilder builder, params string[] roles)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var secret = Secret(http.Request);
            var key = secret is null ? null : http.RequestServices.GetRequiredService<ApiKeyStore>().Find(secret);
            if (key is null)
            {
                http.Response.Headers.WWWAuthenticate = "Bearer";
                return TypedResults.Problem("a valid API key is required (Authorization: Bearer KEY)", statusCode: StatusCodes.Status401Unauthorized);
            }

            if (key.Role != ApiRoles.Admin && !roles.Contains(key.Role))
            {
                return TypedResults.Problem($"this endpoint needs the role {string.Join(" or ", roles)}", statusCode: StatusCodes.Status403Forbidden);
            }

            http.Items[ItemKey] = key;
            return await next(context).ConfigureAwait(false);
        });
        return builder;
    }

    /// <summary>The authenticated caller of the current request (set by the filter).</summary>
    public static StoredApiKey Caller(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Items[ItemKey] as StoredApiKey ?? throw new InvalidOperationException("the endpoint has no RequireApiKey filter");
    }

    /// <summary>The caller's key when it is valid and has one of <paramref name="roles"/> (admin always passes); else null.</summary>
    public static StoredApiKey? Authenticate(HttpContext context, params string[] roles)
    {
        ArgumentNullException.ThrowIfNull(context);
        var secret = Secret(context.Request);
        var key = secret is null ? null : context.RequestServices.GetRequiredService<ApiKeyStore>().Find(secret);
        return key is not null && (key.Role == ApiRoles.Admin || roles.Contains(key.Role)) ? key : null;
    }

    private static string? Secret(HttpRequest request)
    {
        var auth = request.Headers.Authorization.ToString();
        if (auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return auth["Bearer ".Length..].Trim();
        }

        var header = request.Headers["X-Api-Key"].ToString();
        if (header.Length > 0)
        {
            return header;
        }

        // Browsers (the dashboard) carry the key in an HttpOnly, SameSite=Strict cookie set by /dashboard/login.
        return request.Cookies.TryGetValue(CookieName, out var cookie) && cookie.Length > 0 ? cookie : null;
    }
}
