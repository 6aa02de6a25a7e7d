// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

namespace Microsoft.ML.Runtime;

/// <summary>Convenience overloads of <see cref="IChannel"/> methods with <see cref="MessageSensitivity.Unknown"/>.</summary>
public static class HostExtensions
{
    /// <summary>Sends a trace message.</summary>
    public static void Trace(this IChannel ch, string fmt) => ch.Trace(MessageSensitivity.Unknown, fmt);

    /// <summary>Sends a formatted trace message.</summary>
    public static void Trace(this IChannel ch, string fmt, params object[] args) => ch.Trace(MessageSensitivity.Unknown, fmt, args);

    /// <summary>Sends an error message.</summary>
    public static void Error(this IChannel ch, string fmt) => ch.Error(MessageSensitivity.Unknown, fmt);

    /// <summary>Sends a formatted error message.</summary>
    public static void Error(this IChannel ch, string fmt, params object[] args) => ch.Error(MessageSensitivity.Unknown, fmt, args);

    /// <summary>Sends a warning.</summary>
    public static void Warning(this IChannel ch, string fmt) => ch.Warning(MessageSensitivity.Unknown, fmt);

    /// <summary>Sends a formatted warning.</summary>
    public static void Warning(this IChannel ch, string fmt, params object[] args) => ch.Warning(MessageSensitivity.Unknown, fmt, args);

    /// <summary>Sends an information message.</summary>
    public static void Info(this IChannel ch, string fmt) => ch.Info(MessageSensitivity.Unknown, fmt);

    /// <summary>Sends a formatted information message.</summary>
    public static void Info(this IChannel ch, string fmt, params object[] args) => ch.Info(MessageSensitivity.Unknown, fmt, args);
}
