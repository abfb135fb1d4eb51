using System.Reflection;
using Microsoft.Extensions.Logging;

namespace Provenance.Host.Tests.Operations;

/// <summary>
/// Log shippers and alert rules key on the event id, so one id must mean one message across the product: two
/// <c>[LoggerMessage]</c> methods that share an id make a rule on "InfluxDB refused a batch" also fire on "a gateway
/// was registered on Fabric".
/// </summary>
public sealed class LogEventIdTests
{
    private static readonly string[] ProductAssemblies =
        ["Provenance.Core", "Provenance.Storage", "Provenance.Ingestion", "Provenance.Fabric", "Provenance.Api", "provenance"];

    [Fact]
    public void Every_logger_message_in_the_product_has_its_own_event_id()
    {
        var messages = ProductAssemblies
            .Select(Assembly.Load)
            .SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(m => (Method: m, Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(x => x.Attribute is not null)
            .Select(x => (Id: x.Attribute!.EventId, Name: $"{x.Method.DeclaringType!.FullName}.{x.Method.Name}", x.Attribute.Message))
            .ToList();

        Assert.True(messages.Count > 50, $"only {messages.Count} [LoggerMessage] methods found: the scan is not looking at the product");
        Assert.All(messages, m => Assert.True(m.Id > 0, $"{m.Name} has no event id"));
        var shared = messages.GroupBy(m => m.Id).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(" | ", g.Select(m => $"{m.Name} \"{m.Message}\""))}").ToList();
        Assert.True(shared.Count == 0, "event ids used by more than one message:\n" + string.Join('\n', shared));
    }
}
