using System.Globalization;
using Provenance.Host.Composition;
using Provenance.Ingestion.Broker;

namespace Provenance.Host.Cli;

/// <summary>
/// <c>provenance mqtt retire</c>: ends the broker session of an ingestion instance that is gone for good (a StatefulSet
/// scaled down, a host taken out). A member of a shared subscription keeps receiving its share of the group's messages
/// while offline, queued in its session until the session expires (<c>Mqtt:SessionExpirySeconds</c>); this verb takes
/// those messages, commits them like any ingestion instance, and ends the session, so the broker routes every new
/// message to the members that remain.
/// </summary>
internal static class MqttRetireVerb
{
    private static readonly TimeSpan DefaultQuiet = TimeSpan.FromSeconds(3);

    public static CliVerb Create() => new(
        ["mqtt", "retire"],
        "Take over the broker session of an ingestion instance that is gone for good, commit what the broker queued for it, and end the session.",
        [
            new CliOption("client-id", "The departed instance's MQTT client id (Mqtt:ClientId on that instance; in the shipped Kubernetes manifests its pod name, e.g. provenance-ingestion-2).", Required: true),
            new CliOption("username", "The MQTT user to connect as; default: the client id when Mqtt:Username is set (the shipped mosquitto.conf takes the user name as the client id), else none."),
            new CliOption("quiet", "Seconds without a new message (and none awaiting its commit) after which the session counts as drained.", "3"),
            DataOption.Option,
        ],
        RunAsync,
        Details: """
            Run it only once the instance is gone for good: connecting with its client id takes its session over, and
            ending the session makes a running instance start from an empty one. Reads the same settings as serve
            (appsettings.json, the environment, --Section:Key=value): Broker:Embedded=false, Mqtt:Host, Mqtt:Port,
            Mqtt:UseTls, Mqtt:CaFile, Mqtt:Password, Mqtt:SharedGroup, and the database (Storage:Provider,
            ConnectionStrings:Provenance, or --data for SQLite). Opens no public or management listener. If a message
            cannot be committed the session is kept with everything not yet committed, and the verb exits 1; run it
            again once the cause is fixed.
            """,
        PassUnknownOptions: true,
        ExitCodes:
        [
            (ExitCodes.Success, "the session is drained and ended (or the broker held none)"),
            (ExitCodes.Failed, "the broker refused the connection, the connection dropped, or a message could not be committed; the session is kept"),
            (ExitCodes.Usage, "a bad option or setting, or the embedded broker is configured (it keeps no ingestion sessions)"),
        ]);

    private static async Task<int> RunAsync(CliArguments args, CancellationToken cancellationToken)
    {
        var clientId = args.Require("client-id").Trim();
        if (clientId.Length == 0)
        {
            throw new CliUsageException("--client-id must not be empty");
        }

        var quietSeconds = args.GetDouble("quiet", DefaultQuiet.TotalSeconds);
        if (quietSeconds is <= 0 or > 3600)
        {
            throw new CliUsageException("--quiet must be between 0 and 3600 seconds");
        }

        var configArgs = new List<string>(args.PassThrough);
        if (args.Get("data") is { } data)
        {
            configArgs.Add($"--Provenance:DataDirectory={data}");
        }

        var retirement = new SessionRetirement(TimeSpan.FromSeconds(quietSeconds), line => args.Error.WriteLine(line));
        await using var app = ProvenanceApp.Build(
            [.. configArgs],
            configuration => new Dictionary<string, string?>
            {
                ["Provenance:Roles"] = "ingestion",
                ["Mqtt:ClientId"] = clientId,
                ["Mqtt:Username"] = args.Get("username") ?? (string.IsNullOrEmpty(configuration["Mqtt:Username"]) ? null : clientId),
                ["urls"] = "http://127.0.0.1:0",
                ["Management:Url"] = string.Empty,
                ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
                ["Logging:LogLevel:Provenance.Api.Http.ConnectionGate"] = "Warning",
            },
            services => services.AddSingleton(retirement));
        if (app.Configuration.GetValue("Broker:Embedded", true))
        {
            await args.Error.WriteLineAsync("provenance mqtt retire: the embedded broker is configured (Broker:Embedded is true); it keeps no ingestion sessions. Set Broker:Embedded=false and the Mqtt settings of the external broker.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        if (await HostStart.TryStartAsync(app, args, "mqtt retire", cancellationToken).ConfigureAwait(false) is { } failed)
        {
            return failed;
        }

        try
        {
            var outcome = await retirement.Outcome.WaitAsync(cancellationToken).ConfigureAwait(false);
            await args.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{outcome.ClientId}: {(outcome.SessionPresent ? $"{outcome.Messages} queued message(s) committed; session ended" : "no session on the broker; nothing to take")} in {outcome.Elapsed.TotalSeconds:0.0} s. The broker routes the group's messages to the remaining members.")).ConfigureAwait(false);
            return ExitCodes.Success;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await args.Error.WriteLineAsync($"provenance mqtt retire: {clientId}: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Failed;
        }
        finally
        {
            await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }
}
