// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

using System.Collections;

namespace Microsoft.ML.Data;

/// <summary>When a transformer of a chain applies.</summary>
[Flags]
public enum TransformerScope
{
    /// <summary>Never.</summary>
    None = 0,

    /// <summary>During training.</summary>
    Training = 1 << 0,

    /// <summary>During testing.</summary>
    Testing = 1 << 1,

    /// <summary>During scoring.</summary>
    Scoring = 1 << 2,

    /// <summary>Training and testing.</summary>
    TrainTest = Training | Testing,

    /// <summary>Always.</summary>
    Everything = Training | Testing | Scoring,
}

/// <summary>Transformers applied one after the other.</summary>
public sealed class TransformerChain<TLastTransformer> : ITransformer, IEnumerable<ITransformer>, IDisposable
    where TLastTransformer : class, ITransformer
{
    internal const string LoaderSignature = "TransformerChain";
    private readonly ITransformer[] _transformers;
    private readonly TransformerScope[] _scopes;

    /// <summary>The last transformer.</summary>
    public readonly TLastTransformer LastTransformer;

    /// <summary>Creates a chain with a scope per transformer.</summary>
    public TransformerChain(IEnumerable<ITransformer> transformers, IEnumerable<TransformerScope> scopes)
    {
        ArgumentNullException.ThrowIfNull(transformers);
        ArgumentNullException.ThrowIfNull(scopes);
        _transformers = transformers.ToArray();
        _scopes = scopes.ToArray();
        if (_transformers.Length != _scopes.Length)
            throw new ArgumentOutOfRangeException(nameof(scopes), $"The chain has {_transformers.Length} transformers but {_scopes.Length} scopes.");
        LastTransformer = LastAs(_transformers);
    }

    /// <summary>Creates a chain where every transformer applies always.</summary>
    public TransformerChain(params ITransformer[] transformers)
        : this(transformers ?? throw new ArgumentNullException(nameof(transformers)), transformers.Select(_ => TransformerScope.Everything))
    {
    }

    internal IReadOnlyList<TransformerScope> Scopes => _scopes;

    /// <summary>The output schema for scoring.</summary>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => GetOutputSchema(inputSchema, TransformerScope.Scoring);

    /// <summary>The output schema when the transformers of <paramref name="scope"/> apply.</summary>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema, TransformerScope scope)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var schema = inputSchema;
        for (int i = 0; i < _transformers.Length; i++)
        {
            if ((_scopes[i] & scope) != 0)
                schema = _transformers[i].GetOutputSchema(schema);
        }
        return schema;
    }

    /// <summary>Applies the scoring transformers lazily.</summary>
    public IDataView Transform(IDataView input) => Transform(input, TransformerScope.Scoring);

    /// <summary>Applies the transformers of <paramref name="scope"/> lazily.</summary>
    public IDataView Transform(IDataView input, TransformerScope scope)
    {
        ArgumentNullException.ThrowIfNull(input);
        // Fail early, before any row is read, when the input does not fit.
        GetOutputSchema(input.Schema, scope);
        var data = input;
        for (int i = 0; i < _transformers.Length; i++)
        {
            if ((_scopes[i] & scope) != 0)
                data = _transformers[i].Transform(data);
        }
        return data;
    }

    /// <summary>The sub-chain of transformers whose scope intersects <paramref name="scopeFilter"/>.</summary>
    public TransformerChain<ITransformer> GetModelFor(TransformerScope scopeFilter)
    {
        var keep = Enumerable.Range(0, _transformers.Length).Where(i => (_scopes[i] & scopeFilter) != 0).ToArray();
        return new TransformerChain<ITransformer>(keep.Select(i => _transformers[i]), keep.Select(i => _scopes[i]));
    }

    /// <summary>A new chain with <paramref name="transformer"/> appended.</summary>
    public TransformerChain<TNewLast> Append<TNewLast>(TNewLast transformer, TransformerScope scope = TransformerScope.Everything)
        where TNewLast : class, ITransformer
    {
        ArgumentNullException.ThrowIfNull(transformer);
        return new TransformerChain<TNewLast>(_transformers.Append(transformer), _scopes.Append(scope));
    }

    void ICanSaveModel.Save(ModelSaveContext ctx) => ChainPersistence.Save(ctx, _transformers, _scopes);

    /// <summary>Enumerates the transformers.</summary>
    public IEnumerator<ITransformer> GetEnumerator() => ((IEnumerable<ITransformer>)_transformers).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    bool ITransformer.IsRowToRowMapper => _transformers.All(t => t.IsRowToRowMapper);

    IRowToRowMapper ITransformer.GetRowToRowMapper(DataViewSchema inputSchema) => new ChainRowMapper(this, inputSchema);

    /// <summary>Disposes every disposable transformer.</summary>
    public void Dispose()
    {
        foreach (var t in _transformers)
            (t as IDisposable)?.Dispose();
    }

    private static TLastTransformer LastAs(ITransformer[] transformers)
    {
        if (transformers.Length == 0)
            return null!;
        return transformers[^1] as TLastTransformer
            ?? throw new ArgumentException($"The last transformer is a {transformers[^1].GetType().Name}, not a {typeof(TLastTransformer).Name}.", nameof(transformers));
    }

    private sealed class ChainRowMapper : IRowToRowMapper
    {
        private readonly TransformerChain<TLastTransformer> _chain;

        public ChainRowMapper(TransformerChain<TLastTransformer> chain, DataViewSchema inputSchema)
        {
            _chain = chain;
            InputSchema = inputSchema;
            OutputSchema = chain.GetOutputSchema(inputSchema);
        }

        public DataViewSchema InputSchema { get; }

        public DataViewSchema OutputSchema { get; }

        public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns) => InputSchema;

        public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns)
        {
            var view = _chain.Transform(new SingleRowDataView(input));
            return view.GetRowCursor(activeColumns.Select(c => view.Schema[c.Index])) is var cursor && cursor.MoveNext()
                ? cursor
                : throw new InvalidOperationException("The chain produced no row for the input row.");
        }
    }
}
