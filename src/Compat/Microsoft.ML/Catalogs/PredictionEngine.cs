// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace Microsoft.ML;

/// <summary>Runs a transformer on one object at a time; not thread safe.</summary>
public abstract class PredictionEngineBase<TSrc, TDst> : IDisposable
    where TSrc : class
    where TDst : class, new()
{
    private readonly ITransformer _transformer;
    private readonly SchemaDefinition? _inputDefinition;
    private readonly SchemaDefinition? _outputDefinition;
    private readonly bool _ignoreMissingColumns;
    private readonly IHostEnvironment _env;

    private protected PredictionEngineBase(IHostEnvironment env, ITransformer transformer, bool ignoreMissingColumns,
        SchemaDefinition? inputSchemaDefinition, SchemaDefinition? outputSchemaDefinition)
    {
        _env = env;
        _transformer = transformer ?? throw new ArgumentNullException(nameof(transformer));
        _ignoreMissingColumns = ignoreMissingColumns;
        _inputDefinition = inputSchemaDefinition;
        _outputDefinition = outputSchemaDefinition;
        var probe = new EnumerableDataView<TSrc>(Array.Empty<TSrc>(), inputSchemaDefinition ?? SchemaDefinition.Create(typeof(TSrc), SchemaDefinition.Direction.Read));
        OutputSchema = transformer.GetOutputSchema(probe.Schema);
    }

    /// <summary>The schema of the transformer's output.</summary>
    public DataViewSchema OutputSchema { get; }

    /// <summary>Releases nothing: the engine does not own the transformer.</summary>
    public void Dispose()
    {
        GC.SuppressFinalize(this);
    }

    /// <summary>Runs the model on <paramref name="example"/> and returns a new result object.</summary>
    public TDst Predict(TSrc example)
    {
        var result = new TDst();
        Predict(example, ref result);
        return result;
    }

    /// <summary>Runs the model on <paramref name="example"/>, filling <paramref name="prediction"/>.</summary>
    public abstract void Predict(TSrc example, ref TDst prediction);

    private protected void PredictCore(TSrc example, ref TDst prediction)
    {
        ArgumentNullException.ThrowIfNull(example);
        _env.CheckAlive();
        var input = new EnumerableDataView<TSrc>(new[] { example }, _inputDefinition ?? SchemaDefinition.Create(typeof(TSrc), SchemaDefinition.Direction.Read));
        var output = _transformer.Transform(input);
        var definition = _outputDefinition ?? SchemaDefinition.Create(typeof(TDst), SchemaDefinition.Direction.Write);
        // reuseRowObject with the caller's object: Predict(example, ref prediction) fills it in place.
        foreach (var row in TypedEnumerable.Create(output, reuseRowObject: true, _ignoreMissingColumns, definition, prediction ?? new TDst()))
        {
            prediction = row;
            return;
        }
        throw new InvalidOperationException("The model produced no row for the example.");
    }
}

/// <summary>Runs a transformer on one object at a time; not thread safe.</summary>
public sealed class PredictionEngine<TSrc, TDst> : PredictionEngineBase<TSrc, TDst>
    where TSrc : class
    where TDst : class, new()
{
    internal PredictionEngine(IHostEnvironment env, ITransformer transformer, bool ignoreMissingColumns,
        SchemaDefinition? inputSchemaDefinition, SchemaDefinition? outputSchemaDefinition)
        : base(env, transformer, ignoreMissingColumns, inputSchemaDefinition, outputSchemaDefinition)
    {
    }

    /// <summary>Runs the model on <paramref name="example"/>, filling <paramref name="prediction"/>.</summary>
    public override void Predict(TSrc example, ref TDst prediction) => PredictCore(example, ref prediction);
}
