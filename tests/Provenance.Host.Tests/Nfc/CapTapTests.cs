using System.Net;
using System.Text.Json;
using Provenance.Core.Nfc;
using Provenance.Host.Tests.Support;

namespace Provenance.Host.Tests.Nfc;

/// <summary>Taps of NFC caps through the HTTP scan API of a running node, on bottles the real gateway simulator sealed with chip UIDs.</summary>
[Collection(CapCollection.Name)]
public sealed class CapTapTests(CapNode caps)
{
    [Fact]
    public async Task A_tap_of_a_closed_cap_is_authentic_with_a_sealed_cap_and_the_bottles_origin()
    {
        var scan = await caps.TapAsync(caps.TapUrl(0, 1));

        Assert.Equal("authentic", scan.GetProperty("verdict").GetString());
        Assert.Equal(["sealed_at_registered_line", "cap_sealed", "origin_attested"], ApiCalls.Reasons(scan));
        Assert.Equal("closed", scan.GetProperty("cap").GetProperty("tamper").GetString());
        Assert.Equal(1, scan.GetProperty("cap").GetProperty("readCounter").GetInt32());
        Assert.Equal(new Uri(caps.Codes[0]).AbsolutePath.Split('/')[^1], scan.GetProperty("code").GetProperty("serial").GetString());
        Assert.Equal(ProvenanceNode.SiteId, scan.GetProperty("origin").GetProperty("siteId").GetString());
        Assert.True(scan.GetProperty("ledger").GetProperty("index").GetInt64() > 0);

        var next = await caps.TapAsync(caps.TapUrl(0, 2));
        Assert.Equal("authentic", next.GetProperty("verdict").GetString());
        await ApiCalls.WaitForScansAsync(caps.Node, caps.ProducerKey, caps.Codes[0], 2);
    }

    [Fact]
    public async Task Replaying_a_tap_is_a_suspect_clone_and_raises_a_clone_alert()
    {
        var url = caps.TapUrl(1, 5);
        Assert.Equal("authentic", (await caps.TapAsync(url)).GetProperty("verdict").GetString());

        var replay = await caps.TapAsync(url);

        Assert.Equal("suspect_clone", replay.GetProperty("verdict").GetString());
        Assert.Equal(["cap_message_replayed", "origin_attested"], ApiCalls.Reasons(replay));
        var serial = new Uri(caps.Codes[1]).AbsolutePath.Split('/')[^1];
        await WaitForAlertAsync("suspect_clone", a => a.GetProperty("serial").GetString() == serial
            && a.GetProperty("detail").GetProperty("reasons").EnumerateArray().Any(r => r.GetString() == "cap_message_replayed"));
        Assert.Equal("authentic", (await caps.TapAsync(caps.TapUrl(1, 6))).GetProperty("verdict").GetString());
    }

    [Fact]
    public async Task A_message_older_than_one_already_accepted_is_a_rolled_back_counter()
    {
        var older = caps.TapUrl(2, 3);
        Assert.Equal("authentic", (await caps.TapAsync(caps.TapUrl(2, 9))).GetProperty("verdict").GetString());

        var rollback = await caps.TapAsync(older);

        Assert.Equal("suspect_clone", rollback.GetProperty("verdict").GetString());
        Assert.Equal(["cap_counter_rollback", "origin_attested"], ApiCalls.Reasons(rollback));
    }

    [Fact]
    public async Task An_open_loop_is_opened_and_the_bottles_printed_code_then_says_opened_too()
    {
        var tap = await caps.TapAsync(caps.TapUrl(3, 1, TamperStatus.Open));

        Assert.Equal("opened", tap.GetProperty("verdict").GetString());
        Assert.Equal("cap_loop_open", ApiCalls.Reasons(tap)[0]);
        Assert.Equal("open", tap.GetProperty("cap").GetProperty("tamper").GetString());
        Assert.Equal(JsonValueKind.String, tap.GetProperty("openedAt").ValueKind);

        var qr = await caps.TapAsync(caps.Codes[3]);
        Assert.Equal("opened", qr.GetProperty("verdict").GetString());
        Assert.Equal(["seal_opened", "origin_attested"], ApiCalls.Reasons(qr));
        Assert.False(qr.TryGetProperty("cap", out _));
    }

    [Fact]
    public async Task A_loop_that_was_opened_and_closed_again_is_opened()
    {
        var scan = await caps.TapAsync(caps.TapUrl(4, 1, TamperStatus.WasOpened));

        Assert.Equal("opened", scan.GetProperty("verdict").GetString());
        Assert.Contains("cap_loop_was_opened", ApiCalls.Reasons(scan));
        Assert.Equal("was_opened", scan.GetProperty("cap").GetProperty("tamper").GetString());
    }

    [Fact]
    public async Task A_cap_whose_tamper_loop_was_never_armed_is_authentic_but_not_called_sealed()
    {
        var scan = await caps.TapAsync(caps.TapUrl(7, 1, TamperStatus.NotInitialised));

        Assert.Equal("authentic", scan.GetProperty("verdict").GetString());
        Assert.Equal(["sealed_at_registered_line", "cap_loop_not_armed", "origin_attested"], ApiCalls.Reasons(scan));
    }

    [Fact]
    public async Task A_genuine_chip_never_fitted_at_the_line_is_not_sealed()
    {
        var scan = await caps.TapAsync(caps.TapUrl(CapNode.Sealed, 1));

        Assert.Equal("not_sealed", scan.GetProperty("verdict").GetString());
        Assert.Equal(["cap_not_bound"], ApiCalls.Reasons(scan));
        Assert.Equal(JsonValueKind.Null, scan.GetProperty("product").ValueKind);
    }

    [Fact]
    public async Task A_tap_made_with_another_master_key_or_an_unknown_key_id_is_counterfeit()
    {
        var other = new NfcKeyRing(new Dictionary<int, byte[]> { [caps.Encoding.KeyId] = NfcKeyRing.NewMasterKey() }, caps.Encoding.KeyId);
        var uid = caps.Encoding.Chips[6].Uid;
        var keys = other.ChipKeys(caps.Encoding.KeyId, Convert.FromHexString(uid));
        var forged = new TapEmulator(caps.Encoding.KeyId, uid, keys.SdmMetaRead, keys.SdmFileRead).Tap(50);
        var layout = new SunUrlLayout("http", caps.Node.Authority, caps.Encoding.KeyId);

        var wrongKey = await caps.TapAsync(layout.Url(forged));
        var unknownId = await caps.TapAsync(caps.TapUrl(6, 51).Replace($"/nfc/{caps.Encoding.KeyId}?", "/nfc/99?", StringComparison.Ordinal));

        Assert.Equal("counterfeit", wrongKey.GetProperty("verdict").GetString());
        Assert.Equal(["mac_invalid"], ApiCalls.Reasons(wrongKey));
        Assert.Equal("counterfeit", unknownId.GetProperty("verdict").GetString());
        Assert.False(wrongKey.TryGetProperty("cap", out _));
        Assert.Equal("authentic", (await caps.TapAsync(caps.TapUrl(6, 52))).GetProperty("verdict").GetString());
    }

    [Fact]
    public async Task Truncated_oversized_or_altered_parameters_are_counterfeit_and_do_not_consume_the_chips_counter()
    {
        Func<string, string>[] changes =
        [
            url => Replace(url, "e", v => v[..^1]),
            url => Replace(url, "e", v => v + "00"),
            url => Replace(url, "m", v => v[..^2]),
            url => Replace(url, "m", v => v + "A"),
            url => Replace(url, "t", v => v[..16]),
            url => Replace(url, "t", v => v + new string('0', 4096)),
            url => url[..url.IndexOf("&m=", StringComparison.Ordinal)],
            url => url + "&x=1",
            url => Replace(url, "t", v => (v[0] == 'A' ? "B" : "A") + v[1..]),
            url => Replace(url, "e", v => v.ToLowerInvariant()).Replace("&t=", "&m=", StringComparison.Ordinal),
        ];
        for (var i = 0; i < changes.Length; i++)
        {
            var url = caps.TapUrl(5, 100 + i);

            using var response = await caps.Node.Http.GetAsync(new Uri(changes[i](url)).PathAndQuery);
            var scan = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(("counterfeit", i), (scan.GetProperty("verdict").GetString(), i));
            Assert.Equal(JsonValueKind.Null, scan.GetProperty("code").ValueKind);
            Assert.Equal(("authentic", i), ((await caps.TapAsync(url)).GetProperty("verdict").GetString(), i));
        }
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void The_encoding_file_is_private_lists_every_reel_chip_and_no_output_shows_a_key()
    {
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(caps.EncodingPath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(caps.Node.DataDirectory, "nfc-keys.json")));
        Assert.Equal(CapNode.Sealed + 2, caps.Encoding.Chips.Count);
        Assert.Equal("045A0111223380", caps.Encoding.Chips[0].Uid);
        Assert.Contains($"nfc: {caps.EncodingPath} ({CapNode.Sealed + 2} chips, key id 1", caps.IssueOutput, StringComparison.Ordinal);
        var keys = caps.Encoding.Chips.SelectMany(c => c.Keys).Distinct().ToList();
        Assert.Equal(1 + (4 * caps.Encoding.Chips.Count), keys.Count); // one shared meta-read key, four of each chip's own
        foreach (var key in keys)
        {
            Assert.DoesNotContain(key, caps.IssueOutput, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(key, caps.Node.Host!.Output, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task The_nfc_route_is_in_the_openapi_document()
    {
        var document = await caps.Node.Management.GetStringAsync("/openapi/v1.json");

        Assert.Contains("\"/nfc/{keyId}\"", document, StringComparison.Ordinal);
    }

    private static string Replace(string url, string name, Func<string, string> change)
    {
        var start = url.IndexOf(name + "=", StringComparison.Ordinal) + name.Length + 1;
        var end = url.IndexOf('&', start);
        end = end < 0 ? url.Length : end;
        return url[..start] + change(url[start..end]) + url[end..];
    }

    private async Task WaitForAlertAsync(string kind, Func<JsonElement, bool> match)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!(await ApiCalls.JsonAsync(caps.Node, HttpMethod.Get, $"/api/alerts?kind={kind}&limit=1000", caps.ProducerKey)).GetProperty("items").EnumerateArray().Any(match))
        {
            await Task.Delay(50, timeout.Token);
        }
    }
}
