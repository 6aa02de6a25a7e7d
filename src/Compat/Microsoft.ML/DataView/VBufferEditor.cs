// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

namespace Microsoft.ML.Data;

/// <summary>Creates <see cref="VBufferEditor{T}"/>s that fill a <see cref="VBuffer{T}"/> while reusing its arrays.</summary>
public static class VBufferEditor
{
    /// <summary>An editor over the existing values of <paramref name="destination"/>, keeping its length and sparsity.</summary>
    public static VBufferEditor<T> CreateFromBuffer<T>(scoped ref VBuffer<T> destination)
    {
        int count = destination.GetValues().Length;
        return new VBufferEditor<T>(destination.Length, count, destination.RawValues ?? Array.Empty<T>(), destination.RawIndices ?? Array.Empty<int>(), false, false);
    }

    /// <summary>An editor producing a vector of <paramref name="newLogicalLength"/> with <paramref name="valuesCount"/> explicit values (dense when null).</summary>
    public static VBufferEditor<T> Create<T>(
        scoped ref VBuffer<T> destination,
        int newLogicalLength,
        int? valuesCount = null,
        int? maxValuesCapacity = null,
        bool keepOldOnResize = false,
        bool requireIndicesOnDense = false)
    {
        int count = valuesCount ?? newLogicalLength;
        if (newLogicalLength < 0)
            throw new ArgumentOutOfRangeException(nameof(newLogicalLength), "The length cannot be negative.");
        if (count < 0 || count > newLogicalLength)
            throw new ArgumentOutOfRangeException(nameof(valuesCount), $"The values count {count} must be in 0..{newLogicalLength}.");
        var values = destination.RawValues;
        bool newValues = false;
        if (values is null || values.Length < count)
        {
            int capacity = Math.Max(count, maxValuesCapacity ?? count);
            var fresh = new T[capacity];
            if (keepOldOnResize && values is not null)
                values.AsSpan().CopyTo(fresh);
            values = fresh;
            newValues = true;
        }
        var indices = destination.RawIndices;
        bool newIndices = false;
        bool needIndices = count < newLogicalLength || requireIndicesOnDense;
        if (needIndices && (indices is null || indices.Length < count))
        {
            var fresh = new int[Math.Max(count, maxValuesCapacity ?? count)];
            if (keepOldOnResize && indices is not null)
                indices.AsSpan().CopyTo(fresh);
            indices = fresh;
            newIndices = true;
        }
        return new VBufferEditor<T>(newLogicalLength, count, values, indices ?? Array.Empty<int>(), newValues, newIndices);
    }
}

/// <summary>Fills the values (and, for sparse vectors, indices) of a <see cref="VBuffer{T}"/> in place.</summary>
public readonly ref struct VBufferEditor<T>
{
    private readonly int _logicalLength;
    private readonly T[] _values;
    private readonly int[] _indices;

    /// <summary>The values to fill.</summary>
    public readonly Span<T> Values;

    /// <summary>The indices to fill for a sparse vector.</summary>
    public readonly Span<int> Indices;

    /// <summary>Whether a new values array was allocated.</summary>
    public bool CreatedNewValues { get; }

    /// <summary>Whether a new indices array was allocated.</summary>
    public bool CreatedNewIndices { get; }

    internal VBufferEditor(int logicalLength, int physicalCount, T[] values, int[] indices, bool createdNewValues, bool createdNewIndices)
    {
        _logicalLength = logicalLength;
        _values = values;
        _indices = indices;
        Values = values.AsSpan(0, physicalCount);
        Indices = indices.Length >= physicalCount ? indices.AsSpan(0, physicalCount) : Span<int>.Empty;
        CreatedNewValues = createdNewValues;
        CreatedNewIndices = createdNewIndices;
    }

    /// <summary>Produces the edited vector.</summary>
    public VBuffer<T> Commit() => new(_logicalLength, Values.Length, _values, _indices.Length == 0 ? null : _indices);

    /// <summary>Produces the edited vector with only the first <paramref name="physicalValuesCount"/> explicit values.</summary>
    public VBuffer<T> CommitTruncated(int physicalValuesCount)
    {
        if (physicalValuesCount < 0 || physicalValuesCount > Values.Length)
            throw new ArgumentOutOfRangeException(nameof(physicalValuesCount), $"The count must be in 0..{Values.Length}.");
        return new VBuffer<T>(_logicalLength, physicalValuesCount, _values, _indices.Length == 0 ? null : _indices);
    }
}
