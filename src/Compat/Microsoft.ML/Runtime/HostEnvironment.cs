// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

namespace Microsoft.ML.Runtime;

/// <summary>State shared by every host of one <see cref="MLContext"/>: the root random generator, the log sink and cancellation.</summary>
internal sealed class EnvironmentRoot
{
    private readonly Random _rand;
    private readonly Action<LoggingEventArgs> _log;
    private volatile bool _canceled;

    public EnvironmentRoot(int? seed, Action<LoggingEventArgs> log, MLContext? context)
    {
        Seed = seed;
        _rand = seed.HasValue ? new Random(seed.Value) : new Random();
        _log = log;
        Context = context;
    }

    public int? Seed { get; }

    public MLContext? Context { get; }

    public ComponentCatalog Catalog { get; } = new ComponentCatalog();

    public bool IsCanceled => _canceled;

    public void Cancel() => _canceled = true;

    // Child generators are drawn from the root one so that a fixed seed reproduces the same sequence of operations.
    public int NextSeed()
    {
        lock (_rand)
            return _rand.Next();
    }

    public void Log(LoggingEventArgs e) => _log(e);
}

/// <summary>A named host; the root host of an <see cref="MLContext"/> has an empty name.</summary>
internal sealed class Host : IHost
{
    private readonly EnvironmentRoot _root;
    private readonly string _fullName;

    public Host(EnvironmentRoot root, string fullName, int seed)
    {
        _root = root;
        _fullName = fullName;
        Rand = new Random(seed);
    }

    public EnvironmentRoot Root => _root;

    public Random Rand { get; }

    public ComponentCatalog ComponentCatalog => _root.Catalog;

    public string ContextDescription => _fullName;

    public IHost Register(string name, int? seed = null, bool? verbose = null)
    {
        if (string.IsNullOrEmpty(name))
            throw new ArgumentOutOfRangeException(nameof(name), "name cannot be null or empty");
        return new Host(_root, Combine(name), seed ?? _root.NextSeed());
    }

    public IChannel Start(string name)
    {
        if (string.IsNullOrEmpty(name))
            throw new ArgumentOutOfRangeException(nameof(name), "name cannot be null or empty");
        return new Channel(_root, Combine(name));
    }

    public IPipe<TMessage> StartPipe<TMessage>(string name) => new Pipe<TMessage>(Combine(name));

    public IProgressChannel StartProgressChannel(string name) => new ProgressChannel();

    public TException Process<TException>(TException ex)
        where TException : Exception
    {
        ArgumentNullException.ThrowIfNull(ex);
        ex.Data["ML_IsMarked"] = 1;
        return ex;
    }

    private string Combine(string name) => _fullName.Length == 0 ? name : $"{_fullName}; {name}";

    private sealed class Pipe<TMessage> : IPipe<TMessage>
    {
        public Pipe(string name) => ContextDescription = name;

        public string ContextDescription { get; }

        public void Send(TMessage msg)
        {
        }

        public TException Process<TException>(TException ex)
            where TException : Exception => ex;

        public void Dispose()
        {
        }
    }

    private sealed class ProgressChannel : IProgressChannel
    {
        public void SetHeader(ProgressHeader header, Action<IProgressEntry> fillAction)
        {
        }

        public void Checkpoint(params double?[] values)
        {
        }

        public IProgressChannel StartProgressChannel(string name) => new ProgressChannel();

        public void Dispose()
        {
        }
    }
}

/// <summary>Forwards messages to the owning <see cref="MLContext.Log"/> with the channel's full name as source.</summary>
internal sealed class Channel : IChannel
{
    private readonly EnvironmentRoot _root;
    private bool _disposed;

    public Channel(EnvironmentRoot root, string fullName)
    {
        _root = root;
        ContextDescription = fullName;
    }

    public string ContextDescription { get; }

    public void Send(ChannelMessage msg)
    {
        if (_disposed)
            throw new ObjectDisposedException($"channel '{ContextDescription}'");
        _root.Log(new LoggingEventArgs(msg.Message, msg.Kind, ContextDescription));
    }

    public void Trace(MessageSensitivity sensitivity, string fmt) => Send(new ChannelMessage(ChannelMessageKind.Trace, sensitivity, fmt));

    public void Trace(MessageSensitivity sensitivity, string fmt, params object[] args) => Send(new ChannelMessage(ChannelMessageKind.Trace, sensitivity, fmt, args));

    public void Error(MessageSensitivity sensitivity, string fmt) => Send(new ChannelMessage(ChannelMessageKind.Error, sensitivity, fmt));

    public void Error(MessageSensitivity sensitivity, string fmt, params object[] args) => Send(new ChannelMessage(ChannelMessageKind.Error, sensitivity, fmt, args));

    public void Warning(MessageSensitivity sensitivity, string fmt) => Send(new ChannelMessage(ChannelMessageKind.Warning, sensitivity, fmt));

    public void Warning(MessageSensitivity sensitivity, string fmt, params object[] args) => Send(new ChannelMessage(ChannelMessageKind.Warning, sensitivity, fmt, args));

    public void Info(MessageSensitivity sensitivity, string fmt) => Send(new ChannelMessage(ChannelMessageKind.Info, sensitivity, fmt));

    public void Info(MessageSensitivity sensitivity, string fmt, params object[] args) => Send(new ChannelMessage(ChannelMessageKind.Info, sensitivity, fmt, args));

    public TException Process<TException>(TException ex)
        where TException : Exception
    {
        ex.Data["ML_IsMarked"] = 1;
        return ex;
    }

    public void Dispose() => _disposed = true;
}
