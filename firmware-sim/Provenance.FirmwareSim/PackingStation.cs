using System.Globalization;
using Provenance.Core.Gateways;

namespace Provenance.FirmwareSim;

/// <summary>
/// The packing station after the sealing machine: collects sealed bottles, closes a container (box or case) every
/// <see cref="SimulatorOptions.PackEvery"/> bottles and a pallet every <see cref="SimulatorOptions.PalletEvery"/>
/// containers, each as a pack event with a fresh SSCC. <see cref="Finish"/> closes the partial ones at the end of the run.
/// Packs bottles sealed in this run only: after a restart, bottles sealed before it stay unpacked.
/// </summary>
internal sealed class PackingStation(SimulatorOptions options)
{
    private readonly List<string> _bottles = [];
    private readonly List<string> _containers = [];
    // Not from the seeded generator: two runs with the same --seed must still not reuse container codes.
    private readonly long _serialBase = Random.Shared.NextInt64(0, 1_000_000_000);
    private long _issued;

    /// <summary>Adds sealed bottles; returns the pack events this closes (containers, then a pallet when one is full).</summary>
    public IReadOnlyList<PackEvent> Add(IEnumerable<string> sealedCodes, DateTimeOffset at, ref long sequence)
    {
        var packs = new List<PackEvent>();
        if (options.PackEvery is not { } every)
        {
            return packs;
        }

        foreach (var code in sealedCodes)
        {
            _bottles.Add(code);
            if (_bottles.Count == every)
            {
                Close(packs, at, ref sequence);
            }
        }

        return packs;
    }

    /// <summary>Closes the partial container and the partial pallet.</summary>
    public IReadOnlyList<PackEvent> Finish(DateTimeOffset at, ref long sequence)
    {
        var packs = new List<PackEvent>();
        if (_bottles.Count > 0)
        {
            Close(packs, at, ref sequence);
        }

        if (_containers.Count > 0)
        {
            packs.Add(Pallet(at, ++sequence));
        }

        return packs;
    }

    private void Close(List<PackEvent> packs, DateTimeOffset at, ref long sequence)
    {
        var code = NextSscc();
        packs.Add(new PackEvent
        {
            EventId = Guid.CreateVersion7().ToString(), Line = options.LineId, PackedAt = at, Level = options.PackLevel, Container = code,
            Bottles = [.. _bottles], Sequence = ++sequence,
        });
        _bottles.Clear();
        if (options.PalletEvery is { } perPallet)
        {
            _containers.Add(code);
            if (_containers.Count == perPallet)
            {
                packs.Add(Pallet(at, ++sequence));
            }
        }
    }

    private PackEvent Pallet(DateTimeOffset at, long sequence)
    {
        var pallet = new PackEvent
        {
            EventId = Guid.CreateVersion7().ToString(), Line = options.LineId, PackedAt = at, Level = "pallet", Container = NextSscc(),
            Containers = [.. _containers], Sequence = sequence,
        };
        _containers.Clear();
        return pallet;
    }

    /// <summary>An SSCC element string: AI 00, extension digit 0, company prefix, serial reference, GS1 mod-10 check digit.</summary>
    private string NextSscc()
    {
        var reference = (_serialBase + _issued++).ToString(CultureInfo.InvariantCulture);
        var body = "0" + options.SsccCompanyPrefix + reference.PadLeft(16 - options.SsccCompanyPrefix.Length, '0')[^(16 - options.SsccCompanyPrefix.Length)..];
        var sum = 0;
        for (var i = 0; i < body.Length; i++)
        {
            sum += (body[body.Length - 1 - i] - '0') * (i % 2 == 0 ? 3 : 1);
        }

        return "00" + body + (char)('0' + ((10 - (sum % 10)) % 10));
    }
}
