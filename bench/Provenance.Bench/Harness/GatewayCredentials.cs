using System.Security.Cryptography;

namespace Provenance.Bench.Harness;

/// <summary>A registered gateway: its id, private key and MQTT password.</summary>
public sealed record GatewayCredentials(string Id, ECDsa Key, string Password);
