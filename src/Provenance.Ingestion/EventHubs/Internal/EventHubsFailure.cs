using System.Security.Authentication;
using Azure.Messaging.EventHubs;
using Provenance.Core.Resilience;

namespace Provenance.Ingestion.EventHubs.Internal;

/// <summary>How the Event Hubs source judges a failure: whether retrying can cure it, what an operator should read, and how long to wait.</summary>
internal static class EventHubsFailure
{
    /// <summary>Failures that retrying does not cure: refused credentials, an untrusted TLS certificate, a hub or consumer group that does not exist.</summary>
    public static bool IsPermanent(Exception e) => e switch
    {
        UnauthorizedAccessException or AuthenticationException => true,
        EventHubsException { Reason: EventHubsException.FailureReason.ResourceNotFound } => true,
        EventHubsException hubs => !hubs.IsTransient && hubs.Reason != EventHubsException.FailureReason.ConsumerDisconnected,
        _ => e.InnerException is { } inner && IsPermanent(inner),
    };

    public static string Describe(Exception e) => e switch
    {
        UnauthorizedAccessException => $"access refused by the endpoint ({FirstLine(e.Message)}): check EventHubs:ConnectionString (a policy with 'service connect')",
        AuthenticationException => $"TLS: {FirstLine(e.Message)} (set EventHubs:TrustedCaPath if the endpoint uses a private CA)",
        EventHubsException { Reason: EventHubsException.FailureReason.ResourceNotFound } => $"not found ({FirstLine(e.Message)}): check the Event Hub-compatible name and EventHubs:ConsumerGroup",
        _ when e.InnerException is AuthenticationException inner => Describe(inner),
        _ => $"{e.GetType().Name}: {FirstLine(e.Message)}",
    };

    /// <summary>1 s, 2 s, 4 s, … up to <paramref name="max"/>.</summary>
    public static TimeSpan Backoff(int failures, TimeSpan max) =>
        SupervisorRetry.Doubling(Math.Max(failures - 1, 0), TimeSpan.FromSeconds(1), max);

    private static string FirstLine(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        return (end < 0 ? text : text[..end]).Trim();
    }
}
