using System.Globalization;

namespace Provenance.Ingestion.Tests.EventHubs.Support;

/// <summary>
/// The position filter a receive link asks for, as Event Hubs reads it: an <c>apache.org:selector-filter:string</c>
/// such as <c>amqp.annotation.x-opt-sequence-number &gt; 41</c>, <c>amqp.annotation.x-opt-offset &gt;= 0</c> (offsets here
/// are sequence number × 100) or <c>amqp.annotation.x-opt-enqueued-time &gt; {ms}</c>.
/// </summary>
public sealed record LinkFilter(string Expression, long FirstSequenceNumber)
{
    private const string SequencePrefix = "amqp.annotation.x-opt-sequence-number ";
    private const string OffsetPrefix = "amqp.annotation.x-opt-offset ";

    /// <summary>Where a link with this expression starts, given the partition's next sequence number (for "latest").</summary>
    public static LinkFilter Parse(string expression, long nextSequenceNumber)
    {
        var tokens = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (tokens.Length != 3 || tokens[1] is not (">" or ">="))
        {
            throw new FormatException($"unsupported filter '{expression}'");
        }

        var inclusive = tokens[1] == ">=";
        var value = tokens[2].Trim('\'');
        long first;
        if (expression.StartsWith(SequencePrefix, StringComparison.Ordinal))
        {
            first = long.Parse(value, CultureInfo.InvariantCulture) + (inclusive ? 0 : 1);
        }
        else if (expression.StartsWith(OffsetPrefix, StringComparison.Ordinal))
        {
            // -1 is the start of the partition, @latest its end.
            first = value switch
            {
                "-1" => 0,
                "@latest" => nextSequenceNumber,
                _ => (long.Parse(value, CultureInfo.InvariantCulture) / 100) + (inclusive ? 0 : 1),
            };
        }
        else
        {
            throw new FormatException($"unsupported filter '{expression}'");
        }

        return new LinkFilter(expression, Math.Max(first, 0));
    }
}
