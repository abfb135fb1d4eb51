using System.Globalization;
using System.Text.Json;

namespace Provenance.Api.Pages.Text;

/// <summary>
/// The strings of one page language: a table of keys to text, with <c>{name}</c> placeholders. Text comes out
/// unencoded; pages HTML-encode it when they write it. Immutable and thread-safe.
/// </summary>
public sealed class PageText
{
    private readonly IReadOnlyDictionary<string, string> _table;

    internal PageText(string language, IReadOnlyDictionary<string, string> table)
    {
        Language = language;
        _table = table;
    }

    /// <summary>English, the default.</summary>
    public static PageText English { get; } = new("en", EnglishText.Table);

    /// <summary>Simplified Chinese.</summary>
    public static PageText SimplifiedChinese { get; } = new("zh-CN", SimplifiedChineseText.Table);

    /// <summary>The BCP 47 tag written into the page's <c>lang</c> attribute.</summary>
    public string Language { get; }

    /// <summary>The keys of the table (every language has the same keys).</summary>
    public IEnumerable<string> Keys => _table.Keys;

    /// <summary>The text for <paramref name="key"/>; the English text when this language lacks it; the key itself when neither has it.</summary>
    public string this[string key] => _table.TryGetValue(key, out var text) || EnglishText.Table.TryGetValue(key, out text) ? text : key;

    /// <summary>Whether this language has a text for <paramref name="key"/>.</summary>
    public bool Has(string key) => _table.ContainsKey(key);

    /// <summary>The text for <paramref name="key"/> with each <c>{name}</c> replaced by its value.</summary>
    public string Format(string key, params (string Name, object? Value)[] values)
    {
        var text = this[key];
        foreach (var (name, value) in values)
        {
            text = text.Replace("{" + name + "}", Convert.ToString(value, CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }

        return text;
    }

    /// <summary>The table as a JSON object, for the page script (safe inside a script data block: &lt; and &gt; are escaped).</summary>
    public string ToJson() => JsonSerializer.Serialize(_table, PageJsonContext.Default.IReadOnlyDictionaryStringString);
}
