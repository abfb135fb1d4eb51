using System.Text.Json.Serialization;

namespace Provenance.Api.Pages.Text;

/// <summary>Source-generated JSON for the string tables handed to page scripts.</summary>
[JsonSerializable(typeof(IReadOnlyDictionary<string, string>))]
[JsonSerializable(typeof(string))]
internal sealed partial class PageJsonContext : JsonSerializerContext;
