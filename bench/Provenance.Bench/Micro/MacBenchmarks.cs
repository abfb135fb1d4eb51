using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using Provenance.Core.Codes;

namespace Provenance.Bench.Micro;

/// <summary>Code MAC: <see cref="CodeAuthenticator.Sign"/> (canonical path, HMAC, URL) against a raw HMAC-SHA256 of the same path.</summary>
public class MacBenchmarks
{
    private readonly byte[] _key = CodeKeyRing.NewKey();
    private CodeAuthenticator _codes = null!;
    private DigitalLink[] _links = [];
    private byte[][] _paths = [];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _codes = new CodeAuthenticator(new CodeKeyRing(new Dictionary<int, byte[]> { [1] = _key }, 1));
        var gtin = Gtin.Parse("09506000134352");
        _links = [.. Enumerable.Range(0, 1024).Select(_ => DigitalLink.ForTag("id.example.com", gtin, Serial.Generate()))];
        _paths = [.. _links.Select(l => Encoding.UTF8.GetBytes(l.CanonicalPath))];
    }

    [Benchmark(Baseline = true)]
    public byte[] RawHmac() => HMACSHA256.HashData(_key, _paths[_next++ & 1023]);

    [Benchmark]
    public string CodeAuthenticatorSign() => _codes.Sign(_links[_next++ & 1023]);
}
