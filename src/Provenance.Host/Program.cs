using Provenance.Host.Cli;

return await CommandLine.RunAsync(args).ConfigureAwait(false);
