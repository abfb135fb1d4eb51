using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Provenance.Api.Security;

/// <summary>The management endpoints' requirement: the request came in on the management listener, or from an admin key.</summary>
public sealed class ManagementAccessRequirement : IAuthorizationRequirement;

/// <summary>
/// Decides <see cref="ManagementAccessRequirement"/> from the connection's local end point (which the client cannot
/// choose, unlike the Host header) or the caller's role. Thread-safe.
/// </summary>
public sealed class ManagementAccessHandler(IOptions<ManagementOptions> options) : AuthorizationHandler<ManagementAccessRequirement>
{
    private readonly IPEndPoint? _listener = options.Value.EndPoint();

    /// <summary>True when <paramref name="connection"/> arrived on the management listener.</summary>
    public bool IsManagementConnection(ConnectionInfo connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (_listener is null || connection.LocalPort != _listener.Port || connection.LocalIpAddress is not { } local)
        {
            return false;
        }

        var address = local.IsIPv4MappedToIPv6 ? local.MapToIPv4() : local;
        return _listener.Address.Equals(IPAddress.Any) || _listener.Address.Equals(IPAddress.IPv6Any) || _listener.Address.Equals(address);
    }

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ManagementAccessRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(context);
        var caller = ApiCaller.From(context.User);
        if ((caller is not null && caller.Role == ApiRoles.Admin && caller.Method == ApiCaller.ApiKeyMethod)
            || (context.Resource is HttpContext http && IsManagementConnection(http.Connection)))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
