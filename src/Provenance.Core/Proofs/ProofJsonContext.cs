using System.Text.Json.Serialization;

namespace Provenance.Core.Proofs;

/// <summary>Source-generated JSON for proof bundles, indented so that a person can read what they are checking.</summary>
[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(ProofBundle))]
public sealed partial class ProofJsonContext : JsonSerializerContext;
