// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

namespace Microsoft.ML.Data;

/// <summary>
/// A lazy view over a sequence of POCOs: every cursor re-enumerates the sequence. Lists can be shuffled (upstream's
/// streaming view never shuffles; random access makes it cheap here, and shuffling is only used when asked for).
/// </summary>
internal sealed class EnumerableDataView<TRow> : IDataView
    where TRow : class
{
    private readonly IEnumerable<TRow> _data;
    private readonly PocoMapping.Member[] _members;

    public EnumerableDataView(IEnumerable<TRow> data, SchemaDefinition definition)
    {
        _data = data;
        _members = PocoMapping.Resolve(typeof(TRow), definition);
        Schema = PocoMapping.ToSchema(_members);
    }

    public DataViewSchema Schema { get; }

    public bool CanShuffle => _data is IList<TRow>;

    public long? GetRowCount() => _data is ICollection<TRow> collection ? collection.Count : _data is IReadOnlyCollection<TRow> ro ? ro.Count : null;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        ArgumentNullException.ThrowIfNull(columnsNeeded);
        var active = new bool[Schema.Count];
        foreach (var column in columnsNeeded)
        {
            if ((uint)column.Index >= (uint)Schema.Count || Schema[column.Index].Name != column.Name)
                throw new ArgumentOutOfRangeException(nameof(columnsNeeded), $"Column '{column.Name}' (index {column.Index}) does not belong to this data view's schema.");
            active[column.Index] = true;
        }
        return new Cursor(this, active, rand is not null && _data is IList<TRow> ? rand : null);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        new[] { GetRowCursor(columnsNeeded, rand) };

    private sealed class Cursor : CursorBase
    {
        private readonly EnumerableDataView<TRow> _parent;
        private readonly bool[] _active;
        private readonly Delegate?[] _getters;
        private readonly IEnumerator<TRow>? _enumerator;
        private readonly IList<TRow>? _list;
        private readonly int[]? _order;
        private int _index = -1;
        private TRow? _current;

        public Cursor(EnumerableDataView<TRow> parent, bool[] active, Random? rand)
        {
            _parent = parent;
            _active = active;
            if (rand is not null)
            {
                _list = (IList<TRow>)parent._data;
                _order = Enumerable.Range(0, _list.Count).ToArray();
                rand.Shuffle(_order);
            }
            else
            {
                _enumerator = parent._data.GetEnumerator();
            }
            _getters = new Delegate?[active.Length];
            for (int i = 0; i < active.Length; i++)
            {
                if (active[i])
                    _getters[i] = PocoMapping.MakeGetter<TRow>(parent._members[i], CurrentRow);
            }
        }

        public override DataViewSchema Schema => _parent.Schema;

        private TRow? CurrentRow()
        {
            CheckOnRow();
            return _current;
        }

        protected override bool MoveNextCore()
        {
            if (_order is not null)
            {
                if (++_index >= _order.Length)
                    return false;
                _current = _list![_order[_index]];
                return true;
            }
            if (!_enumerator!.MoveNext())
                return false;
            _current = _enumerator.Current;
            return true;
        }

        public override bool IsColumnActive(DataViewSchema.Column column)
        {
            CheckColumn(column);
            return _active[column.Index];
        }

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            CheckColumn(column);
            if (!_active[column.Index])
                throw Inactive(column);
            return _getters[column.Index] as ValueGetter<TValue> ?? throw WrongType<TValue>(column);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                _enumerator?.Dispose();
            base.Dispose(disposing);
        }
    }
}
