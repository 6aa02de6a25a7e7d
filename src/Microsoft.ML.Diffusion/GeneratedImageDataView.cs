using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Diffusion;

public sealed partial class DiffusionSamplerTransformer
{
    /// <summary>
    /// The input view plus generated columns. Cursors generate a batch of rows at a time: a second,
    /// look-ahead cursor over the input reads the seeds of the rows to come. Rows are never shuffled,
    /// since a row's image is tied to its position or seed.
    /// </summary>
    private sealed class GeneratedImageDataView : IDataView
    {
        private readonly DiffusionSamplerTransformer _parent;
        private readonly IDataView _input;

        public GeneratedImageDataView(DiffusionSamplerTransformer parent, IDataView input, DataViewSchema schema)
        {
            _parent = parent;
            _input = input;
            Schema = schema;
        }

        public DataViewSchema Schema { get; }

        public bool CanShuffle => false;

        public long? GetRowCount() => _input.GetRowCount();

        public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
        {
            var needed = columnsNeeded.ToList();
            int inputCount = _input.Schema.Count;
            bool generate = needed.Any(c => c.Index >= inputCount);
            var inputColumns = needed.Where(c => c.Index < inputCount).Select(c => _input.Schema[c.Index]).ToList();
            var seedColumn = _parent.SeedColumn(_input.Schema);
            var labelColumn = _parent.LabelColumn(_input.Schema);
            var lookaheadColumns = new[] { seedColumn, labelColumn }.OfType<DataViewSchema.Column>().ToList();
            var lookahead = generate ? _input.GetRowCursor(lookaheadColumns) : null;
            return new Cursor(_parent, Schema, _input.GetRowCursor(inputColumns), lookahead, seedColumn, labelColumn, needed.Select(c => c.Index).ToHashSet(), inputCount);
        }

        public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
            => [GetRowCursor(columnsNeeded, rand)];
    }

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly DiffusionSamplerTransformer _parent;
        private readonly DataViewRowCursor _input;
        private readonly DataViewRowCursor? _lookahead;
        private readonly ValueGetter<long>? _seedGetter;
        private readonly ValueGetter<long>? _labelGetter;
        private readonly HashSet<int> _active;
        private readonly int _inputCount;
        private float[] _batch = [];
        private long _batchStart;
        private int _batchRows;

        public Cursor(DiffusionSamplerTransformer parent, DataViewSchema schema, DataViewRowCursor input, DataViewRowCursor? lookahead,
            DataViewSchema.Column? seedColumn, DataViewSchema.Column? labelColumn, HashSet<int> active, int inputCount)
        {
            _parent = parent;
            Schema = schema;
            _input = input;
            _lookahead = lookahead;
            _active = active;
            _inputCount = inputCount;
            if (lookahead is not null && seedColumn is { } s) _seedGetter = SeedGetter(lookahead, s);
            if (lookahead is not null && labelColumn is { } l) _labelGetter = parent.LabelGetter(lookahead, l);
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
            var seeds = new List<long>();
            var labels = new List<long>();
            long first = -1;
            while (seeds.Count < _parent._sampler.BatchSize && _lookahead!.MoveNext())
            {
                if (first < 0) first = _lookahead.Position;
                long seed = 0;
                if (_seedGetter is not null) _seedGetter(ref seed);
                else seed = _parent.Settings.Seed + _lookahead.Position;
                seeds.Add(seed);
                long label = 0;
                _labelGetter?.Invoke(ref label);
                labels.Add(label);
            }
            if (first != Position)
                throw new InvalidOperationException($"The input view returned rows in a different order to two cursors (row {first} vs {Position}); generated images need a stable row order.");
            _batch = _parent.GenerateBatch(seeds.ToArray(), labels.ToArray());
            _batchStart = first;
            _batchRows = seeds.Count;
        }

        private ReadOnlySpan<float> Current()
        {
            int size = _batch.Length / _batchRows;
            return _batch.AsSpan((int)(Position - _batchStart) * size, size);
        }

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (column.Index < _inputCount) return _input.GetGetter<TValue>(_input.Schema[column.Index]);
            if (!IsColumnActive(column))
                throw new InvalidOperationException($"Column '{column.Name}' is not active in this cursor; request it in GetRowCursor.");
            if (column.Name == _parent.Settings.OutputColumnName && column.Index == _inputCount)
            {
                if (typeof(TValue) != typeof(MLImage))
                    throw new InvalidOperationException($"Column '{column.Name}' holds MLImage values, not {typeof(TValue).Name}.");
                ValueGetter<MLImage> image = (ref MLImage value) => value = _parent.ToImage(Current());
                return (ValueGetter<TValue>)(Delegate)image;
            }
            if (typeof(TValue) != typeof(VBuffer<float>))
                throw new InvalidOperationException($"Column '{column.Name}' holds VBuffer<Single> values, not {typeof(TValue).Name}.");
            ValueGetter<VBuffer<float>> vector = (ref VBuffer<float> value) => value = new VBuffer<float>(Current().Length, _parent.ToOutputVector(Current()));
            return (ValueGetter<TValue>)(Delegate)vector;
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

    /// <summary>A getter of a request row's class-embedding index (0 = no class).</summary>
    internal ValueGetter<long> LabelGetter(DataViewRow row, DataViewSchema.Column column) =>
        ClassLabels.Getter(row, column, ClassCount, Settings.LabelNames);

    /// <summary>A getter of the seed column, widened to long.</summary>
    internal static ValueGetter<long> SeedGetter(DataViewRow row, DataViewSchema.Column column)
    {
        if (column.Type == NumberDataViewType.Int64) return row.GetGetter<long>(column);
        if (column.Type == NumberDataViewType.Int32)
        {
            var g = row.GetGetter<int>(column);
            int v = 0;
            return (ref long value) => { g(ref v); value = v; };
        }
        var u = row.GetGetter<uint>(column);
        uint w = 0;
        return (ref long value) => { u(ref w); value = w; };
    }

    /// <summary>Generates the image of a single row on demand (used by prediction engines).</summary>
    private sealed class RowMapper : IRowToRowMapper
    {
        private readonly DiffusionSamplerTransformer _parent;

        public RowMapper(DiffusionSamplerTransformer parent, DataViewSchema inputSchema, DataViewSchema outputSchema)
        {
            _parent = parent;
            InputSchema = inputSchema;
            OutputSchema = outputSchema;
        }

        public DataViewSchema InputSchema { get; }

        public DataViewSchema OutputSchema { get; }

        public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns)
        {
            var columns = dependingColumns.Where(c => c.Index < InputSchema.Count).Select(c => InputSchema[c.Index]).ToList();
            if (dependingColumns.Any(c => c.Index >= InputSchema.Count) && _parent.SeedColumn(InputSchema) is { } seed) columns.Add(seed);
            if (dependingColumns.Any(c => c.Index >= InputSchema.Count) && _parent.LabelColumn(InputSchema) is { } label) columns.Add(label);
            return columns.DistinctBy(c => c.Index);
        }

        public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns)
            => new SingleRow(_parent, OutputSchema, input, activeColumns.Select(c => c.Index).ToHashSet(), InputSchema.Count);
    }

    private sealed class SingleRow : DataViewRow
    {
        private readonly DiffusionSamplerTransformer _parent;
        private readonly DataViewRow _input;
        private readonly HashSet<int> _active;
        private readonly int _inputCount;
        private long _cachedPosition = -1;
        private float[] _pixels = [];

        public SingleRow(DiffusionSamplerTransformer parent, DataViewSchema schema, DataViewRow input, HashSet<int> active, int inputCount)
        {
            _parent = parent;
            Schema = schema;
            _input = input;
            _active = active;
            _inputCount = inputCount;
        }

        public override DataViewSchema Schema { get; }
        public override long Position => _input.Position;
        public override long Batch => _input.Batch;
        public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();
        public override bool IsColumnActive(DataViewSchema.Column column) => _active.Contains(column.Index);

        private float[] Pixels()
        {
            if (_cachedPosition == Position && _pixels.Length > 0) return _pixels;
            long seed = _parent.Settings.Seed + Position;
            if (_parent.SeedColumn(_input.Schema) is { } s) SeedGetter(_input, s)(ref seed);
            long label = 0;
            if (_parent.LabelColumn(_input.Schema) is { } l) _parent.LabelGetter(_input, l)(ref label);
            _pixels = _parent.GenerateBatch([seed], [label]);
            _cachedPosition = Position;
            return _pixels;
        }

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (column.Index < _inputCount) return _input.GetGetter<TValue>(_input.Schema[column.Index]);
            if (column.Index == _inputCount && typeof(TValue) == typeof(MLImage))
            {
                ValueGetter<MLImage> image = (ref MLImage value) => value = _parent.ToImage(Pixels());
                return (ValueGetter<TValue>)(Delegate)image;
            }
            if (column.Index > _inputCount && typeof(TValue) == typeof(VBuffer<float>))
            {
                ValueGetter<VBuffer<float>> vector = (ref VBuffer<float> value) => value = new VBuffer<float>(Pixels().Length, _parent.ToOutputVector(Pixels()));
                return (ValueGetter<TValue>)(Delegate)vector;
            }
            throw new InvalidOperationException($"Column '{column.Name}' cannot be read as {typeof(TValue).Name}.");
        }
    }
}
