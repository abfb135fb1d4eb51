using System.Text;
using System.Text.Encodings.Web;

namespace Provenance.Api.Pages;

/// <summary>The shared page frame: document head with the inline style sheet (the CSP allows inline styles, not style files) and viewport for phones.</summary>
internal static class PageLayout
{
    /// <summary>
    /// System fonts only (nothing is fetched): Latin UI fonts first, then the Simplified Chinese fonts of each platform
    /// (macOS/iOS, Android/Linux, Windows), so that Chinese never falls back to boxes where any of them exists.
    /// </summary>
    public const string FontStack =
        "system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,'PingFang SC','Hiragino Sans GB','Noto Sans CJK SC','Noto Sans SC'," +
        "'Source Han Sans SC','Microsoft YaHei','WenQuanYi Micro Hei',sans-serif";

    /// <summary>The same fonts, Chinese first, for pages in Chinese (Latin letters and digits then match the Chinese text).</summary>
    public const string ChineseFontStack =
        "'PingFang SC','Hiragino Sans GB','Noto Sans CJK SC','Noto Sans SC','Source Han Sans SC','Microsoft YaHei','WenQuanYi Micro Hei',system-ui,-apple-system,sans-serif";

    private const string Style =
        ":root{color-scheme:light}*{box-sizing:border-box}body{font-family:" + FontStack + ";margin:0;background:#f3f4f1;color:#1f2328;line-height:1.45}" +
        ":lang(zh) body{font-family:" + ChineseFontStack + "}" +
        "main{max-width:36rem;margin:auto;padding:.8rem}main.wide{max-width:72rem}" +
        ".verdict{color:#fff;border-radius:14px;padding:1.2rem 1rem;text-align:center;box-shadow:0 2px 8px rgba(0,0,0,.15)}.verdict .icon{font-size:3.2rem;line-height:1}" +
        ".verdict h1{margin:.3rem 0;font-size:1.7rem}.verdict p{margin:.2rem 0;font-size:1.05rem}" +
        ".verdict .details{text-align:left;background:rgba(0,0,0,.15);border-radius:10px;padding:.5rem .8rem;margin:.8rem 0 0}.verdict .details dt{margin-top:.2rem}" +
        ".verdict .label{font-weight:600;margin:0}.verdict ul{margin:.2rem 0 0;padding-left:1.1rem}.verdict li{margin:.15rem 0}" +
        "details{margin-top:.5rem}summary{cursor:pointer;color:#57606a;font-size:.85rem}" +
        "section{background:#fff;border-radius:14px;padding:.9rem 1rem;margin-top:.8rem;box-shadow:0 1px 3px rgba(0,0,0,.08)}h2{font-size:1.05rem;margin:0 0 .4rem}" +
        "dl{margin:0}dt{font-weight:600;margin-top:.45rem;font-size:.9rem;color:#57606a}.verdict dt{color:#fff}dd{margin:0}code{word-break:break-all;font-size:.85rem}" +
        ".geo{text-align:center}.geo button{font:inherit;font-weight:600;background:#1a56db;color:#fff;border:0;border-radius:10px;padding:.75rem 1rem;width:100%;cursor:pointer}" +
        ".geo button:disabled{opacity:.6}.hint,.muted{color:#57606a;font-size:.85rem;margin:.4rem 0 0}" +
        "#proof-check[data-state=verified]{border-left:6px solid #1a7f37}#proof-check[data-state=failed]{border-left:6px solid #cf222e}" +
        "#proof-check[data-state=pending],#proof-check[data-state=unchecked]{border-left:6px solid #9a6700}#proof-status{font-weight:600;margin:.2rem 0}" +
        "#proof-parts{list-style:none;padding:0;margin:.3rem 0 0;font-size:.9rem}#proof-parts li[data-state=verified]::before{content:'\\2713  ';color:#1a7f37}" +
        "#proof-parts li[data-state=failed]::before{content:'\\2717  ';color:#cf222e}#proof-parts li[data-state=pending]::before,#proof-parts li[data-state=unchecked]::before{content:'\\2026  ';color:#9a6700}" +
        "figure.map{margin:.6rem 0 0}figure.map svg{width:100%;height:auto;border-radius:10px;display:block}figcaption{font-size:.8rem;color:#57606a;margin-top:.3rem}" +
        ".key{display:inline-block;width:.8rem;height:.8rem;border-radius:50%;vertical-align:middle;margin:0 .25rem 0 .4rem}.geofence-key{background:rgba(27,127,59,.3);border:2px solid #1b7f3b}.fix-key{background:#1a56db}" +
        "footer{text-align:center;color:#8c959f;font-size:.8rem;margin:1rem 0}" +
        ".grid{display:grid;gap:.8rem;grid-template-columns:repeat(auto-fit,minmax(20rem,1fr))}.grid section{margin-top:0}" +
        "table.rank{width:100%;border-collapse:collapse;font-size:.9rem}table.rank th,table.rank td{text-align:left;padding:.3rem .4rem;border-bottom:1px solid #eaeef2;vertical-align:top}table.rank td.total{text-align:right;font-weight:600}" +
        ".campaign{border-top:1px solid #eaeef2;padding:.5rem 0}.campaign h3{font-size:.95rem;margin:0 0 .2rem}.campaign meter{width:100%;height:.8rem}.campaign .held{color:#9a6700;font-weight:600}" +
        ".tiles{display:flex;gap:.6rem;flex-wrap:wrap}.tile{flex:1 1 8rem;background:#f6f8fa;border-radius:10px;padding:.5rem .7rem}.tile b{display:block;font-size:1.6rem}" +
        ".status{display:inline-block;border-radius:999px;padding:.05rem .55rem;font-size:.8rem;color:#fff}.status.online{background:#1b7f3b}.status.offline{background:#b3261e}.status.unknown{background:#5f6368}" +
        ".gw{border-top:1px solid #eaeef2;padding-top:.6rem;margin-top:.6rem}.gw dl{display:grid;grid-template-columns:auto 1fr;gap:.1rem .8rem}.gw dt{margin:0}" +
        "svg.chart{width:100%;height:auto;display:block;margin-top:.4rem}ul.alerts{list-style:none;padding:0;margin:0}ul.alerts li{border-left:4px solid #9a5b00;padding:.3rem .6rem;margin:.4rem 0;background:#fffaf0}" +
        "ul.alerts li.bad{border-color:#b3261e;background:#fff5f5}a{color:#1a56db}" +
        "form.signin input,form.signin button{font:inherit;padding:.5rem;width:100%;margin-top:.5rem}.error{color:#b3261e}" +
        "form.signout{float:right;margin:.6rem 0 0}form.signout button{font:inherit;background:none;border:1px solid #8c959f;border-radius:8px;padding:.3rem .7rem;cursor:pointer}";

    public static void Open(StringBuilder sb, string language, string title)
    {
        var h = HtmlEncoder.Default;
        sb.Append("<!doctype html><html lang=\"").Append(h.Encode(language)).Append("\"><head><meta charset=\"utf-8\">")
          .Append("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><meta name=\"referrer\" content=\"no-referrer\">")
          .Append("<title>").Append(h.Encode(title)).Append("</title><style>").Append(Style).Append("</style></head><body>");
    }

    /// <summary>A JSON data block for a page script (not executed, so the CSP's script-src does not apply), then the script itself from /assets.</summary>
    public static void Script(StringBuilder sb, string dataId, string json, string scriptName)
    {
        sb.Append("<script type=\"application/json\" id=\"").Append(dataId).Append("\">").Append(json).Append("</script>");
        ScriptFile(sb, scriptName);
    }

    /// <summary>One more of the embedded scripts (deferred; it reads the page data the first script's element holds).</summary>
    public static void ScriptFile(StringBuilder sb, string scriptName) =>
        sb.Append("<script src=\"").Append(PageAssets.PathPrefix).Append(scriptName).Append("\" defer></script>");
}
