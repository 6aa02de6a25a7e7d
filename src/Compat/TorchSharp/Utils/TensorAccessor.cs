namespace TorchSharp.Utils;

/// <summary>
/// Read access to a tensor's elements. Unlike upstream, which reads native memory in place, this
/// holds a host copy taken when it was created: later changes to the tensor are not seen.
/// </summary>
public sealed class TensorAccessor<T> : IDisposable, IEnumerable<T> where T : unmanaged
{
    private readonly T[] _values;
    private readonly long[] _shape;

    internal TensorAccessor(T[] values, long[] shape)
    {
        _values = values;
        _shape = shape;
    }

    /// <summary>The number of elements.</summary>
    public long Count => _values.LongLength;

    /// <summary>The elements in row-major order, as a new array.</summary>
    public T[] ToArray() => (T[])_values.Clone();

    /// <summary>The element at the given indices (one per dimension), or at a flat index.</summary>
    public T this[params long[] indices]
    {
        get
        {
            if (indices.Length == 1 && _shape.Length != 1) return _values[indices[0]];
            if (indices.Length != _shape.Length)
                throw new ArgumentException($"Expected {_shape.Length} indices, got {indices.Length}.", nameof(indices));
            long flat = 0;
            for (int d = 0; d < _shape.Length; d++)
            {
                long i = indices[d] < 0 ? indices[d] + _shape[d] : indices[d];
                if (i < 0 || i >= _shape[d]) throw new IndexOutOfRangeException($"Index {indices[d]} is out of range for dimension {d} of size {_shape[d]}.");
                flat = flat * _shape[d] + i;
            }
            return _values[flat];
        }
    }

    /// <summary>Copies the elements into an array.</summary>
    public void CopyTo(T[] array, int arrayIndex = 0, long tensorIndex = 0)
        => Array.Copy(_values, tensorIndex, array, arrayIndex, Math.Min(array.Length - arrayIndex, _values.LongLength - tensorIndex));

    /// <summary>Copies the elements into a span.</summary>
    public void CopyTo(Span<T> array, int arrayIndex = 0, long tensorIndex = 0)
        => _values.AsSpan((int)tensorIndex, Math.Min(array.Length - arrayIndex, _values.Length - (int)tensorIndex)).CopyTo(array[arrayIndex..]);

    /// <inheritdoc />
    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)_values).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Nothing native to release; kept for upstream compatibility.</summary>
    public void Dispose() { }
}
