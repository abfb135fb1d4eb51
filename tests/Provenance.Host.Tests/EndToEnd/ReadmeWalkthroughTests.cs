using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Provenance.Host.Tests.Support;

namespace Provenance.Host.Tests.EndToEnd;

/// <summary>
/// Replays the README's "Producer set-up (CLI)" word for word: every line of its first <c>sh</c> block runs as written
/// in one empty directory (the real <c>provenance</c> and <c>firmware-sim</c> executables), with only what a shared
/// test machine needs added: free ports instead of 8080/1883 (<c>--urls</c>, <c>--Broker:Port</c>, <c>--port</c>),
/// <c>SECRET</c> replaced by the secret <c>gateways add</c> printed, and <c>--count 20</c> so the simulator stops.
/// Then the README's "unattested on purpose" block. A README edit that breaks the walkthrough breaks this test.
/// </summary>
public sealed class ReadmeWalkthroughTests
{
    [Fact]
    public async Task Following_the_readme_set_up_word_for_word_gives_authentic_seals_with_the_origin_confirmed_and_the_off_site_example_gives_suspect_origin()
    {
        var (setUp, unattested) = ReadmeBlocks();
        Assert.Contains(setUp, l => l.StartsWith("firmware-sim ", StringComparison.Ordinal));
        using var dir = new TempDirectory("prov-readme");
        var (httpPort, mqttPort) = (FreePort.Next(), FreePort.Next());
        string? secret = null;
        ChildProcess? serve = null;
        try
        {
            foreach (var line in setUp.Concat(unattested))
            {
                var words = Words(line);
                if (words[0] == "provenance" && words[1] == "serve")
                {
                    serve = ChildProcess.StartDll(RepositoryPaths.HostDll, [.. words.Skip(1), "--urls", $"http://127.0.0.1:{httpPort}", $"--Broker:Port={mqttPort}"], dir.Path);
                    using var probe = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
                    await ProvenanceNode.WaitReadyAsync(serve, probe);
                    continue;
                }

                var (dll, args) = words[0] switch
                {
                    "provenance" => (RepositoryPaths.HostDll, words.Skip(1).ToList()),
                    "firmware-sim" => (RepositoryPaths.FirmwareSimDll, [.. words.Skip(1).Select(w => w == "SECRET" ? secret ?? throw new InvalidOperationException("no secret printed yet") : w), "--port", mqttPort.ToString(CultureInfo.InvariantCulture), .. CountFor(words)]),
                    _ => throw new InvalidOperationException($"the README walkthrough has a line this test cannot replay: {line}"),
                };
                await using var child = ChildProcess.StartDll(dll, args, dir.Path);
                var code = await child.WaitForExitAsync(TimeSpan.FromMinutes(3));
                Assert.True(code == 0, $"`{line}` exited {code}:\n{child.Output}");
                if (words[0] == "provenance" && words[1] == "gateways" && words[2] == "add")
                {
                    secret = child.Lines.Select(l => l.Trim()).First(l => l.StartsWith("password:", StringComparison.Ordinal))["password:".Length..].Trim();
                }
            }

            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
            http.DefaultRequestHeaders.Accept.ParseAdd("application/json");
            var genuine = await http.GetFromJsonAsync<JsonElement>(PathOfFirstCode(dir.Combine("labels", "batch-1.csv")));
            Assert.Equal("authentic", genuine.GetProperty("verdict").GetString());
            Assert.Equal(["sealed_at_registered_line", "origin_attested"], ApiCalls.Reasons(genuine));
            Assert.Equal("high", genuine.GetProperty("originConfidence").GetString());
            var attestation = genuine.GetProperty("origin").GetProperty("attestation");
            Assert.True(attestation.GetProperty("attested").GetBoolean(), attestation.ToString());
            Assert.True(attestation.GetProperty("bdsSats").GetInt32() > 0);
            Assert.Contains("BeiDou", genuine.GetProperty("message").GetString(), StringComparison.Ordinal);

            var offSite = await http.GetFromJsonAsync<JsonElement>(PathOfFirstCode(dir.Combine("labels", "batch-2.csv")));
            Assert.Equal("suspect_origin", offSite.GetProperty("verdict").GetString());
            // The same gateway was at the plant seconds before, so implausible_jump may follow.
            Assert.Equal(["far_outside_geofence", "origin_not_attested", "outside_geofence"], ApiCalls.Reasons(offSite).Take(3));
        }
        finally
        {
            if (serve is not null)
            {
                await serve.DisposeAsync();
            }
        }
    }

    /// <summary>The walkthrough seals until stopped; 20 codes are enough to check, so the first run stops there.</summary>
    private static string[] CountFor(List<string> words) => words.Contains("--off-site") ? [] : ["--count", "20"];

    /// <summary>The first two sh blocks of the README's "Producer set-up (CLI)" section, one command a line, comments removed.</summary>
    internal static (List<string> SetUp, List<string> Unattested) ReadmeBlocks()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md"));
        var start = readme.IndexOf("## Producer set-up (CLI)", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no 'Producer set-up (CLI)' section");
        var section = readme[start..readme.IndexOf("\n## ", start + 5, StringComparison.Ordinal)];
        var blocks = section.Split("```sh\n").Skip(1).Select(b => b[..b.IndexOf("```", StringComparison.Ordinal)])
            .Select(b => b.Split('\n').Select(StripComment).Where(l => l.Length > 0).ToList()).ToList();
        return (blocks[0], blocks[1]);
    }

    private static string StripComment(string line)
    {
        var hash = line.IndexOf(" #", StringComparison.Ordinal);
        return (hash < 0 ? line : line[..hash]).Trim();
    }

    /// <summary>Splits a command line into words as sh does for the README's simple lines (double quotes, no escapes).</summary>
    internal static List<string> Words(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var quoted = false;
        foreach (var c in line)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ' ' && !quoted)
            {
                if (word.Length > 0)
                {
                    words.Add(word.ToString());
                    word.Clear();
                }
            }
            else
            {
                word.Append(c);
            }
        }

        if (word.Length > 0)
        {
            words.Add(word.ToString());
        }

        return words;
    }

    private static string PathOfFirstCode(string csv) => new Uri(File.ReadLines(csv).Skip(1).First().Split(',')[0]).PathAndQuery;
}
