namespace Provenance.Core.Qr;

/// <summary>QR error-correction level: L ≈ 7 %, M ≈ 15 %, Q ≈ 25 %, H ≈ 30 % of the symbol recoverable.</summary>
public enum QrErrorCorrection
{
    L,
    M,
    Q,
    H,
}
