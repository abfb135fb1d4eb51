using Microsoft.Extensions.Options;

namespace Provenance.Host.Cli;

/// <summary>
/// Starts the host of a verb that runs the product (<c>serve</c>, <c>mqtt retire</c>); a start that fails is told in one
/// line naming the setting (<see cref="StartFailure"/>), or as the list of invalid settings.
/// </summary>
internal static class HostStart
{
    /// <summary>Starts <paramref name="app"/>; null when it started, else the exit code after the reason was written.</summary>
    public static async Task<int?> TryStartAsync(WebApplication app, CliArguments args, string verb, CancellationToken cancellationToken)
    {
        try
        {
            StartupLog.Starting(true);
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (OptionsValidationException e)
        {
            await args.Error.WriteLineAsync($"provenance {verb}: configuration is invalid:").ConfigureAwait(false);
            foreach (var failure in e.Failures)
            {
                await args.Error.WriteLineAsync($"  - {failure}").ConfigureAwait(false);
            }

            return ExitCodes.Usage;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await args.Error.WriteLineAsync($"provenance {verb}: {StartFailure.Describe(e, app.Configuration) ?? $"could not start: {e}"}").ConfigureAwait(false);
            return ExitCodes.Failed;
        }
        finally
        {
            StartupLog.Starting(false);
        }
    }
}
