using Microsoft.ML.Data;

namespace Microsoft.ML.Diffusion;

/// <summary>
/// A transformer whose new columns are computed for a batch of rows at a time, each row from its own request (its seed,
/// label or source image read from the input): the diffusion sampler and the VAE. <see cref="BatchedColumnsDataView"/>
/// turns it into a lazy view, <see cref="BatchedColumnsMapper"/> into a row mapper.
/// </summary>
internal interface IBatchedColumns
{
    /// <summary>Rows computed together.</summary>
    int BatchSize { get; }

    /// <summary>The input columns requests read (absent ones are left out); a row's outputs depend on nothing else.</summary>
    IReadOnlyList<DataViewSchema.Column> RequestColumns(DataViewSchema input);

    /// <summary>Reads the request of the row <paramref name="row"/> stands on (its position gives the default seed).</summary>
    Func<object> RequestReader(DataViewRow row, DataViewSchema input);

    /// <summary>The values of a batch: for each slot (what one or more new columns show), its values for every row, row after row.</summary>
    float[][] Compute(IReadOnlyList<object> requests);

    /// <summary>A getter of the new column <paramref name="column"/> over the current row's values of a slot.</summary>
    ValueGetter<TValue> Getter<TValue>(DataViewSchema.Column column, Func<int, ReadOnlyMemory<float>> slot);
}

/// <summary>
/// The input view plus the columns of an <see cref="IBatchedColumns"/>. Cursors compute a batch of rows at a time: a second,
/// look-ahead cursor over the input reads the requests of the rows to come. Rows are never shuffled, since a row's output
/// is tied to its position or seed.
/// </summary>
internal sealed class BatchedColumnsDataView(IBatchedColumns source, IDataView input, DataViewSchema schema) : IDataView
{
    public DataViewSchema Schema { get; } = schema;

    public bool CanShuffle => false;

    public long? GetRowCount() => input.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var needed = columnsNeeded.ToList();
        int inputCount = input.Schema.Count;
        bool compute = needed.Any(c => c.Index >= inputCount);
        var inputColumns = needed.Where(c => c.Index < inputCount).Select(c => input.Schema[c.Index]).ToList();
        var lookahead = compute ? input.GetRowCursor(source.RequestColumns(input.Schema)) : null;
        return new Cursor(source, Schema, input.GetRowCursor(inputColumns), lookahead, needed.Select(c => c.Index).ToHashSet(), inputCount);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
        => [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly IBatchedColumns _source;
        private readonly DataViewRowCursor _input;
        private readonly DataViewRowCursor? _lookahead;
        private readonly Func<object>? _request;
        private readonly HashSet<int> _active;
        private readonly int _inputCount;
        private float[][] _batch = [];
        private long _batchStart;
        private int _batchRows;

        public Cursor(IBatchedColumns source, DataViewSchema schema, DataViewRowCursor input, DataViewRowCursor? lookahead, HashSet<int> active, int inputCount)
        {
            _source = source;
            Schema = schema;
            _input = input;
            _lookahead = lookahead;
            _active = active;
            _inputCount = inputCount;
            if (lookahead is not null) _request = source.RequestReader(lookahead, lookahead.Schema);
        }

        public override DataViewSchema Schema { get; }

        public override long Position => _input.Position;

        public override long Batch => 0;

        public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) => _active.Contains(column.Index);

        public override bool MoveNext()
        {
            if (!_input.MoveNext()) return false;
            if (_lookahead is not null && Position >= _batchStart + _batchRows) NextBatch();
            return true;
        }

        private void NextBatch()
        {
            var requests = new List<object>();
            long first = -1;
            while (requests.Count < _source.BatchSize && _lookahead!.MoveNext())
            {
                if (first < 0) first = _lookahead.Position;
                requests.Add(_request!());
            }
            if (first != Position)
                throw new InvalidOperationException($"The input view returned rows in a different order to two cursors (row {first} vs {Position}); generated columns need a stable row order.");
            _batch = _source.Compute(requests);
            _batchStart = first;
            _batchRows = requests.Count;
        }

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (column.Index < _inputCount) return _input.GetGetter<TValue>(_input.Schema[column.Index]);
            if (!IsColumnActive(column))
                throw new InvalidOperationException($"Column '{column.Name}' is not active in this cursor; request it in GetRowCursor.");
            return _source.Getter<TValue>(column, slot =>
            {
                var values = _batch[slot];
                int size = values.Length / _batchRows;
                return values.AsMemory((int)(Position - _batchStart) * size, size);
            });
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _input.Dispose();
                _lookahead?.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}

/// <summary>Computes the new columns of a single row on demand (used by prediction engines).</summary>
internal sealed class BatchedColumnsMapper(IBatchedColumns source, DataViewSchema inputSchema, DataViewSchema outputSchema) : IRowToRowMapper
{
    public DataViewSchema InputSchema { get; } = inputSchema;

    public DataViewSchema OutputSchema { get; } = outputSchema;

    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns)
    {
        var columns = dependingColumns.Where(c => c.Index < InputSchema.Count).Select(c => InputSchema[c.Index]).ToList();
        if (dependingColumns.Any(c => c.Index >= InputSchema.Count)) columns.AddRange(source.RequestColumns(InputSchema));
        return columns.DistinctBy(c => c.Index);
    }

    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns)
        => new SingleRow(source, OutputSchema, input, activeColumns.Select(c => c.Index).ToHashSet(), InputSchema.Count);

    private sealed class SingleRow(IBatchedColumns source, DataViewSchema schema, DataViewRow input, HashSet<int> active, int inputCount) : DataViewRow
    {
        private long _cachedPosition = -1;
        private float[][] _values = [];
        private Func<object>? _request;

        public override DataViewSchema Schema { get; } = schema;
        public override long Position => input.Position;
        public override long Batch => input.Batch;
        public override ValueGetter<DataViewRowId> GetIdGetter() => input.GetIdGetter();
        public override bool IsColumnActive(DataViewSchema.Column column) => active.Contains(column.Index);

        private float[][] Values()
        {
            if (_cachedPosition == Position && _values.Length > 0) return _values;
            _request ??= source.RequestReader(input, input.Schema);
            _values = source.Compute([_request()]);
            _cachedPosition = Position;
            return _values;
        }

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (column.Index < inputCount) return input.GetGetter<TValue>(input.Schema[column.Index]);
            return source.Getter<TValue>(column, slot => Values()[slot]);
        }
    }
}
