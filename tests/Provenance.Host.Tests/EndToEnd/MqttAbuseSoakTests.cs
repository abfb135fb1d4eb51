using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using Provenance.FirmwareSim;
using Provenance.Host.Tests.Support;
using Xunit.Abstractions;

namespace Provenance.Host.Tests.EndToEnd;

/// <summary>
/// A bounded abuse soak of the MQTT side (about 1.5 minutes): <c>serve</c> runs with its file limit lowered to 1,024
/// while the MQTT port is flooded with idle connections from 100 addresses, a gateway with valid credentials floods
/// the dead-letter store (malformed, oversized and wrong-topic payloads) and another breaks the protocol, and a
/// legitimate firmware-sim gateway seals throughout. Expected: no crash, no lost seal, RSS and data-directory growth
/// within the bounds below. The figures are written to the test output (README, "Reliability").
/// </summary>
public sealed class MqttAbuseSoakTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int FileLimit = 1024;
    private const int Codes = 1500;
    private const long MaxDeadLetterBytes = 16L * 1024 * 1024;
    private static readonly TimeSpan FloodDuration = TimeSpan.FromSeconds(60);

    // Bounds: serve starts at about 90 MiB and peaked at about 150 MiB in this soak; connection state and dead-letter
    // work must not take it past 300 MiB. The data directory grows by the legitimate seals (a few MiB), the dead-letter
    // store (at most DeadLetters:MaxTotalBytes = 16 MiB) and SQLite's WAL: 40 MiB in all.
    private const long MaxPeakRssMiB = 300;
    private const long MaxDataGrowthMiB = 40;

    private readonly ProvenanceNode _node = new();
    private GatewayCredentials _legit = null!;
    private GatewayCredentials _noisy = null!;
    private GatewayCredentials _rude = null!;

    public async Task InitializeAsync()
    {
        _legit = await _node.SetUpAsync("gw-legit");
        _noisy = await _node.AddGatewayAsync("gw-noisy");
        _rude = await _node.AddGatewayAsync("gw-rude");
        _node.OnStarted = child => LowerFileLimit(child.Id, FileLimit);
    }

    [Fact]
    public async Task Under_connection_and_dead_letter_floods_with_few_file_handles_the_legitimate_gateway_loses_no_seal()
    {
        var (_, urls) = await _node.IssueAsync(Codes);
        await _node.StartAsync(
            $"--DeadLetters:MaxTotalBytes={MaxDeadLetterBytes}", $"--DeadLetters:MaxBytesPerGateway={MaxDeadLetterBytes / 2}",
            "--Broker:ConnectTimeout=00:00:05", "--Broker:MaxConnectionsPerAddress=32");
        var pid = _node.Host!.Id;
        var startRss = RssMiB(pid);
        var startData = DirectoryMiB(_node.DataDirectory);
        using var sampler = new PeakSampler(() => RssMiB(pid), () => OpenFiles(pid));

        // The legitimate gateway first: it connects, then seals through everything that follows.
        using var key = Simulation.LoadKey(_legit);
        var simulator = new GatewaySimulator(Simulation.Options(_node, _legit, urls, key) with { Rate = 25, Batch = 10, GnssInterval = TimeSpan.FromSeconds(1) }, TextWriter.Null);
        var connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        simulator.ConnectionChanged += (_, e) =>
        {
            if (e.Connected)
            {
                connected.TrySetResult();
            }
        };
        using var simulatorTimeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var sealing = simulator.RunAsync(simulatorTimeout.Token);
        await connected.Task.WaitAsync(TimeSpan.FromSeconds(30));

        using var flooding = new CancellationTokenSource(FloodDuration);
        var floods = new[]
        {
            Task.Run(() => ConnectionFloodAsync(flooding.Token)),
            Task.Run(() => DeadLetterFloodAsync(_noisy, flooding.Token)),
            Task.Run(() => ProtocolViolationFloodAsync(_rude, flooding.Token)),
        };
        var figures = await Task.WhenAll(floods);
        var result = await sealing;
        await WaitUntilAsync(() => OpenFiles(pid) < 400, TimeSpan.FromSeconds(30));
        var health = await _node.HealthAsync();
        var endRss = RssMiB(pid);
        var dataGrowth = DirectoryMiB(_node.DataDirectory) - startData;

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"file limit {FileLimit}; flood {FloodDuration.TotalSeconds:0} s"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"connection flood: {figures[0].Attempts} attempts from 100 addresses, {figures[0].Refused} closed by the broker; broker refused {health.GetProperty("broker").GetProperty("refused").GetInt64()}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"dead-letter flood: {figures[1].Attempts} publishes ({figures[1].Bytes / (1024 * 1024)} MiB), {figures[1].Refused} not acknowledged"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"protocol-violation flood: {figures[2].Attempts} connections publishing on a wildcard topic, {figures[2].Refused} closed by the broker, {figures[2].Bytes} left open after 10 s"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"legitimate gateway: {result.Outcome}, {result.SealsAcked} of {Codes} seals acknowledged, backlog {result.Backlog}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"serve RSS: start {startRss} MiB, peak {sampler.PeakRss} MiB, end {endRss} MiB; open files peak {sampler.PeakFiles} of {FileLimit}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"data directory: +{dataGrowth:0.0} MiB; dead-letter store {health.GetProperty("deadLetterStore").GetProperty("usedBytes").GetInt64() / 1024} KiB, {health.GetProperty("deadLetterStore").GetProperty("pruned").GetInt64()} pruned"));

        Assert.False(_node.Host.HasExited, "serve crashed");
        Assert.DoesNotContain(_node.Host.Lines, l => l.Contains("Out of memory", StringComparison.Ordinal) || l.Contains("Unhandled exception", StringComparison.Ordinal));
        using (var ready = await _node.Http.GetAsync("/health/ready"))
        {
            Assert.True(ready.IsSuccessStatusCode);
        }

        Assert.Equal(SimulatorOutcome.Completed, result.Outcome);
        Assert.Equal(Codes, result.SealsAcked);
        Assert.Equal(Codes, health.GetProperty("ingestion").GetProperty("seals").GetInt64());
        foreach (var url in urls.Where((_, i) => i % 50 == 0))
        {
            Assert.Equal("authentic", (await _node.ScanAsync(url)).GetProperty("verdict").GetString());
        }

        Assert.True(figures[0].Refused > 0 && health.GetProperty("broker").GetProperty("refused").GetInt64() > 0, "the connection flood never reached a limit");
        Assert.Equal(0, figures[2].Bytes);
        Assert.True(sampler.PeakFiles < FileLimit, $"serve reached its file limit ({sampler.PeakFiles})");
        Assert.True(health.GetProperty("deadLetterStore").GetProperty("usedBytes").GetInt64() <= MaxDeadLetterBytes);
        Assert.True(health.GetProperty("deadLetterStore").GetProperty("pruned").GetInt64() > 0, "the dead-letter flood never reached the quota");
        Assert.True(sampler.PeakRss <= MaxPeakRssMiB, $"peak RSS {sampler.PeakRss} MiB");
        Assert.True(dataGrowth <= MaxDataGrowthMiB, $"data directory grew {dataGrowth:0.0} MiB");
    }

    public async Task DisposeAsync() => await _node.DisposeAsync();

    /// <summary>Keeps opening idle TCP connections from 127.0.0.2–127.0.0.101 (never sending CONNECT) and counts those the broker closed (refused, or timed out without CONNECT).</summary>
    private async Task<FloodFigures> ConnectionFloodAsync(CancellationToken stop)
    {
        long attempts = 0, refused = 0;
        var open = new Queue<Socket>();
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var source = IPAddress.Parse($"127.0.0.{2 + (attempts % 100)}");
                attempts++;
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(source, 0));
                    await socket.ConnectAsync(IPAddress.Loopback, _node.MqttPort, stop);
                    open.Enqueue(socket);
                }
                catch (SocketException)
                {
                    refused++;
                    socket.Dispose();
                }

                if (attempts % 20 == 0)
                {
                    // About 2,000 attempts a second at most: a flood, not a benchmark of the test machine.
                    await Task.Delay(10, stop);
                }

                // Let the broker close what it refuses (or what timed out) and count it; keep at most 2,000 open.
                while (open.Count > 0 && (open.Count > 2000 || IsClosed(open.Peek())))
                {
                    var closed = open.Dequeue();
                    if (IsClosed(closed))
                    {
                        refused++;
                    }

                    closed.Dispose();
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Flood over.
        }
        finally
        {
            foreach (var socket in open)
            {
                socket.Dispose();
            }
        }

        return new FloodFigures(attempts, refused, 0);
    }

    /// <summary>A gateway with valid credentials publishing what can only be dead-lettered, as fast as it is acknowledged.</summary>
    private async Task<FloodFigures> DeadLetterFloodAsync(GatewayCredentials gateway, CancellationToken stop)
    {
        long attempts = 0, refused = 0, bytes = 0;
        var random = new Random(3);
        var sealTopic = $"prov/v1/{gateway.SiteId}/{gateway.GatewayId}/seal";
        while (!stop.IsCancellationRequested)
        {
            using var client = new MqttClientFactory().CreateMqttClient();
            try
            {
                if ((await client.ConnectAsync(Options(gateway), stop)).ResultCode != MqttClientConnectResultCode.Success)
                {
                    continue;
                }

                while (!stop.IsCancellationRequested)
                {
                    var (topic, payload) = (attempts % 3) switch
                    {
                        0 => (sealTopic, RandomBytes(random, 200 * 1024)),
                        1 => (sealTopic, RandomBytes(random, 300 * 1024)),
                        _ => ("prov/v1/plant-1/gw-legit/seal", RandomBytes(random, 100 * 1024)),
                    };
                    attempts++;
                    bytes += payload.Length;
                    var result = await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), stop);
                    if (result.ReasonCode is not (MqttClientPublishReasonCode.Success or MqttClientPublishReasonCode.NotAuthorized))
                    {
                        refused++;
                    }
                }
            }
            catch (Exception e) when (e is OperationCanceledException or MQTTnet.Exceptions.MqttCommunicationException)
            {
                // Refused at the connection limit, or the flood is over: try again or stop.
            }
        }

        return new FloodFigures(attempts, refused, bytes);
    }

    /// <summary>A gateway with valid credentials that keeps publishing on a wildcard topic; the broker must close each connection.</summary>
    private async Task<FloodFigures> ProtocolViolationFloodAsync(GatewayCredentials gateway, CancellationToken stop)
    {
        long attempts = 0, closed = 0, leftOpen = 0;
        while (!stop.IsCancellationRequested)
        {
            using var tcp = new TcpClient();
            try
            {
                await tcp.ConnectAsync(IPAddress.Loopback, _node.MqttPort, stop);
            }
            catch (SocketException)
            {
                continue;
            }
            catch (OperationCanceledException)
            {
                break;
            }

            attempts++;
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(stop);
            wait.CancelAfter(TimeSpan.FromSeconds(10));
            try
            {
                var stream = tcp.GetStream();
                await stream.WriteAsync(Connect(gateway), wait.Token);
                await stream.WriteAsync(WildcardPublish(gateway), wait.Token);
                var buffer = new byte[4096];
                while (await stream.ReadAsync(buffer, wait.Token) > 0)
                {
                }

                closed++;
            }
            catch (Exception e) when (e is SocketException or IOException)
            {
                closed++;
            }
            catch (OperationCanceledException) when (!stop.IsCancellationRequested)
            {
                leftOpen++;
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return new FloodFigures(attempts, closed, leftOpen);
    }

    private static bool IsClosed(Socket socket)
    {
        try
        {
            return socket.Poll(0, SelectMode.SelectRead) && socket.Available == 0;
        }
        catch (SocketException)
        {
            return true;
        }
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private MqttClientOptions Options(GatewayCredentials gateway) => new MqttClientOptionsBuilder()
        .WithProtocolVersion(MqttProtocolVersion.V500)
        .WithClientId(gateway.GatewayId)
        .WithCredentials(gateway.GatewayId, gateway.Secret)
        .WithEndPoint(new IPEndPoint(IPAddress.Loopback, _node.MqttPort))
        .WithTimeout(TimeSpan.FromSeconds(10))
        .Build();

    private static byte[] Connect(GatewayCredentials gateway)
    {
        var body = new List<byte>();
        body.AddRange(Str("MQTT"));
        body.AddRange([5, 0b1100_0010, 0, 60, 0]);
        body.AddRange(Str(gateway.GatewayId));
        body.AddRange(Str(gateway.GatewayId));
        body.AddRange(Str(gateway.Secret));
        return Packet(0x10, body);
    }

    private static byte[] WildcardPublish(GatewayCredentials gateway)
    {
        var body = new List<byte>();
        body.AddRange(Str($"prov/v1/{gateway.SiteId}/+/seal"));
        body.AddRange([0, 1, 0]);
        body.AddRange("x"u8.ToArray());
        return Packet(0x32, body);
    }

    private static byte[] Packet(byte header, List<byte> body) => [header, .. VariableLength(body.Count), .. body];

    private static IEnumerable<byte> VariableLength(int length)
    {
        do
        {
            var digit = (byte)(length % 128);
            length /= 128;
            yield return length > 0 ? (byte)(digit | 0x80) : digit;
        }
        while (length > 0);
    }

    private static byte[] Str(string text) => [(byte)(Encoding.UTF8.GetByteCount(text) >> 8), (byte)Encoding.UTF8.GetByteCount(text), .. Encoding.UTF8.GetBytes(text)];

    private static long RssMiB(int pid) =>
        long.Parse(File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;

    private static int OpenFiles(int pid) => Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd").Count();

    private static double DirectoryMiB(string path) =>
        new DirectoryInfo(path).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length) / (1024.0 * 1024.0);

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (!condition())
        {
            await Task.Delay(100, cts.Token);
        }
    }

    private static void LowerFileLimit(int pid, ulong limit)
    {
        var value = new RLimit { Current = limit, Maximum = limit };
        Assert.True(Prlimit(pid, 7 /* RLIMIT_NOFILE */, ref value, IntPtr.Zero) == 0, $"prlimit failed: errno {Marshal.GetLastPInvokeError()}");
    }

    [DllImport("libc", EntryPoint = "prlimit", SetLastError = true)]
    private static extern int Prlimit(int pid, int resource, ref RLimit newLimit, IntPtr oldLimit);

    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    /// <summary>What a flood did: attempts, how many the broker refused or closed, and bytes sent (or, for the protocol flood, connections left open).</summary>
    private sealed record FloodFigures(long Attempts, long Refused, long Bytes);

    /// <summary>Samples the child's RSS and open files every 500 ms and keeps the peaks.</summary>
    private sealed class PeakSampler : IDisposable
    {
        private readonly Timer _timer;
        private long _peakRss;
        private int _peakFiles;

        public PeakSampler(Func<long> rss, Func<int> files)
        {
            _timer = new Timer(_ =>
            {
                try
                {
                    Interlocked.Exchange(ref _peakRss, Math.Max(Interlocked.Read(ref _peakRss), rss()));
                    Interlocked.Exchange(ref _peakFiles, Math.Max(Volatile.Read(ref _peakFiles), files()));
                }
                catch (IOException)
                {
                    // The process ended; the test notices.
                }
            }, null, TimeSpan.Zero, TimeSpan.FromMilliseconds(500));
        }

        public long PeakRss => Interlocked.Read(ref _peakRss);

        public int PeakFiles => Volatile.Read(ref _peakFiles);

        public void Dispose() => _timer.Dispose();
    }
}
