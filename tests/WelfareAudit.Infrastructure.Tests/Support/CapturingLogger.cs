using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace WelfareAudit.Infrastructure.Tests.Support;

/// <summary>
/// Keeps every record as a console logger would print it: the message, every structured value, and the
/// whole exception (<see cref="Exception.ToString"/>, inner exceptions included).
/// </summary>
public sealed class CapturingLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<string> _records = new();

    public IReadOnlyList<string> Records => [.. _records];

    public string Text => string.Join("\n", _records);

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join("|", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
        _records.Enqueue($"{logLevel} {eventId.Id} {formatter(state, exception)} [{values}] {exception}");
    }
}
