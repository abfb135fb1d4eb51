using Provenance.FirmwareSim;
using Provenance.FirmwareSim.Cli;

if (args.Length > 0 && args[0] == "tap")
{
    return TapCommand.Run(args[1..], Console.Out, Console.Error);
}

if (CommandLine.WantsHelp(args))
{
    Console.Out.Write(CommandLine.Help());
    return 0;
}

SimulatorOptions options;
try
{
    options = CommandLine.Parse(args);
}
catch (CommandLineException e)
{
    Console.Error.WriteLine($"firmware-sim: {e.Message}");
    return 2;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

try
{
    var result = await new GatewaySimulator(options, Console.Error).RunAsync(stop.Token);
    return result.Outcome == SimulatorOutcome.Cancelled ? 130 : 0;
}
catch (Provenance.FirmwareSim.Mqtt.BrokerRefusedException e)
{
    Console.Error.WriteLine($"firmware-sim: {e.Message}");
    return Provenance.FirmwareSim.Mqtt.BrokerRefusedException.ExitCode;
}
catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or InvalidOperationException)
{
    Console.Error.WriteLine($"firmware-sim: {e.Message}");
    return 1;
}
finally
{
    options.Key.Dispose();
}
