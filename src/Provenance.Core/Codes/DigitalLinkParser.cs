namespace Provenance.Core.Codes;

/// <summary>The rules of GS1 Digital Link URI syntax, applied to a path and query.</summary>
internal static class DigitalLinkParser
{
    public static bool TryParsePathAndQuery(string pathAndQuery, string scheme, string authority, out DigitalLink? link, out string? error)
    {
        link = null;
        var hash = pathAndQuery.IndexOf('#', StringComparison.Ordinal);
        if (hash >= 0)
        {
            pathAndQuery = pathAndQuery[..hash];
        }

        var q = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        var path = q >= 0 ? pathAndQuery[..q] : pathAndQuery;
        var query = q >= 0 ? pathAndQuery[(q + 1)..] : string.Empty;
        if (!path.StartsWith('/'))
        {
            return Fail("path must start with '/'", out error);
        }

        var segments = path[1..].Split('/');
        if (segments.Any(s => s.Length == 0))
        {
            return Fail("path has an empty segment", out error);
        }

        var keyIndex = -1;
        for (var i = 0; i < segments.Length; i++)
        {
            if (segments[i] is ApplicationIdentifiers.Gtin or ApplicationIdentifiers.Sscc && (segments.Length - i) % 2 == 0)
            {
                keyIndex = i;
                break;
            }
        }

        if (keyIndex < 0)
        {
            return Fail("no GS1 primary key in the path (/01/{gtin} or /00/{sscc} followed by AI/value pairs)", out error);
        }

        var prefix = segments[..keyIndex];
        if (prefix.FirstOrDefault(s => s is "00" or "01" or "10" or "21" or "22") is { } misplaced)
        {
            return Fail($"AI {misplaced} is in the wrong place: key qualifiers follow the primary key", out error);
        }

        var builder = new DigitalLink { Scheme = scheme, Authority = authority, PathPrefix = string.Join('/', prefix) };
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var lastQualifier = -1;
        for (var i = keyIndex; i < segments.Length; i += 2)
        {
            var ai = segments[i];
            if (!DigitalLinkEscaping.TryDecode(segments[i + 1], out var value))
            {
                return Fail($"value of AI {ai} has a broken percent-escape", out error);
            }

            if (!seen.Add(ai))
            {
                return Fail($"AI {ai} appears twice", out error);
            }

            if (i == keyIndex)
            {
                if (!TryPrimaryKey(ai, value, ref builder, out error))
                {
                    return false;
                }

                continue;
            }

            if (builder.Sscc is not null)
            {
                return Fail($"an SSCC (AI 00) takes no key qualifiers, found AI {ai}", out error);
            }

            var position = Array.IndexOf(ApplicationIdentifiers.GtinQualifiers, ai);
            if (position < 0)
            {
                return Fail(ApplicationIdentifiers.IsKnown(ai) ? $"AI {ai} is a data attribute and belongs in the query, not the path" : $"unknown AI {ai} in the path", out error);
            }

            if (position <= lastQualifier)
            {
                return Fail($"key qualifiers out of order: the order is /22/ then /10/ then /21/, found /{ai}/ after /{ApplicationIdentifiers.GtinQualifiers[lastQualifier]}/", out error);
            }

            lastQualifier = position;
            if (value.Length is 0 or > 20 || !Cset82.IsValid(value))
            {
                return Fail($"value of AI {ai} must be 1-20 characters of GS1 CSET 82", out error);
            }

            builder = ai switch
            {
                ApplicationIdentifiers.Cpv => builder with { Cpv = value },
                ApplicationIdentifiers.Lot => builder with { Lot = value },
                _ => builder with { Serial = value },
            };
        }

        if (!TryAttributes(query, out var attributes, out error))
        {
            return false;
        }

        link = builder with { Attributes = attributes };
        error = null;
        return true;
    }

    private static bool TryPrimaryKey(string ai, string value, ref DigitalLink builder, out string? error)
    {
        if (ai == ApplicationIdentifiers.Gtin)
        {
            if (!Gtin.TryParse(value, out var gtin, out error))
            {
                return false;
            }

            builder = builder with { Gtin = gtin };
            return true;
        }

        if (value.Length != 18 || !CheckDigit.IsValid(value))
        {
            return Fail($"SSCC '{value}' must be 18 digits with a valid check digit", out error);
        }

        builder = builder with { Sscc = value };
        error = null;
        return true;
    }

    private static bool TryAttributes(string query, out List<KeyValuePair<string, string>> attributes, out string? error)
    {
        attributes = [];
        if (query.Length == 0)
        {
            error = null;
            return true;
        }

        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pair in query.Split('&'))
        {
            if (pair.Length == 0)
            {
                continue;
            }

            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var rawKey = eq >= 0 ? pair[..eq] : pair;
            var rawValue = eq >= 0 ? pair[(eq + 1)..] : string.Empty;
            if (!DigitalLinkEscaping.TryDecode(rawKey, out var key) || !DigitalLinkEscaping.TryDecode(rawValue.Replace('+', ' '), out var value) || key.Length == 0)
            {
                return Fail($"query parameter '{pair}' is malformed", out error);
            }

            if (!keys.Add(key))
            {
                return Fail($"query parameter '{key}' appears twice", out error);
            }

            if (ApplicationIdentifiers.LooksLikeAi(key))
            {
                if (key is "00" or "01" or "10" or "21" or "22")
                {
                    return Fail($"AI {key} is a key or key qualifier and belongs in the path, not the query", out error);
                }

                if (!ApplicationIdentifiers.QueryAttributes.TryGetValue(key, out var isValid))
                {
                    return Fail($"unknown AI {key} in the query", out error);
                }

                if (!isValid(value))
                {
                    return Fail($"value '{value}' is not valid for AI {key}", out error);
                }
            }

            attributes.Add(new KeyValuePair<string, string>(key, value));
        }

        error = null;
        return true;
    }

    private static bool Fail(string message, out string? error)
    {
        error = message;
        return false;
    }
}
