// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

using Microsoft.ML.Runtime;

namespace Microsoft.ML;

/// <summary>A message logged through <see cref="MLContext.Log"/>.</summary>
public class LoggingEventArgs : EventArgs
{
    /// <summary>Creates an informational message without a source.</summary>
    public LoggingEventArgs(string message)
    {
        RawMessage = message;
        Message = message;
        Source = string.Empty;
        Kind = ChannelMessageKind.Info;
    }

    /// <summary>Creates a message of <paramref name="kind"/> from channel <paramref name="source"/>.</summary>
    public LoggingEventArgs(string message, ChannelMessageKind kind, string source)
    {
        RawMessage = message;
        Kind = kind;
        Source = source;
        Message = $"[Source={source}, Kind={kind}] {message}";
    }

    /// <summary>The full name of the channel, e.g. "Component; Phase".</summary>
    public string Source { get; }

    /// <summary>The message kind.</summary>
    public ChannelMessageKind Kind { get; }

    /// <summary>"[Source={Source}, Kind={Kind}] {RawMessage}".</summary>
    public string Message { get; }

    /// <summary>The message text alone.</summary>
    public string RawMessage { get; }
}
