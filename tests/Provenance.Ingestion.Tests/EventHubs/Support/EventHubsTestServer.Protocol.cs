using Amqp;
using Amqp.Framing;
using Amqp.Listener;
using Amqp.Sasl;
using Amqp.Types;

namespace Provenance.Ingestion.Tests.EventHubs.Support;

public sealed partial class EventHubsTestServer
{
    private const string AuthorizedAudiences = "authorized-audiences";

    /// <summary>
    /// Event Hubs' SASL mechanism: the client names <c>MSSBCBS</c> and proves nothing yet; authorization follows per
    /// link through CBS tokens.
    /// </summary>
    private sealed class CbsSaslProfile() : SaslProfile(new Symbol("MSSBCBS"))
    {
        protected override ITransport UpgradeTransport(ITransport transport) => transport;

        protected override DescribedList GetStartCommand(string hostname) => throw new NotSupportedException("server side only");

        protected override DescribedList OnCommand(DescribedList command) =>
            command is SaslInit ? new SaslOutcome { Code = SaslCode.Ok } : new SaslOutcome { Code = SaslCode.Auth };
    }

    /// <summary><c>$cbs</c>: <c>put-token</c> with a shared access signature for an audience; 202 when it verifies, 401 otherwise.</summary>
    private sealed class CbsProcessor(EventHubsTestServer server) : IRequestProcessor
    {
        public int Credit => 100;

        public void Process(RequestContext requestContext)
        {
            var request = requestContext.Message;
            var properties = request.ApplicationProperties;
            var audience = properties?["name"] as string ?? string.Empty;
            string? problem = properties?["operation"] as string != "put-token" ? "operation must be put-token"
                : properties["type"] as string != "servicebus.windows.net:sastoken" ? $"token type '{properties["type"]}' is not servicebus.windows.net:sastoken"
                : server.Sas.Check(request.Body as string, audience);
            if (problem is null)
            {
                var connection = (ListenerConnection)requestContext.Link.Session.Connection;
                lock (connection.Properties)
                {
                    var audiences = connection.Properties.TryGetValue(AuthorizedAudiences, out var set) ? (HashSet<string>)set : [];
                    audiences.Add(audience);
                    connection.Properties[AuthorizedAudiences] = audiences;
                }
            }
            else
            {
                server.Refusals.Enqueue($"put-token for {audience}: {problem}");
            }

            requestContext.Complete(Response(request, problem is null ? 202 : 401, problem ?? "Accepted", null));
        }
    }

    /// <summary><c>$management</c>: READ of the hub (name, created_at, partition_count, partition_ids) or of one partition.</summary>
    private sealed class ManagementProcessor(EventHubsTestServer server) : IRequestProcessor
    {
        public int Credit => 100;

        public void Process(RequestContext requestContext)
        {
            var request = requestContext.Message;
            var properties = request.ApplicationProperties;
            var audience = $"sb://{Namespace}/{server.HubName}";
            var problem = server.Sas.Check(properties?["security_token"] as string, audience);
            if (problem is not null)
            {
                server.Refusals.Enqueue($"management READ: {problem}");
                requestContext.Complete(Response(request, 401, problem, null));
                return;
            }

            if (properties!["operation"] as string != "READ" || properties["name"] as string != server.HubName)
            {
                requestContext.Complete(Response(request, 404, $"The messaging entity 'sb://{Namespace}/{properties["name"]}' could not be found.", null));
                return;
            }

            var body = new Map();
            if (properties["type"] as string == "com.microsoft:eventhub")
            {
                body["name"] = server.HubName;
                body["created_at"] = DateTime.UtcNow.AddDays(-30);
                body["partition_count"] = server._partitions.Count;
                body["partition_ids"] = server.PartitionIds.ToArray();
            }
            else if (properties["type"] as string == "com.microsoft:partition" && server.FindPartition(properties["partition"] as string ?? string.Empty) is { } partition)
            {
                var last = partition.Count - 1;
                body["name"] = server.HubName;
                body["partition"] = properties["partition"];
                body["begin_sequence_number"] = 0L;
                body["last_enqueued_sequence_number"] = last;
                body["last_enqueued_offset"] = (Math.Max(last, 0) * 100).ToString(System.Globalization.CultureInfo.InvariantCulture);
                body["last_enqueued_time_utc"] = DateTime.UtcNow;
                body["is_partition_empty"] = last < 0;
            }
            else
            {
                requestContext.Complete(Response(request, 404, "no such partition", null));
                return;
            }

            requestContext.Complete(Response(request, 200, "OK", body));
        }
    }

    /// <summary>Receive links on partitions: authorized by a CBS token for exactly that link's address, then fed from the filter's position.</summary>
    private sealed class ReceiveLinkProcessor(EventHubsTestServer server) : ILinkProcessor
    {
        public void Process(AttachContext attachContext)
        {
            if (!attachContext.Attach.Role || attachContext.Attach.Source is not Source { Address: { } address } source)
            {
                attachContext.Complete(new Error(ErrorCode.NotAllowed) { Description = "only receive links are served" });
                return;
            }

            var parts = address.Trim('/').Split('/');
            if (parts.Length != 5 || parts[0] != server.HubName || parts[1] != "ConsumerGroups" || parts[3] != "Partitions")
            {
                attachContext.Complete(new Error(ErrorCode.NotFound) { Description = $"The messaging entity 'sb://{Namespace}/{address.Trim('/')}' could not be found." });
                return;
            }

            var connection = (ListenerConnection)attachContext.Link.Session.Connection;
            var audience = $"amqps://{Namespace}{(address.StartsWith('/') ? address : "/" + address)}";
            lock (connection.Properties)
            {
                if (!connection.Properties.TryGetValue(AuthorizedAudiences, out var set) || !((HashSet<string>)set).Contains(audience))
                {
                    attachContext.Complete(new Error(ErrorCode.UnauthorizedAccess) { Description = $"no token was put for {audience}" });
                    return;
                }
            }

            // Worded as the service words it: the client tells a missing entity from a broken link by this text.
            if (!server.ConsumerGroups.Contains(parts[2]) || server.FindPartition(parts[4]) is not { } partition)
            {
                attachContext.Complete(new Error(ErrorCode.NotFound) { Description = $"The messaging entity 'sb://{Namespace}/{address.Trim('/')}' could not be found." });
                return;
            }

            var expression = source.FilterSet?.Values.OfType<DescribedValue>().Select(v => v.Value as string).FirstOrDefault(v => v is not null);
            if (expression is null)
            {
                attachContext.Complete(new Error(ErrorCode.InvalidField) { Description = "a receive link needs a selector filter" });
                return;
            }

            var filter = LinkFilter.Parse(expression, partition.Count);
            server.OnLinkAttached(parts[4], filter);
            attachContext.Complete(new SourceLinkEndpoint(new PartitionFeed(partition, filter.FirstSequenceNumber, server.Stopping), attachContext.Link), 0);
        }
    }

    private static Message Response(Message request, int status, string description, Map? body)
    {
        var response = new Message
        {
            Properties = new Properties { CorrelationId = request.Properties?.MessageId },
            ApplicationProperties = new ApplicationProperties(),
        };
        response.ApplicationProperties["status-code"] = status;
        response.ApplicationProperties["status-description"] = description;
        if (body is not null)
        {
            response.BodySection = new AmqpValue { Value = body };
        }

        return response;
    }
}
