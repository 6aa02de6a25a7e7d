// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

using System.Collections;

namespace Microsoft.ML.Data;

/// <summary>
/// A vector that is either dense (<see cref="Length"/> values) or sparse (explicit values at sorted indices, the
/// rest default). The arrays may be longer than needed so that getters can reuse them.
/// </summary>
public readonly struct VBuffer<T> : IEnumerable
{
    private readonly int _count;
    private readonly T[]? _values;
    private readonly int[]? _indices;

    /// <summary>The logical length.</summary>
    public readonly int Length;

    /// <summary>Creates a dense vector over the first <paramref name="length"/> values, or a sparse one when <paramref name="indices"/> is given.</summary>
    public VBuffer(int length, T[] values, int[]? indices = null)
        : this(length, length, values, indices)
    {
    }

    /// <summary>Creates a vector with <paramref name="count"/> explicit values.</summary>
    public VBuffer(int length, int count, T[] values, int[]? indices)
    {
        if (length < 0)
            throw new ArgumentOutOfRangeException(nameof(length), "The length cannot be negative.");
        if (count < 0 || count > length)
            throw new ArgumentOutOfRangeException(nameof(count), $"The count {count} must be in 0..{length}.");
        if (count > 0 && (values is null || values.Length < count))
            throw new ArgumentException($"The values array must hold at least {count} items.", nameof(values));
        if (count < length && count > 0 && (indices is null || indices.Length < count))
            throw new ArgumentException($"A sparse vector needs at least {count} indices.", nameof(indices));
        Length = length;
        _count = count;
        _values = values;
        _indices = indices;
    }

    internal T[]? RawValues => _values;

    internal int[]? RawIndices => _indices;

    /// <summary>The explicit values: all of them when dense.</summary>
    public ReadOnlySpan<T> GetValues() => _values is null ? ReadOnlySpan<T>.Empty : _values.AsSpan(0, _count);

    /// <summary>The indices of the explicit values; empty when dense.</summary>
    public ReadOnlySpan<int> GetIndices() => IsDense || _indices is null ? ReadOnlySpan<int>.Empty : _indices.AsSpan(0, _count);

    /// <summary>Whether every value is explicit.</summary>
    public bool IsDense => _count == Length;

    /// <summary>Copies into a dense vector, reusing <paramref name="destination"/>'s buffer when large enough.</summary>
    public void CopyToDense(ref VBuffer<T> destination)
    {
        var editor = VBufferEditor.Create(ref destination, Length);
        CopyTo(editor.Values);
        destination = editor.Commit();
    }

    /// <summary>Copies, keeping sparsity.</summary>
    public void CopyTo(ref VBuffer<T> destination)
    {
        var editor = VBufferEditor.Create(ref destination, Length, _count, requireIndicesOnDense: false);
        GetValues().CopyTo(editor.Values);
        if (!IsDense)
            GetIndices().CopyTo(editor.Indices);
        destination = editor.Commit();
    }

    /// <summary>Copies the slice [<paramref name="sourceIndex"/>, +<paramref name="length"/>) into a dense vector.</summary>
    public void CopyTo(ref VBuffer<T> destination, int sourceIndex, int length)
    {
        if (sourceIndex < 0 || length < 0 || sourceIndex > Length - length)
            throw new ArgumentOutOfRangeException(nameof(sourceIndex), $"The slice [{sourceIndex}, +{length}) is outside the vector of length {Length}.");
        var editor = VBufferEditor.Create(ref destination, length);
        for (int i = 0; i < length; i++)
            editor.Values[i] = GetItemOrDefault(sourceIndex + i);
        destination = editor.Commit();
    }

    /// <summary>Writes all <see cref="Length"/> values densely into <paramref name="destination"/>.</summary>
    public void CopyTo(Span<T> destination) => CopyTo(destination, 0);

    /// <summary>Writes all values densely into <paramref name="destination"/> at <paramref name="destinationIndex"/>, using <paramref name="defaultValue"/> for implicit ones.</summary>
    public void CopyTo(Span<T> destination, int destinationIndex, T defaultValue = default!)
    {
        if (destinationIndex < 0 || destination.Length - destinationIndex < Length)
            throw new ArgumentOutOfRangeException(nameof(destination), $"The destination needs {Length} items from index {destinationIndex}.");
        var target = destination.Slice(destinationIndex, Length);
        if (IsDense)
        {
            GetValues().CopyTo(target);
            return;
        }
        target.Fill(defaultValue);
        var values = GetValues();
        var indices = GetIndices();
        for (int i = 0; i < values.Length; i++)
            target[indices[i]] = values[i];
    }

    /// <summary>Copies <paramref name="length"/> items of <paramref name="source"/> into a dense vector.</summary>
    public static void Copy(T[] source, int sourceIndex, ref VBuffer<T> destination, int length)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (sourceIndex < 0 || length < 0 || sourceIndex > source.Length - length)
            throw new ArgumentOutOfRangeException(nameof(sourceIndex), "The source range is outside the array.");
        var editor = VBufferEditor.Create(ref destination, length);
        source.AsSpan(sourceIndex, length).CopyTo(editor.Values);
        destination = editor.Commit();
    }

    /// <summary>Index/value pairs: the explicit ones, or all when <paramref name="all"/> is true.</summary>
    public IEnumerable<KeyValuePair<int, T>> Items(bool all = false)
    {
        var copy = this;
        if (all || copy.IsDense)
        {
            for (int i = 0; i < copy.Length; i++)
                yield return new KeyValuePair<int, T>(i, copy.GetItemOrDefault(i));
            yield break;
        }
        for (int i = 0; i < copy._count; i++)
            yield return new KeyValuePair<int, T>(copy._indices![i], copy._values![i]);
    }

    /// <summary>All <see cref="Length"/> values, implicit ones as default.</summary>
    public IEnumerable<T> DenseValues()
    {
        for (int i = 0; i < Length; i++)
            yield return GetItemOrDefault(i);
    }

    /// <summary>Reads the value at <paramref name="index"/>.</summary>
    public void GetItemOrDefault(int index, ref T destination) => destination = GetItemOrDefault(index);

    /// <summary>Reads the value at <paramref name="index"/>.</summary>
    public T GetItemOrDefault(int index)
    {
        if ((uint)index >= (uint)Length)
            throw new ArgumentOutOfRangeException(nameof(index), $"Index {index} is outside the vector of length {Length}.");
        if (IsDense)
            return _values![index];
        int found = _count == 0 ? -1 : Array.BinarySearch(_indices!, 0, _count, index);
        return found >= 0 ? _values![found] : default!;
    }

    /// <inheritdoc/>
    public override string ToString() =>
        IsDense ? $"Dense vector of size {Length}" : $"Sparse vector of size {Length}, {_count} explicit values";

    /// <summary>Enumerates the dense values.</summary>
    public IEnumerator GetEnumerator() => DenseValues().GetEnumerator();
}
