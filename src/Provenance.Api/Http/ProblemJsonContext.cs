using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;

namespace Provenance.Api.Http;

[JsonSerializable(typeof(ProblemDetails))]
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class ProblemJsonContext : JsonSerializerContext;
