using Xunit.Abstractions;

namespace Provenance.Deploy.Tests;

/// <summary>
/// deploy/Dockerfile's build stage, followed word for word without a Docker engine: its COPY lines copy the same files
/// into a temporary build directory (<c>--from=shared</c>: the conformance set beside the repository, the build context
/// compose.yaml names <c>shared</c>) and its RUN lines run there, with <c>/src</c> and <c>/app</c> mapped into it. The
/// published host must start, and must carry no firmware simulator (the demo is left out of production builds).
/// </summary>
public sealed class DockerfileBuildTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_image_build_stage_publishes_a_host_without_the_demo_that_says_so_when_asked_for_it()
    {
        var build = Directory.CreateTempSubdirectory("prov-image-build-").FullName;
        try
        {
            var app = Path.Combine(build, "app");
            foreach (var step in BuildStage())
            {
                await RunStepAsync(step, build, app);
            }

            Assert.True(File.Exists(Path.Combine(app, "provenance.dll")), "the build stage published no provenance.dll");
            Assert.DoesNotContain(Directory.GetFiles(app), f => Path.GetFileName(f) is "firmware-sim.dll" or "Provenance.Demo.dll");

            var help = await ProcessRunner.RunAsync("dotnet", [Path.Combine(app, "provenance.dll"), "--help"], build);
            Assert.True(help.ExitCode == 0, help.Describe("provenance --help"));
            var demo = await ProcessRunner.RunAsync("dotnet", [Path.Combine(app, "provenance.dll"), "serve", "--demo"], build);
            Assert.Equal(2, demo.ExitCode);
            Assert.Contains("this build has no demo", demo.StdErr, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(build, recursive: true);
        }
    }

    /// <summary>The COPY and RUN lines of the <c>build</c> stage, as written.</summary>
    private static List<string[]> BuildStage()
    {
        var lines = File.ReadAllLines(Path.Combine(RepoPaths.Deploy, "Dockerfile"));
        var start = Array.FindIndex(lines, l => l.StartsWith("FROM ", StringComparison.Ordinal) && l.EndsWith(" AS build", StringComparison.Ordinal));
        Assert.True(start >= 0, "deploy/Dockerfile has no 'FROM … AS build' stage");
        var steps = new List<string[]>();
        foreach (var line in lines.Skip(start + 1).TakeWhile(l => !l.StartsWith("FROM ", StringComparison.Ordinal)))
        {
            if (line.StartsWith("COPY ", StringComparison.Ordinal) || line.StartsWith("RUN ", StringComparison.Ordinal))
            {
                steps.Add(line.Split(' ', StringSplitOptions.RemoveEmptyEntries));
            }
        }

        Assert.Contains(steps, s => s[0] == "RUN" && s.Contains("publish"));
        return steps;
    }

    private async Task RunStepAsync(string[] step, string build, string app)
    {
        output.WriteLine(string.Join(' ', step));
        if (step[0] == "COPY")
        {
            var (root, sources) = step[1] == "--from=shared"
                ? (Path.Combine(RepoPaths.Root, "..", "shared"), step[2..^1])
                : (RepoPaths.Root, step[1..^1]);
            var destination = Path.Combine(build, step[^1]);
            foreach (var source in sources)
            {
                var into = step[^1].EndsWith('/') ? Path.Combine(destination, Path.GetFileName(source.TrimEnd('/'))) : destination;
                Copy(Path.Combine(root, source.TrimEnd('/')), source.EndsWith('/') ? destination : into);
            }

            return;
        }

        Assert.Equal("dotnet", step[1]);
        var arguments = step[2..].Select(a => a == "/app" ? app : a.Replace("=/src/", $"={build}/", StringComparison.Ordinal)).ToList();
        var result = await ProcessRunner.RunAsync("dotnet", arguments, build, timeout: TimeSpan.FromMinutes(10));
        Assert.True(result.ExitCode == 0, result.Describe(string.Join(' ', step)));
    }

    private static void Copy(string source, string destination)
    {
        if (File.Exists(source))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(source, destination);
            return;
        }

        // A directory: its files as git would see them, without build output.
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or "node_modules"))
            {
                continue;
            }

            var target = Path.Combine(destination, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
