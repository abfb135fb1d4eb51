namespace Provenance.Api.Distribution;

/// <summary>The <c>reason</c> a <c>receipt_mismatch</c> alert carries in its detail (stable wire names).</summary>
public static class ReceiptReasons
{
    /// <summary>Bottles shipped to one distributor turned up in another's receipt; the alert belongs to the owner and names the receiver.</summary>
    public const string ReceivedByAnotherDistributor = "received_by_another_distributor";

    /// <summary>Bottles no shipment ever allocated turned up in a receipt (the producer's alert: they left without paperwork).</summary>
    public const string NeverShipped = "never_shipped";

    /// <summary>Codes whose MAC fails (fakes) were scanned at the distributor's warehouse.</summary>
    public const string CounterfeitCodes = "counterfeit_codes";

    /// <summary>The receipt's declared place is outside the receiving distributor's own sales region.</summary>
    public const string OutsideReceiverRegion = "receipt_outside_receiver_region";
}
