using System.Collections.Concurrent;
using System.Net;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Provenance.Fabric.Tests.Support;

/// <summary>
/// An in-process Fabric Gateway peer on a real channel: Kestrel on 127.0.0.1, port 0, HTTP/2 (plain text, or TLS with
/// a <see cref="TestPki"/> and optionally a required client certificate). Fails the test on any error it logs.
/// </summary>
internal sealed class FakeGatewayPeer : IAsyncDisposable
{
    public const string ChannelName = "provenance";
    public const string ChaincodeName = "kv";
    public const string PeerAddress = "peer0.org1.example.com:7051";
    public const string PeerMspId = "Org1MSP";

    private readonly ConcurrentDictionary<string, bool> _trusted = new();
    private readonly ErrorLogCollector _errors = new();
    private WebApplication? _app;

    private FakeGatewayPeer()
    {
    }

    public Uri Address { get; private set; } = new("http://127.0.0.1");

    public ToyLedger Ledger { get; } = new();

    public FaultPlan Faults { get; } = new();

    /// <summary>Every proposal the peer checked, in order.</summary>
    public ConcurrentQueue<CheckedProposal> Invocations { get; } = new();

    /// <summary>Every proposal the peer endorsed (simulated successfully), in order.</summary>
    public ConcurrentQueue<CheckedProposal> Endorsements { get; } = new();

    /// <summary>The chaincode that simulates proposals over <see cref="Ledger"/>; the <see cref="ToyChaincode"/> unless replaced.</summary>
    public Func<CheckedProposal, Func<string, (byte[]? Value, ulong Version)>, Simulation> Chaincode { get; set; } =
        (proposal, read) => ToyChaincode.Simulate(proposal.Function, proposal.Arguments, read);

    /// <summary>Every chaincode events request the peer accepted, in order.</summary>
    public ConcurrentQueue<Protos.Gateway.ChaincodeEventsRequest> EventRequests { get; } = new();

    public IReadOnlySet<string> TrustedCertificates => _trusted.Keys.ToHashSet();

    public static async Task<FakeGatewayPeer> StartAsync(TestPki? tls = null, bool requireClientCertificate = false)
    {
        var peer = new FakeGatewayPeer();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(peer._errors);
        if (tls is not null)
        {
            builder.WebHost.UseKestrelHttpsConfiguration();
        }

        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            if (tls is not null)
            {
                listen.UseHttps(new HttpsConnectionAdapterOptions
                {
                    ServerCertificate = tls.ServerCertificate,
                    ClientCertificateMode = requireClientCertificate ? ClientCertificateMode.RequireCertificate : ClientCertificateMode.NoCertificate,
                    ClientCertificateValidation = (certificate, _, _) => VerifiesWithCa(certificate, tls),
                });
            }
        }));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(peer);
        builder.Services.AddSingleton<FakeGatewayService>();
        var app = builder.Build();
        app.MapGrpcService<FakeGatewayService>();
        app.MapGet("/client-certificate", (HttpContext context) => context.Connection.ClientCertificate?.Subject ?? "none");
        await app.StartAsync();
        peer._app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        peer.Address = new Uri(address);
        return peer;
    }

    public void Trust(TestCredentials credentials) => _trusted[credentials.Certificate.Thumbprint] = true;

    /// <summary>A plain-text channel to the peer; the caller disposes it.</summary>
    public GrpcChannel CreateChannel() => FabricChannelFactory.Create(Address);

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        var errors = _errors.Errors;
        if (!errors.IsEmpty)
        {
            throw new InvalidOperationException("The fake peer logged errors:\n" + string.Join("\n", errors));
        }
    }

    private static bool VerifiesWithCa(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate, TestPki tls)
    {
        using var chain = new System.Security.Cryptography.X509Certificates.X509Chain();
        chain.ChainPolicy.TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.Add(tls.CaCertificate);
        return chain.Build(certificate);
    }

    private sealed class ErrorLogCollector : ILoggerProvider, ILogger
    {
        public ConcurrentQueue<string> Errors { get; } = new();

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                Errors.Enqueue($"{logLevel} {eventId}: {formatter(state, exception)} {exception}");
            }
        }

        public void Dispose()
        {
        }
    }
}
