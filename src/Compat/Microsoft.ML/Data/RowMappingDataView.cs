// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

namespace Microsoft.ML.Data;

/// <summary>
/// Not in upstream (whose RowToRowTransformerBase/MapperBase cannot be subclassed outside ML.NET): a lazily computed
/// view that passes the columns of <see cref="Input"/> through and appends new columns. A transformer's
/// <c>Transform</c> returns one of these. An appended column with the name of an input column hides it.
/// </summary>
/// <remarks>
/// <see cref="MakeGetters"/> is called once per cursor, so state captured by the getters (such as a batch of
/// generated images) belongs to that cursor. A getter may be called any number of times per row or not at all; read
/// <see cref="DataViewRow.Position"/> of the input row to tell rows apart and compute lazily.
/// </remarks>
public abstract class RowMappingDataView : IDataView
{
    private readonly DataViewSchema.DetachedColumn[] _added;

    /// <summary>Creates a view over <paramref name="input"/> that appends <paramref name="addedColumns"/>.</summary>
    protected RowMappingDataView(IDataView input, IEnumerable<DataViewSchema.DetachedColumn> addedColumns)
    {
        Input = input ?? throw new ArgumentNullException(nameof(input));
        _added = (addedColumns ?? throw new ArgumentNullException(nameof(addedColumns))).ToArray();
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(input.Schema);
        builder.AddColumns(_added);
        Schema = builder.ToSchema();
    }

    /// <summary>The source view.</summary>
    public IDataView Input { get; }

    /// <summary>The input columns followed by the appended ones.</summary>
    public DataViewSchema Schema { get; }

    /// <summary>The number of appended columns; appended column <c>i</c> is <c>Schema[Input.Schema.Count + i]</c>.</summary>
    protected int AddedColumnCount => _added.Length;

    /// <summary>Shuffling is delegated to the input.</summary>
    public virtual bool CanShuffle => Input.CanShuffle;

    /// <summary>The input's row count: rows map one to one.</summary>
    public virtual long? GetRowCount() => Input.GetRowCount();

    /// <summary>The input columns the active appended columns read; by default none.</summary>
    /// <param name="isAddedColumnActive">Tells, by appended-column index, which appended columns are requested.</param>
    protected virtual IEnumerable<DataViewSchema.Column> GetInputDependencies(Func<int, bool> isAddedColumnActive) =>
        Enumerable.Empty<DataViewSchema.Column>();

    /// <summary>
    /// Creates, for one cursor, a <see cref="ValueGetter{TValue}"/> (of the column type's raw type) for each active
    /// appended column; inactive entries may be null. <paramref name="disposer"/> runs when the cursor is disposed.
    /// </summary>
    protected abstract Delegate?[] MakeGetters(DataViewRow input, Func<int, bool> isAddedColumnActive, out Action? disposer);

    /// <inheritdoc/>
    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var (inputColumns, requestedInput, activeAdded) = Plan(columnsNeeded);
        var inputCursor = Input.GetRowCursor(inputColumns, rand);
        return new Cursor(this, inputCursor, requestedInput, activeAdded, ownsInput: true);
    }

    /// <inheritdoc/>
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        new[] { GetRowCursor(columnsNeeded, rand) };

    /// <summary>Wraps a single input row (used by prediction engines and row-to-row mappers).</summary>
    internal DataViewRow MapRow(DataViewRow input, IEnumerable<DataViewSchema.Column> columnsNeeded)
    {
        var (_, requestedInput, activeAdded) = Plan(columnsNeeded);
        return new Cursor(this, input, requestedInput, activeAdded, ownsInput: false);
    }

    private (List<DataViewSchema.Column> InputColumns, bool[] RequestedInput, bool[] ActiveAdded) Plan(IEnumerable<DataViewSchema.Column> columnsNeeded)
    {
        ArgumentNullException.ThrowIfNull(columnsNeeded);
        int inputCount = Input.Schema.Count;
        var activeInput = new bool[inputCount];
        var activeAdded = new bool[_added.Length];
        foreach (var column in columnsNeeded)
        {
            if ((uint)column.Index >= (uint)Schema.Count || Schema[column.Index].Name != column.Name)
                throw new ArgumentOutOfRangeException(nameof(columnsNeeded), $"Column '{column.Name}' (index {column.Index}) does not belong to this data view's schema.");
            if (column.Index < inputCount)
                activeInput[column.Index] = true;
            else
                activeAdded[column.Index - inputCount] = true;
        }
        // Dependencies are read by the getters but stay inactive for the caller, as the cursor contract requires.
        var requestedInput = (bool[])activeInput.Clone();
        foreach (var dependency in GetInputDependencies(i => activeAdded[i]))
            activeInput[dependency.Index] = true;
        var inputColumns = new List<DataViewSchema.Column>();
        for (int i = 0; i < inputCount; i++)
        {
            if (activeInput[i])
                inputColumns.Add(Input.Schema[i]);
        }
        return (inputColumns, requestedInput, activeAdded);
    }

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly RowMappingDataView _parent;
        private readonly DataViewRow _input;
        private readonly bool[] _activeAdded;
        private readonly bool[] _requestedInput;
        private readonly Delegate?[] _getters;
        private readonly Action? _disposer;
        private readonly bool _ownsInput;
        private bool _disposed;

        public Cursor(RowMappingDataView parent, DataViewRow input, bool[] requestedInput, bool[] activeAdded, bool ownsInput)
        {
            _requestedInput = requestedInput;
            _ownsInput = ownsInput;
            _parent = parent;
            _input = input;
            _activeAdded = activeAdded;
            _getters = parent.MakeGetters(input, i => activeAdded[i], out _disposer);
            if (_getters.Length != activeAdded.Length)
                throw new InvalidOperationException($"{parent.GetType().Name}.MakeGetters returned {_getters.Length} getters for {activeAdded.Length} appended columns.");
        }

        public override long Position => _input.Position;

        public override long Batch => _input.Batch;

        public override DataViewSchema Schema => _parent.Schema;

        public override bool MoveNext() =>
            _input is DataViewRowCursor cursor ? cursor.MoveNext() : throw new InvalidOperationException("This row wraps a single input row and cannot move.");

        public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column)
        {
            CheckColumn(column);
            int inputCount = _parent.Input.Schema.Count;
            return column.Index < inputCount ? _requestedInput[column.Index] : _activeAdded[column.Index - inputCount];
        }

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            CheckColumn(column);
            int inputCount = _parent.Input.Schema.Count;
            if (column.Index < inputCount)
            {
                if (!_requestedInput[column.Index])
                    throw new InvalidOperationException($"Column '{column.Name}' is not active in this cursor; request it in GetRowCursor's columnsNeeded.");
                return _input.GetGetter<TValue>(_parent.Input.Schema[column.Index]);
            }
            int added = column.Index - inputCount;
            if (!_activeAdded[added])
                throw new InvalidOperationException($"Column '{column.Name}' is not active in this cursor; request it in GetRowCursor's columnsNeeded.");
            return _getters[added] switch
            {
                ValueGetter<TValue> getter => getter,
                null => throw new InvalidOperationException($"{_parent.GetType().Name} made no getter for active column '{column.Name}'."),
                var other => throw new InvalidOperationException($"Invalid TValue in GetGetter: column '{column.Name}' has type {column.Type} (raw type {column.Type.RawType.Name}), not {typeof(TValue).Name}."),
            };
        }

        protected override void Dispose(bool disposing)
        {
            if (_disposed)
                return;
            _disposed = true;
            _disposer?.Invoke();
            if (_ownsInput)
                _input.Dispose();
            base.Dispose(disposing);
        }

        private void CheckColumn(DataViewSchema.Column column)
        {
            if ((uint)column.Index >= (uint)_parent.Schema.Count || _parent.Schema[column.Index].Name != column.Name)
                throw new ArgumentOutOfRangeException(nameof(column), $"Column '{column.Name}' (index {column.Index}) does not belong to this row's schema.");
        }
    }
}
