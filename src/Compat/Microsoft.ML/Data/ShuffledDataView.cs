// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

using System.Reflection;

namespace Microsoft.ML.Data;

/// <summary>
/// ShuffleRows: reads the source (shuffled itself when it can and <c>shuffleSource</c> is set) through a pool of
/// buffered rows and emits a random pool row each step, so sources that cannot shuffle still come out mixed.
/// </summary>
internal sealed class ShuffledDataView : IDataView
{
    private readonly IDataView _source;
    private readonly int _seed;
    private readonly int _poolSize;
    private readonly bool _shuffleSource;

    public ShuffledDataView(IDataView source, int seed, int poolSize, bool shuffleSource)
    {
        _source = source;
        _seed = seed;
        _poolSize = poolSize;
        _shuffleSource = shuffleSource;
    }

    public DataViewSchema Schema => _source.Schema;

    public bool CanShuffle => true;

    public long? GetRowCount() => _source.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        // Without a caller's generator the view is still shuffled, deterministically from its seed.
        var random = rand ?? new Random(_seed);
        var columns = columnsNeeded.ToArray();
        var source = _source.GetRowCursor(columns, _shuffleSource && _source.CanShuffle ? new Random(random.Next()) : null);
        return new Cursor(source, columns, _poolSize, random);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        new[] { GetRowCursor(columnsNeeded, rand) };

    private abstract class Slots
    {
        public abstract void Fill(int slot);

        public abstract void Move(int from, int to);

        public abstract Delegate Getter(Func<int> current);
    }

    private sealed class Slots<T> : Slots
    {
        private readonly ValueGetter<T> _source;
        private readonly T[] _values;
        private readonly bool _isVector = typeof(T).IsGenericType && typeof(T).GetGenericTypeDefinition() == typeof(VBuffer<>);

        public Slots(DataViewRow row, DataViewSchema.Column column, int size)
        {
            _source = row.GetGetter<T>(column);
            _values = new T[size];
        }

        public override void Fill(int slot) => _source(ref _values[slot]);

        // Vectors are swapped rather than copied so each slot keeps owning its own buffers.
        public override void Move(int from, int to)
        {
            if (_isVector)
                (_values[to], _values[from]) = (_values[from], _values[to]);
            else
                _values[to] = _values[from];
        }

        public override Delegate Getter(Func<int> current) => (ValueGetter<T>)((ref T value) => s_copy(_values[current()], ref value));

        internal delegate void Copier(T source, ref T destination);

        // Vectors are deep-copied into the caller's buffer: the slot's buffer is reused for later rows.
        private static readonly Copier s_copy = typeof(T).IsGenericType && typeof(T).GetGenericTypeDefinition() == typeof(VBuffer<>)
            ? (Copier)typeof(ShuffledDataView).GetMethod(nameof(VectorCopier), BindingFlags.NonPublic | BindingFlags.Static)!
                .MakeGenericMethod(typeof(T).GetGenericArguments()[0]).Invoke(null, null)!
            : (T source, ref T destination) => destination = source;
    }

    private static Delegate VectorCopier<TItem>() =>
        new Slots<VBuffer<TItem>>.Copier((VBuffer<TItem> source, ref VBuffer<TItem> destination) => source.CopyTo(ref destination));

    private sealed class Cursor : ForwardingCursor
    {
        private readonly Slots?[] _slots;
        private readonly Delegate?[] _getters;
        private readonly int _poolSize;
        private readonly Random _random;
        private int _count;
        private bool _sourceDone;

        public Cursor(DataViewRowCursor source, DataViewSchema.Column[] columns, int poolSize, Random random)
            : base(source)
        {
            // One extra slot holds the row being emitted, so its values stay valid until the next MoveNext.
            _poolSize = poolSize + 1;
            _random = random;
            _slots = new Slots?[source.Schema.Count];
            _getters = new Delegate?[source.Schema.Count];
            foreach (var column in columns)
            {
                var slots = (Slots)Activator.CreateInstance(typeof(Slots<>).MakeGenericType(column.Type.RawType), source, column, _poolSize)!;
                _slots[column.Index] = slots;
                _getters[column.Index] = slots.Getter(() =>
                {
                    CheckOnRow();
                    return _poolSize - 1;
                });
            }
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() => IdGetter();

        private ValueGetter<DataViewRowId> IdGetter() => (ref DataViewRowId value) =>
        {
            CheckOnRow();
            value = new DataViewRowId((ulong)Position, 1);
        };

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            CheckColumn(column);
            return _getters[column.Index] as ValueGetter<TValue> ?? (_getters[column.Index] is null ? throw Inactive(column) : throw WrongType<TValue>(column));
        }

        protected override bool MoveNextCore()
        {
            int pool = _poolSize - 1;
            while (!_sourceDone && _count < pool)
            {
                if (!Source.MoveNext())
                {
                    _sourceDone = true;
                    break;
                }
                foreach (var s in _slots)
                    s?.Fill(_count);
                _count++;
            }
            if (_count == 0)
                return false;
            int pick = _random.Next(_count);
            foreach (var s in _slots)
            {
                if (s is null)
                    continue;
                s.Move(pick, pool);
                s.Move(_count - 1, pick);
            }
            _count--;
            return true;
        }
    }
}
