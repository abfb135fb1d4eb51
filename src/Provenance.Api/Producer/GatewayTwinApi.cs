using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Provenance.Api.Security;
using Provenance.Core.Gateways;
using Provenance.Core.Twins;
using Provenance.Storage;

namespace Provenance.Api.Producer;

/// <summary>
/// A gateway's device twin, direct methods and cloud-to-device messages over HTTP, as IoT Hub's service API offers
/// them, for gateways speaking IoT Hub's dialect to this node's broker. Producer (and admin) keys only.
/// </summary>
public static class GatewayTwinApi
{
    private const int MaxMessageBytes = 64 * 1024;
    private const int MaxProperties = 32;

    public static IEndpointRouteBuilder MapGatewayTwinApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/gateways/{id}").WithTags("Producer").RequireAuthorization(ApiPolicies.Producer);
        api.MapGet("/twin", GetTwin).WithName("GetGatewayTwin")
            .WithSummary("A gateway's device twin: desired configuration and reported state (firmware version, queue depth), each with its $version.");
        api.MapPatch("/twin/desired", PatchDesiredAsync).WithName("PatchGatewayTwinDesired")
            .WithSummary("Merge a JSON patch into the desired properties (null removes one; publishIntervalSeconds 1-86400, lineIds an array of line ids) and push it to the gateway if connected (pushed). A gateway that is not connected reads it when it next asks for its twin.");
        api.MapPost("/methods/{name}", InvokeMethodAsync).WithName("InvokeGatewayMethod")
            .WithSummary("Invoke a direct method (e.g. flushQueue) and return the gateway's status and payload: 409 when the gateway is not connected or not listening for methods, 504 when it does not answer within responseTimeoutInSeconds (5-300, default 30).");
        api.MapPost("/messages", SendMessageAsync).WithName("SendGatewayMessage")
            .WithSummary("Send a cloud-to-device message (body up to 64 KB, up to 32 application properties) at QoS 1 to the connected gateway: 202 when handed to it, 409 when it is not connected or not subscribed.");
        return app;
    }

    private static Results<Ok<GatewayTwinBody>, NotFound> GetTwin(string id, DeviceTwinStore twins) =>
        Identifier.IsValid(id) && twins.Find(id) is { } twin ? TypedResults.Ok(Body(twin, null)) : TypedResults.NotFound();

    private static async Task<Results<Ok<GatewayTwinBody>, ProblemHttpResult, NotFound>> PatchDesiredAsync(
        string id, JsonObject patch, RegistryStore registry, DeviceTwinStore twins, IServiceProvider services, CancellationToken cancellationToken)
    {
        if (!Identifier.IsValid(id) || registry.FindGateway(id) is not { } gateway)
        {
            return TypedResults.NotFound();
        }

        if (gateway.IsRevoked)
        {
            return Problem(StatusCodes.Status409Conflict, $"gateway '{id}' was revoked; its twin no longer changes");
        }

        var checkedPatch = TwinDocument.ParsePatch(patch.ToJsonString(), out var error);
        if (checkedPatch is null)
        {
            return Problem(StatusCodes.Status400BadRequest, error);
        }

        if (GatewayTwinSettings.CheckDesired(checkedPatch) is { } refusal)
        {
            return Problem(StatusCodes.Status400BadRequest, refusal);
        }

        DeviceTwin? twin;
        try
        {
            twin = twins.PatchDesired(id, checkedPatch);
        }
        catch (ArgumentException e)
        {
            return Problem(StatusCodes.Status400BadRequest, e.Message);
        }

        if (twin is null)
        {
            return TypedResults.NotFound();
        }

        checkedPatch["$version"] = twin.DesiredVersion;
        var pushed = services.GetService<IDeviceChannel>() is { } channel
            && await channel.PushDesiredAsync(id, checkedPatch.ToJsonString(), twin.DesiredVersion, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(Body(twin, pushed));
    }

    private static async Task<Results<Ok<DirectMethodResponseBody>, ProblemHttpResult, NotFound>> InvokeMethodAsync(
        string id, string name, DirectMethodRequest? body, RegistryStore registry, IServiceProvider services, CancellationToken cancellationToken)
    {
        if (!Identifier.IsValid(id) || registry.FindGateway(id) is not { } gateway)
        {
            return TypedResults.NotFound();
        }

        if (!DirectMethods.IsValidName(name))
        {
            return Problem(StatusCodes.Status400BadRequest, "a method name is 1-100 letters, digits, '-' or '_'");
        }

        var timeout = body?.ResponseTimeoutInSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : DirectMethods.DefaultTimeout;
        if (timeout < DirectMethods.MinTimeout || timeout > DirectMethods.MaxTimeout)
        {
            return Problem(StatusCodes.Status400BadRequest, $"responseTimeoutInSeconds must be from {DirectMethods.MinTimeout.TotalSeconds} to {DirectMethods.MaxTimeout.TotalSeconds}");
        }

        if (Offline(gateway, services, "direct methods") is { } offline)
        {
            return offline;
        }

        var outcome = await services.GetRequiredService<IDeviceChannel>()
            .InvokeMethodAsync(id, name, body?.Payload?.ToJsonString() ?? "null", timeout, cancellationToken).ConfigureAwait(false);
        return outcome.State switch
        {
            DirectMethodState.Answered => TypedResults.Ok(new DirectMethodResponseBody(outcome.Status, ParsePayload(outcome.PayloadJson))),
            DirectMethodState.TimedOut => Problem(StatusCodes.Status504GatewayTimeout, $"gateway '{id}' did not answer method '{name}' within {timeout.TotalSeconds} s"),
            _ => NotListening(id, "direct methods"),
        };
    }

    private static async Task<Results<Accepted, ProblemHttpResult, NotFound>> SendMessageAsync(
        string id, CloudToDeviceRequest body, RegistryStore registry, IServiceProvider services, CancellationToken cancellationToken)
    {
        if (!Identifier.IsValid(id) || registry.FindGateway(id) is not { } gateway)
        {
            return TypedResults.NotFound();
        }

        var bytes = Encoding.UTF8.GetBytes(body.Body ?? string.Empty);
        var properties = body.Properties ?? [];
        if (body.Body is null || bytes.Length > MaxMessageBytes)
        {
            return Problem(StatusCodes.Status400BadRequest, $"body must be text of at most {MaxMessageBytes} bytes");
        }

        if (properties.Count > MaxProperties || properties.Any(p => p.Key.Length is 0 or > 128 || p.Key[0] == '$' || p.Key.StartsWith("iothub-", StringComparison.OrdinalIgnoreCase) || (p.Value?.Length ?? 0) > 1024))
        {
            return Problem(StatusCodes.Status400BadRequest, $"properties: at most {MaxProperties}, names 1-128 characters not starting with '$' or 'iothub-', values at most 1024 characters");
        }

        if (Offline(gateway, services, "cloud-to-device messages") is { } offline)
        {
            return offline;
        }

        return await services.GetRequiredService<IDeviceChannel>().SendToDeviceAsync(id, bytes, properties.ToDictionary(p => p.Key, p => p.Value ?? string.Empty), cancellationToken).ConfigureAwait(false)
            ? TypedResults.Accepted((string?)null)
            : NotListening(id, "cloud-to-device messages");
    }

    private static ProblemHttpResult? Offline(Core.Registry.GatewayRegistration gateway, IServiceProvider services, string feature) =>
        gateway.IsRevoked ? Problem(StatusCodes.Status409Conflict, $"gateway '{gateway.Id}' was revoked")
        : services.GetService<IDeviceChannel>() is null ? Problem(StatusCodes.Status503ServiceUnavailable, $"this node runs no embedded broker, so it reaches no gateway for {feature}; call the node that does")
        : null;

    private static ProblemHttpResult NotListening(string id, string feature) =>
        Problem(StatusCodes.Status409Conflict, $"gateway '{id}' is not connected to this server over IoT Hub's dialect, or has not subscribed to {feature}; try again when it is online");

    private static JsonNode? ParsePayload(string? json)
    {
        try
        {
            return json is null ? null : JsonNode.Parse(json);
        }
        catch (System.Text.Json.JsonException)
        {
            return JsonValue.Create(json);
        }
    }

    private static ProblemHttpResult Problem(int status, string detail) => TypedResults.Problem(detail, statusCode: status);

    private static GatewayTwinBody Body(DeviceTwin twin, bool? pushed) => new(
        twin.GatewayId, twin.Desired, twin.DesiredVersion, twin.Reported, twin.ReportedVersion, twin.ReportedAt,
        GatewayTwinSettings.ReportedFirmware(twin.Reported), GatewayTwinSettings.ReportedQueueDepth(twin.Reported), pushed);
}
