// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

using Microsoft.ML.Runtime;

namespace Microsoft.ML;

/// <summary>The entry point of ML.NET: catalogs of operations, the log, and the shared random seed.</summary>
public sealed class MLContext : IHostEnvironment
{
    private readonly Host _host;
    private readonly Dictionary<string, object?> _options = new(StringComparer.Ordinal);

    /// <summary>Creates a context; a fixed <paramref name="seed"/> makes the same sequence of operations reproducible.</summary>
    public MLContext(int? seed = null)
    {
        Root = new EnvironmentRoot(seed, OnLog, this);
        _host = new Host(Root, string.Empty, seed ?? Root.NextSeed());
        Transforms = new TransformsCatalog(this);
        Model = new ModelOperationsCatalog(this);
        Data = new DataOperationsCatalog(this);
    }

    /// <summary>Data transformations.</summary>
    public TransformsCatalog Transforms { get; }

    /// <summary>Saving, loading and prediction engines.</summary>
    public ModelOperationsCatalog Model { get; }

    /// <summary>Loading, converting and splitting data.</summary>
    public DataOperationsCatalog Data { get; }

    /// <summary>Receives every message sent through channels started from this context or its hosts.</summary>
    public event EventHandler<LoggingEventArgs>? Log;

    /// <summary>The component catalog.</summary>
    public ComponentCatalog ComponentCatalog => Root.Catalog;

    /// <summary>Where components may write temporary files; null means the system temporary folder.</summary>
    public string? TempFilePath { get; set; }

    /// <summary>Whether GPU components fall back to the CPU when no GPU is usable.</summary>
    public bool FallbackToCpu { get; set; }

    /// <summary>The GPU to use; null means CPU.</summary>
    public int? GpuDeviceId { get; set; }

    internal EnvironmentRoot Root { get; }

    /// <summary>Asks running operations to stop at their next check (see <see cref="EnvironmentExtensions.CheckAlive"/>). Internal upstream.</summary>
    public void CancelExecution() => Root.Cancel();

    /// <summary>Adds an option unless one of that name exists.</summary>
    public bool TryAddOption<T>(string name, T value) => _options.TryAdd(name, value);

    /// <summary>Sets an option.</summary>
    public void SetOption<T>(string name, T value) => _options[name] = value;

    /// <summary>Reads an option of type <typeparamref name="T"/>.</summary>
    public bool TryGetOption<T>(string name, out T value)
    {
        if (_options.TryGetValue(name, out var raw) && raw is T typed)
        {
            value = typed;
            return true;
        }
        value = default!;
        return false;
    }

    /// <summary>Reads an option or returns the default.</summary>
    public T GetOptionOrDefault<T>(string name) => TryGetOption<T>(name, out var value) ? value : default!;

    /// <summary>Removes an option.</summary>
    public bool RemoveOption(string name) => _options.Remove(name);

    private void OnLog(LoggingEventArgs e) => Log?.Invoke(this, e);

    IHost IHostEnvironment.Register(string name, int? seed, bool? verbose) => _host.Register(name, seed, verbose);

    ComponentCatalog IHostEnvironment.ComponentCatalog => Root.Catalog;

    IChannel IChannelProvider.Start(string name) => _host.Start(name);

    IPipe<TMessage> IChannelProvider.StartPipe<TMessage>(string name) => _host.StartPipe<TMessage>(name);

    IProgressChannel IProgressChannelProvider.StartProgressChannel(string name) => _host.StartProgressChannel(name);

    TException IExceptionContext.Process<TException>(TException ex) => _host.Process(ex);

    string IExceptionContext.ContextDescription => nameof(MLContext);
}
