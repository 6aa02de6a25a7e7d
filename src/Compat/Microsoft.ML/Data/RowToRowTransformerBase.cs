// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

using Microsoft.ML.Runtime;

namespace Microsoft.ML.Data;

/// <summary>Base of transformers that append computed columns row by row. Derive through <see cref="OneToOneTransformerBase"/>.</summary>
public abstract class RowToRowTransformerBase : ITransformer
{
    private protected readonly IHost Host;

    private protected RowToRowTransformerBase(IHost host)
    {
        Host = host ?? throw new ArgumentNullException(nameof(host));
    }

    /// <summary>The input columns followed by the computed ones; throws if an input column is missing or has the wrong type.</summary>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return new MappedDataView(new SchemaOnlyDataView(inputSchema), MakeMapper(inputSchema)).Schema;
    }

    /// <summary>Maps <paramref name="input"/> lazily: nothing is computed until a cursor reads a row.</summary>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new MappedDataView(input, MakeMapper(input.Schema));
    }

    bool ITransformer.IsRowToRowMapper => true;

    IRowToRowMapper ITransformer.GetRowToRowMapper(DataViewSchema inputSchema) => new RowMapper(this, inputSchema);

    void ICanSaveModel.Save(ModelSaveContext ctx) => SaveModel(ctx);

    private protected abstract void SaveModel(ModelSaveContext ctx);

    /// <summary>Validates <paramref name="inputSchema"/> and describes the computed columns.</summary>
    private protected abstract ColumnMapper MakeMapper(DataViewSchema inputSchema);

    /// <summary>The computed columns for one input schema and how to compute them.</summary>
    private protected abstract class ColumnMapper
    {
        public abstract DataViewSchema.DetachedColumn[] OutputColumns { get; }

        /// <summary>The input columns needed by the active outputs.</summary>
        public abstract IEnumerable<DataViewSchema.Column> GetDependencies(Func<int, bool> isOutputActive);

        /// <summary>A getter for output <paramref name="iinfo"/>, made once per cursor.</summary>
        public abstract Delegate MakeGetter(DataViewRow input, int iinfo);
    }

    private sealed class MappedDataView : RowMappingDataView
    {
        private readonly ColumnMapper _mapper;

        public MappedDataView(IDataView input, ColumnMapper mapper)
            : base(input, mapper.OutputColumns)
        {
            _mapper = mapper;
        }

        protected override IEnumerable<DataViewSchema.Column> GetInputDependencies(Func<int, bool> isAddedColumnActive) =>
            _mapper.GetDependencies(isAddedColumnActive);

        protected override Delegate?[] MakeGetters(DataViewRow input, Func<int, bool> isAddedColumnActive, out Action? disposer)
        {
            disposer = null;
            var getters = new Delegate?[AddedColumnCount];
            for (int i = 0; i < getters.Length; i++)
            {
                if (isAddedColumnActive(i))
                    getters[i] = _mapper.MakeGetter(input, i);
            }
            return getters;
        }

        public DataViewRow Map(DataViewRow input, IEnumerable<DataViewSchema.Column> active) => MapRow(input, active);
    }

    private sealed class RowMapper : IRowToRowMapper
    {
        private readonly RowToRowTransformerBase _parent;

        public RowMapper(RowToRowTransformerBase parent, DataViewSchema inputSchema)
        {
            _parent = parent;
            InputSchema = inputSchema;
            OutputSchema = parent.GetOutputSchema(inputSchema);
        }

        public DataViewSchema InputSchema { get; }

        public DataViewSchema OutputSchema { get; }

        public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns)
        {
            var mapper = _parent.MakeMapper(InputSchema);
            var active = dependingColumns.Where(c => c.Index >= InputSchema.Count).Select(c => c.Index - InputSchema.Count).ToHashSet();
            return dependingColumns.Where(c => c.Index < InputSchema.Count).Concat(mapper.GetDependencies(active.Contains)).DistinctBy(c => c.Index);
        }

        public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns)
        {
            var view = new MappedDataView(new SchemaOnlyDataView(input.Schema), _parent.MakeMapper(input.Schema));
            return view.Map(input, activeColumns);
        }
    }

    /// <summary>A row-less view used to compute output schemas without data.</summary>
    private sealed class SchemaOnlyDataView : IDataView
    {
        public SchemaOnlyDataView(DataViewSchema schema) => Schema = schema;

        public DataViewSchema Schema { get; }

        public bool CanShuffle => false;

        public long? GetRowCount() => 0;

        public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
            throw new InvalidOperationException("This view only describes a schema and has no rows.");

        public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
            throw new InvalidOperationException("This view only describes a schema and has no rows.");
    }
}

/// <summary>Base of transformers that compute one output column from one input column, for each configured pair.</summary>
public abstract class OneToOneTransformerBase : RowToRowTransformerBase
{
    private protected readonly (string outputColumnName, string inputColumnName)[] ColumnPairs;

    private protected OneToOneTransformerBase(IHost host, params (string outputColumnName, string inputColumnName)[] columns)
        : base(host)
    {
        ArgumentNullException.ThrowIfNull(columns);
        foreach (var (output, input) in columns)
        {
            if (string.IsNullOrEmpty(output))
                throw new ArgumentOutOfRangeException(nameof(columns), "The output column name cannot be null or empty.");
            if (string.IsNullOrEmpty(input))
                throw new ArgumentOutOfRangeException(nameof(columns), $"The input column name of output column '{output}' cannot be null or empty.");
        }
        ColumnPairs = columns;
    }

    internal (string outputColumnName, string inputColumnName)[] Pairs => ColumnPairs;

    /// <summary>Writes the column pairs: int32 count, then output and input names as string-table indices.</summary>
    private protected void SaveColumns(ModelSaveContext ctx)
    {
        ctx.Writer.Write(ColumnPairs.Length);
        foreach (var (output, input) in ColumnPairs)
        {
            ctx.SaveNonEmptyString(output);
            ctx.SaveNonEmptyString(input);
        }
    }

    /// <summary>Reads the column pairs written by <see cref="SaveColumns"/>.</summary>
    private protected static (string outputColumnName, string inputColumnName)[] LoadColumns(ModelLoadContext ctx)
    {
        int count = ctx.ReadInt("column count");
        if (count <= 0 || count > 100_000)
            throw ctx.Corrupt($"the column count {count} is invalid.");
        var pairs = new (string, string)[count];
        for (int i = 0; i < count; i++)
            pairs[i] = (ctx.LoadNonEmptyString(), ctx.LoadNonEmptyString());
        return pairs;
    }

    /// <summary>Finds input column <paramref name="name"/> or throws naming it and the expected type.</summary>
    private protected static DataViewSchema.Column FindInput(DataViewSchema schema, string name, string expected) =>
        schema.GetColumnOrNull(name) ?? throw new ArgumentOutOfRangeException("inputSchema", $"Could not find input column '{name}' (expected {expected}).");

    private protected static ArgumentOutOfRangeException SchemaMismatch(string name, string expected, object actual) =>
        new("inputSchema", $"Schema mismatch for input column '{name}': expected {expected}, got {actual}.");

    /// <summary>A mapper whose output <c>i</c> depends only on input column <c>inputs[i]</c>.</summary>
    private protected sealed class PairMapper : ColumnMapper
    {
        private readonly DataViewSchema.DetachedColumn[] _outputs;
        private readonly DataViewSchema.Column[] _inputs;
        private readonly Func<DataViewRow, int, Delegate> _makeGetter;

        public PairMapper(DataViewSchema.DetachedColumn[] outputs, DataViewSchema.Column[] inputs, Func<DataViewRow, int, Delegate> makeGetter)
        {
            _outputs = outputs;
            _inputs = inputs;
            _makeGetter = makeGetter;
        }

        public override DataViewSchema.DetachedColumn[] OutputColumns => _outputs;

        public override IEnumerable<DataViewSchema.Column> GetDependencies(Func<int, bool> isOutputActive) =>
            Enumerable.Range(0, _inputs.Length).Where(isOutputActive).Select(i => _inputs[i]);

        public override Delegate MakeGetter(DataViewRow input, int iinfo) => _makeGetter(input, iinfo);
    }
}
