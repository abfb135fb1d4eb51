using System.Collections;
using System.Reflection;
using Microsoft.Extensions.Options;

namespace Provenance.Host.Composition.Settings;

/// <summary>
/// Finds configuration keys under the product's sections that no settings class has: a misspelt
/// <c>Broker__Tls__Enabeld</c> is otherwise silently ignored and the operator runs on a default they did not choose.
/// The sections are those of the options classes bound in the service collection (each names its section in a
/// <c>Section</c> constant); a key is unknown when none of the classes bound to its section has a property of that name.
/// </summary>
internal static class UnknownSettingFinder
{
    /// <summary>The option types bound to configuration, by section (types without a <c>Section</c> constant are the framework's and are skipped).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<Type>> BoundSections(IServiceCollection services) =>
        services.Where(d => d.ServiceType.IsGenericType && d.ServiceType.GetGenericTypeDefinition() == typeof(IOptionsChangeTokenSource<>))
            .Select(d => d.ServiceType.GetGenericArguments()[0])
            .Distinct()
            .Select(t => (Type: t, Section: t.GetField("Section", BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue() as string))
            .Where(x => x.Section is not null)
            .GroupBy(x => x.Section!, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<Type>)[.. g.Select(x => x.Type)], StringComparer.OrdinalIgnoreCase);

    /// <summary>Every unknown key (full path) with the closest known name at its level, if one is close.</summary>
    public static IReadOnlyList<UnknownSetting> Find(IConfiguration configuration, IReadOnlyDictionary<string, IReadOnlyList<Type>> sections)
    {
        var unknown = new List<UnknownSetting>();
        foreach (var (section, types) in sections)
        {
            Walk(configuration.GetSection(section), types, unknown);
        }

        return unknown;
    }

    private static void Walk(IConfigurationSection section, IReadOnlyList<Type> types, List<UnknownSetting> unknown)
    {
        var properties = types.SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance)).Where(p => p.CanWrite || IsComplex(p.PropertyType)).ToList();
        foreach (var child in section.GetChildren())
        {
            var matches = properties.Where(p => string.Equals(p.Name, child.Key, StringComparison.OrdinalIgnoreCase)).ToList();
            if (matches.Count == 0)
            {
                unknown.Add(new UnknownSetting(child.Path, Closest(child.Key, properties.Select(p => p.Name))));
                continue;
            }

            var nested = matches.Select(p => p.PropertyType).Where(IsComplex).Distinct().ToList();
            if (nested.Count > 0)
            {
                Walk(child, nested, unknown);
            }
        }
    }

    /// <summary>A settings class whose properties are keys in turn (not a value, a list or a dictionary, whose keys are data).</summary>
    private static bool IsComplex(Type type) =>
        type.IsClass && type != typeof(string) && type != typeof(Uri) && !typeof(IEnumerable).IsAssignableFrom(type);

    private static string? Closest(string key, IEnumerable<string> names)
    {
        var best = names.Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(n => (Name: n, Distance: Distance(key.ToUpperInvariant(), n.ToUpperInvariant())))
            .OrderBy(x => x.Distance).FirstOrDefault();
        return best.Name is not null && best.Distance <= Math.Max(2, key.Length / 3) ? best.Name : null;
    }

    private static int Distance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var diagonal = row[0];
            row[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }

        return row[b.Length];
    }
}
