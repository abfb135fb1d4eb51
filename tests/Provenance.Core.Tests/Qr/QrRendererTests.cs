using System.Xml.Linq;
using Provenance.Core.Codes;
using Provenance.Core.Qr;
using Provenance.Core.Tests.Support;

namespace Provenance.Core.Tests.Qr;

/// <summary>QR images decoded by a real decoder (zbarimg from Debian zbar-tools) must give the exact URL back.</summary>
public sealed class QrRendererTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("prov-qr-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<int, QrErrorCorrection> Variants() => new()
    {
        { 2, QrErrorCorrection.L },
        { 4, QrErrorCorrection.M },
        { 6, QrErrorCorrection.Q },
        { 10, QrErrorCorrection.H },
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task A_png_decodes_with_zbarimg_to_the_exact_url(int moduleSize, QrErrorCorrection ecc)
    {
        var codes = new CodeAuthenticator(new CodeKeyRing(new Dictionary<int, byte[]> { [1] = CodeKeyRing.NewKey() }, 1));
        var url = codes.Sign(DigitalLink.ForTag("id.example.com", Gtin.Parse("09506000134352"), Serial.Generate(), "L%2&x"));
        var path = Path.Combine(_dir, $"{moduleSize}-{ecc}.png");
        await File.WriteAllBytesAsync(path, QrRenderer.RenderPng(url, new QrOptions(moduleSize, ecc)));

        var (code, stdout, stderr) = await ExternalTool.RunAsync("zbarimg", ["--raw", "-q", path]);

        Assert.True(code == 0, $"zbarimg failed ({code}): {stderr}");
        Assert.Equal(url, stdout.TrimEnd('\n'));
    }

    [Fact]
    public void A_higher_error_correction_makes_a_larger_symbol()
    {
        const string Url = "https://id.example.com/01/09506000134352/21/7KQ2M9XW4RTA?k=1&m=AAAAAAAAAAAAAAAA";
        Assert.True(QrRenderer.RenderPng(Url, new QrOptions(1, QrErrorCorrection.H)).Length > 0);
        Assert.True(Modules(QrRenderer.RenderSvg(Url, new QrOptions(1, QrErrorCorrection.H))) > Modules(QrRenderer.RenderSvg(Url, new QrOptions(1, QrErrorCorrection.L))));
    }

    [Fact]
    public void An_svg_is_well_formed_scales_with_the_module_size_and_has_dark_modules()
    {
        const string Url = "https://id.example.com/01/09506000134352/21/ABC?k=1&m=AAAAAAAAAAAAAAAA";
        var small = XDocument.Parse(QrRenderer.RenderSvg(Url, new QrOptions(2)));
        var large = XDocument.Parse(QrRenderer.RenderSvg(Url, new QrOptions(8)));

        Assert.Equal("svg", small.Root!.Name.LocalName);
        Assert.Equal(Modules(small.ToString()), Modules(large.ToString()));
        Assert.Equal(4 * Width(small.ToString()), Width(large.ToString()));
        Assert.Contains(large.Descendants(), e => e.Name.LocalName is "rect" or "path");
    }

    private static int Modules(string svg) =>
        int.Parse(XDocument.Parse(svg).Root!.Attribute("viewBox")!.Value.Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture);

    private static int Width(string svg) =>
        int.Parse(XDocument.Parse(svg).Root!.Attribute("width")!.Value.Replace("px", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
}
