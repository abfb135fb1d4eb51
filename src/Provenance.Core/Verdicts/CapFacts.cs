using Provenance.Core.Nfc;

namespace Provenance.Core.Verdicts;

/// <summary>
/// What an authenticated tap of an NFC cap adds to a scan: whether its read counter moved forward since the last
/// accepted tap of the chip, the tamper loop's state, and whether the chip was bound to a bottle at a line. Immutable.
/// </summary>
public sealed record CapFacts(CapCounter Counter, TamperStatus Tamper, bool Bound, int ReadCounter);

/// <summary>The read counter of a tap against the highest one accepted before for the same chip.</summary>
public enum CapCounter
{
    /// <summary>Higher than any seen: a fresh tap.</summary>
    Fresh,

    /// <summary>Equal to the last accepted one: the same message again (a copied URL, or a page reload).</summary>
    Replayed,

    /// <summary>Lower than the last accepted one: an older message that was captured and held back.</summary>
    RolledBack,
}
