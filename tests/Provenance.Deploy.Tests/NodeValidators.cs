namespace Provenance.Deploy.Tests;

/// <summary>Runs the node scripts of deploy/validate (installed there by `npm ci`).</summary>
internal static class NodeValidators
{
    public static async Task<ProcessResult> RunAsync(string script, IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var node = ProcessRunner.Require("node", "Install Node.js (the test command's machine has it).");
        if (!Directory.Exists(Path.Combine(RepoPaths.Validate, "node_modules", "kubernetes-models")))
        {
            throw new InvalidOperationException(
                $"deploy/validate has no node_modules: run `npm ci` in {RepoPaths.Validate} (test.sh does it for the directories it lists).");
        }

        return await ProcessRunner.RunAsync(node, [Path.Combine(RepoPaths.Validate, script), .. args], RepoPaths.Validate, environment);
    }
}
