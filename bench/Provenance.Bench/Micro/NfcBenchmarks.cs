using BenchmarkDotNet.Attributes;
using Provenance.Core.Nfc;

namespace Provenance.Bench.Micro;

/// <summary>
/// NFC cap taps: <see cref="SunVerifier.Verify(SunMessage)"/> (PICCData decryption, AN10922 diversification of the
/// chip's key, session key, SDMMAC, file data decryption) against one raw AES-CMAC of the same MAC input with a keyed
/// instance: the ratio is how many CMACs a whole verification costs.
/// </summary>
public class NfcBenchmarks
{
    private SunVerifier _verifier = null!;
    private SunMessage[] _taps = [];
    private AesCmac _cmac = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var keys = new NfcKeyRing(new Dictionary<int, byte[]> { [1] = NfcKeyRing.NewMasterKey() }, 1);
        _verifier = new SunVerifier(keys);
        _cmac = new AesCmac(NfcKeyRing.NewMasterKey());
        _taps = [.. Enumerable.Range(0, 1024).Select(i =>
        {
            var uid = $"04{i:X4}A1B2C3D4";
            var chip = keys.ChipKeys(1, Convert.FromHexString(uid));
            return new TapEmulator(1, uid, chip.SdmMetaRead, chip.SdmFileRead).Tap(i + 1);
        })];
    }

    [GlobalCleanup]
    public void Cleanup() => _cmac.Dispose();

    [Benchmark(Baseline = true)]
    public byte[] RawCmac() => _cmac.Compute(_taps[_next++ & 1023].MacInput);

    [Benchmark]
    public SunStatus SunVerify() => _verifier.Verify(_taps[_next++ & 1023]).Status;
}
