using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace Microsoft.ML.Diffusion;

/// <summary>An in-memory view over decoded Fashion-MNIST arrays; images are made lazily per row.</summary>
internal sealed class FashionMnistDataView : IDataView
{
    private const int Pixels = FashionMnist.ImageSize * FashionMnist.ImageSize;
    private readonly byte[] _pixels;
    private readonly byte[] _labels;
    private readonly FashionMnistImageKind _kind;

    public FashionMnistDataView(byte[] pixels, byte[] labels, FashionMnistImageKind kind, string imageColumnName, string labelColumnName)
    {
        _pixels = pixels;
        _labels = labels;
        _kind = kind;
        var builder = new DataViewSchema.Builder();
        builder.AddColumn(labelColumnName, NumberDataViewType.UInt32);
        builder.AddColumn(imageColumnName, kind == FashionMnistImageKind.Image
            ? new ImageDataViewType(FashionMnist.ImageSize, FashionMnist.ImageSize)
            : new VectorDataViewType(NumberDataViewType.Single, 1, FashionMnist.ImageSize, FashionMnist.ImageSize));
        Schema = builder.ToSchema();
    }

    public DataViewSchema Schema { get; }

    public bool CanShuffle => true;

    public long? GetRowCount() => _labels.Length;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var active = new bool[Schema.Count];
        foreach (var column in columnsNeeded)
        {
            if ((uint)column.Index >= (uint)Schema.Count || Schema[column.Index].Name != column.Name)
                throw new ArgumentOutOfRangeException(nameof(columnsNeeded), $"Column '{column.Name}' does not belong to this data view.");
            active[column.Index] = true;
        }
        int[]? order = null;
        if (rand is not null)
        {
            order = Enumerable.Range(0, _labels.Length).ToArray();
            rand.Shuffle(order);
        }
        return new Cursor(this, active, order);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        new[] { GetRowCursor(columnsNeeded, rand) };

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly FashionMnistDataView _parent;
        private readonly bool[] _active;
        private readonly int[]? _order;
        private long _position = -1;
        private bool _ended;

        public Cursor(FashionMnistDataView parent, bool[] active, int[]? order)
        {
            _parent = parent;
            _active = active;
            _order = order;
        }

        public override long Position => _position;

        public override long Batch => 0;

        public override DataViewSchema Schema => _parent.Schema;

        private int Row
        {
            get
            {
                if (_position < 0)
                    throw new InvalidOperationException(_ended ? "The cursor has moved past the last row." : "Call MoveNext before reading values.");
                return _order is null ? (int)_position : _order[_position];
            }
        }

        public override bool MoveNext()
        {
            if (_ended)
                return false;
            if (_position + 1 < _parent._labels.Length)
            {
                _position++;
                return true;
            }
            _ended = true;
            _position = -1;
            return false;
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = new DataViewRowId((ulong)Row, 0);

        public override bool IsColumnActive(DataViewSchema.Column column) => _active[Check(column)];

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            int index = Check(column);
            if (!_active[index])
                throw new InvalidOperationException($"Column '{column.Name}' is not active in this cursor.");
            Delegate getter = index == 0
                ? (ValueGetter<uint>)((ref uint label) => label = _parent._labels[Row])
                : _parent._kind == FashionMnistImageKind.Image
                    ? (ValueGetter<MLImage>)((ref MLImage image) => image = GrayImage.Create(FashionMnist.ImageSize, FashionMnist.ImageSize, _parent._pixels.AsSpan(Row * Pixels, Pixels)))
                    : (ValueGetter<VBuffer<float>>)((ref VBuffer<float> vector) =>
                    {
                        var editor = VBufferEditor.Create(ref vector, Pixels);
                        var source = _parent._pixels.AsSpan(Row * Pixels, Pixels);
                        for (int i = 0; i < Pixels; i++)
                            editor.Values[i] = source[i];
                        vector = editor.Commit();
                    });
            return getter as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"Column '{column.Name}' has type {column.Type}, not {typeof(TValue).Name}.");
        }

        private int Check(DataViewSchema.Column column) =>
            (uint)column.Index < (uint)_parent.Schema.Count && _parent.Schema[column.Index].Name == column.Name
                ? column.Index
                : throw new ArgumentOutOfRangeException(nameof(column), $"Column '{column.Name}' does not belong to this cursor's schema.");
    }
}
