using QRCoder;

namespace Provenance.Core.Qr;

/// <summary>Renders codes as QR images with QRCoder (PNG bytes or SVG text; no System.Drawing). Thread-safe.</summary>
public static class QrRenderer
{
    public static byte[] RenderPng(string text, QrOptions? options = null)
    {
        options ??= new QrOptions();
        using var data = Generate(text, options);
        return new PngByteQRCode(data).GetGraphic(options.ModuleSize, drawQuietZones: true);
    }

    /// <summary>PNG and SVG of the same code from one QR matrix (the matrix is most of the cost).</summary>
    public static (byte[] Png, string Svg) Render(string text, QrOptions? options = null)
    {
        options ??= new QrOptions();
        using var data = Generate(text, options);
        return (new PngByteQRCode(data).GetGraphic(options.ModuleSize, drawQuietZones: true), new SvgQRCode(data).GetGraphic(options.ModuleSize));
    }

    public static string RenderSvg(string text, QrOptions? options = null)
    {
        options ??= new QrOptions();
        using var data = Generate(text, options);
        return new SvgQRCode(data).GetGraphic(options.ModuleSize);
    }

    private static QRCodeData Generate(string text, QrOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ModuleSize, 1);
        var level = options.ErrorCorrection switch
        {
            QrErrorCorrection.L => QRCodeGenerator.ECCLevel.L,
            QrErrorCorrection.M => QRCodeGenerator.ECCLevel.M,
            QrErrorCorrection.Q => QRCodeGenerator.ECCLevel.Q,
            _ => QRCodeGenerator.ECCLevel.H,
        };
        return QRCodeGenerator.GenerateQrCode(text, level);
    }
}
