namespace TorchSharp;

/// <summary>
/// Collects the tensors created while it is the current scope of its thread and disposes them with
/// itself. Open one per training or sampling step so native memory stays flat.
/// </summary>
public sealed class DisposeScope : IDisposable
{
    private readonly DisposeScopeManager _manager;
    private readonly HashSet<IDisposable> _disposables = new(ReferenceEqualityComparer.Instance);

    internal DisposeScope(DisposeScopeManager manager, DisposeScope? outer)
    {
        _manager = manager;
        OuterScope = outer;
    }

    /// <summary>The scope that was current when this one was opened.</summary>
    internal DisposeScope? OuterScope { get; }

    /// <summary>How many disposables the scope holds.</summary>
    public int DisposablesCount => _disposables.Count;

    /// <summary>Whether the scope holds the given disposable.</summary>
    public bool Contains(IDisposable disposable) => _disposables.Contains(disposable);

    internal void Register(IDisposable disposable) => _disposables.Add(disposable);

    internal void Remove(IDisposable disposable) => _disposables.Remove(disposable);

    /// <summary>Moves a disposable to the outer scope (or out of all scopes); returns it.</summary>
    public T MoveToOuter<T>(T disposable) where T : IDisposable
    {
        if (_disposables.Remove(disposable)) OuterScope?.Register(disposable);
        if (disposable is torch.Tensor t) t.OwningScope = OuterScope;
        return disposable;
    }

    /// <summary>Moves two disposables to the outer scope.</summary>
    public (T1 first, T2 second) MoveToOuter<T1, T2>(T1 first, T2 second) where T1 : IDisposable where T2 : IDisposable
        => (MoveToOuter(first), MoveToOuter(second));

    /// <summary>Moves three disposables to the outer scope.</summary>
    public (T1 first, T2 second, T3 third) MoveToOuter<T1, T2, T3>(T1 first, T2 second, T3 third)
        where T1 : IDisposable where T2 : IDisposable where T3 : IDisposable
        => (MoveToOuter(first), MoveToOuter(second), MoveToOuter(third));

    /// <summary>Takes a disposable out of every scope: the caller now owns it.</summary>
    public T Detach<T>(T disposable) where T : IDisposable
    {
        _disposables.Remove(disposable);
        if (disposable is torch.Tensor t) t.OwningScope = null;
        return disposable;
    }

    /// <summary>Adds a disposable to this scope (taking it out of the scope that held it).</summary>
    public void Attach(IDisposable disposable)
    {
        if (disposable is torch.Tensor t)
        {
            t.OwningScope?.Remove(t);
            t.OwningScope = this;
        }
        _disposables.Add(disposable);
    }

    /// <summary>Disposes everything the scope holds, but keeps the scope open.</summary>
    public void DisposeEverything() => DisposeEverythingBut();

    /// <summary>Disposes everything the scope holds except the given disposables.</summary>
    public void DisposeEverythingBut(params IDisposable[] keep)
    {
        var kept = new HashSet<IDisposable>(keep, ReferenceEqualityComparer.Instance);
        var victims = _disposables.Where(d => !kept.Contains(d)).ToList();
        foreach (var d in victims)
        {
            _disposables.Remove(d);
            if (d is torch.Tensor t) t.OwningScope = null;
            d.Dispose();
        }
    }

    /// <summary>Disposes everything the scope holds and closes it.</summary>
    public void Dispose()
    {
        DisposeEverything();
        _manager.Close(this);
    }
}

/// <summary>The per-thread stack of dispose scopes.</summary>
public class DisposeScopeManager
{
    [ThreadStatic] private static DisposeScopeManager? t_manager;

    internal static DisposeScopeManager ThreadSingleton => t_manager ??= new DisposeScopeManager();

    internal DisposeScope? CurrentScope { get; private set; }

    internal DisposeScope NewDisposeScope() => CurrentScope = new DisposeScope(this, CurrentScope);

    // Scopes may close out of order: closing one that is not current just unlinks it from the chain.
    internal void Close(DisposeScope scope)
    {
        if (ReferenceEquals(CurrentScope, scope)) CurrentScope = scope.OuterScope;
    }
}

public static partial class torch
{
    /// <summary>Opens a dispose scope on this thread; dispose it to free every tensor made inside.</summary>
    public static DisposeScope NewDisposeScope() => DisposeScopeManager.ThreadSingleton.NewDisposeScope();

    /// <summary>The current dispose scope of this thread, if any.</summary>
    public static DisposeScope? CurrentDisposeScope => DisposeScopeManager.ThreadSingleton.CurrentScope;

    /// <summary>Evaluates <paramref name="expr"/> in a fresh scope and returns its result moved out of it.</summary>
    public static Tensor WrappedTensorDisposeScope(Func<Tensor> expr)
    {
        using var scope = NewDisposeScope();
        return expr().MoveToOuterDisposeScope();
    }
}
