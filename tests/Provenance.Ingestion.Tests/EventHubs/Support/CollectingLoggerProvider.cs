using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Provenance.Ingestion.Tests.EventHubs.Support;

/// <summary>Keeps every log entry of the components under test, so that a test fails on an error it did not expect.</summary>
public sealed class CollectingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<(LogLevel Level, EventId Id, string Category, string Message)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public IReadOnlyList<string> Errors(params int[] expectedEventIds) =>
        [.. Entries.Where(e => e.Level >= LogLevel.Error && !expectedEventIds.Contains(e.Id.Id)).Select(e => $"{e.Category} [{e.Id.Id}] {e.Message}")];

    public void Dispose()
    {
    }

    private sealed class Logger(CollectingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Entries.Enqueue((logLevel, eventId, category, formatter(state, exception) + (exception is null ? string.Empty : " " + exception)));
    }
}
