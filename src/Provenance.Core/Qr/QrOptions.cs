namespace Provenance.Core.Qr;

/// <summary>How a QR is drawn: pixels per module (PNG; SVG user units) and error correction. The 4-module quiet zone is always included.</summary>
public sealed record QrOptions(int ModuleSize = 10, QrErrorCorrection ErrorCorrection = QrErrorCorrection.M);
