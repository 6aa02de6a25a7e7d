// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

namespace Microsoft.ML.Runtime;

/// <summary>Gives exceptions context (the component they come from) before they are thrown.</summary>
public interface IExceptionContext
{
    /// <summary>Tags <paramref name="ex"/> with this context and returns it for throwing.</summary>
    TException Process<TException>(TException ex)
        where TException : Exception;

    /// <summary>A description of the context, such as the component name.</summary>
    string ContextDescription { get; }
}

/// <summary>Creates message channels and pipes.</summary>
public interface IChannelProvider : IExceptionContext
{
    /// <summary>Starts a message channel; its messages reach <see cref="MLContext.Log"/>.</summary>
    IChannel Start(string name);

    /// <summary>Starts a generic pipe.</summary>
    IPipe<TMessage> StartPipe<TMessage>(string name);
}

/// <summary>The environment components run in: hosts, channels and component registration.</summary>
public interface IHostEnvironment : IChannelProvider, IProgressChannelProvider
{
    /// <summary>Creates a host for a component; its random generator derives from <paramref name="seed"/> or the environment's.</summary>
    IHost Register(string name, int? seed = null, bool? verbose = null);

    /// <summary>The catalog of loadable components.</summary>
    ComponentCatalog ComponentCatalog { get; }
}

/// <summary>A component's host: an environment with its own random generator.</summary>
public interface IHost : IHostEnvironment
{
    /// <summary>The component's random generator, seeded from the <see cref="MLContext"/> seed; not thread safe.</summary>
    Random Rand { get; }
}

/// <summary>A generic information pipe.</summary>
public interface IPipe<TMessage> : IExceptionContext, IDisposable
{
    /// <summary>Sends a message.</summary>
    void Send(TMessage msg);
}

/// <summary>The kinds of channel messages.</summary>
public enum ChannelMessageKind
{
    /// <summary>Detailed diagnostics.</summary>
    Trace = 0,

    /// <summary>Information.</summary>
    Info = 1,

    /// <summary>Warnings.</summary>
    Warning = 2,

    /// <summary>Errors.</summary>
    Error = 3,
}

/// <summary>What kind of sensitive data a message may contain.</summary>
[Flags]
public enum MessageSensitivity
{
    /// <summary>Nothing sensitive.</summary>
    None = 0,

    /// <summary>May contain user data.</summary>
    UserData = 0x1,

    /// <summary>May contain schema information such as column names.</summary>
    Schema = 0x2,

    /// <summary>Unknown: treated as everything sensitive.</summary>
    Unknown = ~None,

    /// <summary>Alias of <see cref="Unknown"/>.</summary>
    All = Unknown,
}

/// <summary>A message sent through a channel.</summary>
public readonly struct ChannelMessage
{
    private readonly string _message;
    private readonly object[]? _args;

    /// <summary>The kind of message.</summary>
    public readonly ChannelMessageKind Kind;

    /// <summary>The sensitivity of the message.</summary>
    public readonly MessageSensitivity Sensitivity;

    /// <summary>The formatted message.</summary>
    public string Message => _args is null ? _message : string.Format(System.Globalization.CultureInfo.InvariantCulture, _message, _args);

    /// <summary>Creates a message (internal upstream, [BestFriend]).</summary>
    internal ChannelMessage(ChannelMessageKind kind, MessageSensitivity sensitivity, string message)
    {
        if (string.IsNullOrEmpty(message))
            throw new ArgumentOutOfRangeException(nameof(message), "message cannot be null or empty");
        Kind = kind;
        Sensitivity = sensitivity;
        _message = message;
        _args = null;
    }

    /// <summary>Creates a message formatted from <paramref name="fmt"/> and <paramref name="args"/>.</summary>
    internal ChannelMessage(ChannelMessageKind kind, MessageSensitivity sensitivity, string fmt, params object[] args)
    {
        if (string.IsNullOrEmpty(fmt))
            throw new ArgumentOutOfRangeException(nameof(fmt), "fmt cannot be null or empty");
        Kind = kind;
        Sensitivity = sensitivity;
        _message = fmt;
        _args = args is { Length: > 0 } ? args : null;
    }
}

/// <summary>A standard message channel.</summary>
public interface IChannel : IPipe<ChannelMessage>
{
    /// <summary>Sends a trace message.</summary>
    void Trace(MessageSensitivity sensitivity, string fmt);

    /// <summary>Sends a formatted trace message.</summary>
    void Trace(MessageSensitivity sensitivity, string fmt, params object[] args);

    /// <summary>Sends an error message.</summary>
    void Error(MessageSensitivity sensitivity, string fmt);

    /// <summary>Sends a formatted error message.</summary>
    void Error(MessageSensitivity sensitivity, string fmt, params object[] args);

    /// <summary>Sends a warning.</summary>
    void Warning(MessageSensitivity sensitivity, string fmt);

    /// <summary>Sends a formatted warning.</summary>
    void Warning(MessageSensitivity sensitivity, string fmt, params object[] args);

    /// <summary>Sends an information message.</summary>
    void Info(MessageSensitivity sensitivity, string fmt);

    /// <summary>Sends a formatted information message.</summary>
    void Info(MessageSensitivity sensitivity, string fmt, params object[] args);
}
