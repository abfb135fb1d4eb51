using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Provenance.Ingestion.Tests.Boundary.Support;

/// <summary>A logger provider that keeps every entry at Warning and above, so tests can fail on unexpected errors and wait on expected warnings.</summary>
public sealed class ErrorLog : ILoggerProvider
{
    private readonly ConcurrentQueue<(LogLevel Level, EventId Event, string Message)> _entries = new();

    public IReadOnlyList<(LogLevel Level, EventId Event, string Message)> Entries => [.. _entries];

    public IEnumerable<string> Errors => _entries.Where(e => e.Level >= LogLevel.Error).Select(e => $"{e.Event.Id}: {e.Message}");

    public ILogger CreateLogger(string categoryName) => new Collector(this);

    public ILogger<T> For<T>() => new Logger<T>(new Factory(this));

    public void Dispose()
    {
    }

    private sealed class Collector(ErrorLog log) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                log._entries.Enqueue((logLevel, eventId, formatter(state, exception) + (exception is null ? string.Empty : $" ({exception.GetType().Name}: {exception.Message})")));
            }
        }
    }

    private sealed class Factory(ErrorLog log) : ILoggerFactory
    {
        public void AddProvider(ILoggerProvider provider)
        {
        }

        public ILogger CreateLogger(string categoryName) => log.CreateLogger(categoryName);

        public void Dispose()
        {
        }
    }
}
