// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

using System.Collections.Immutable;

namespace Microsoft.ML.Data;

/// <summary>Vectors of a primitive item type, read as <see cref="VBuffer{T}"/>; dimensions are row-major.</summary>
public sealed class VectorDataViewType : StructuredDataViewType
{
    /// <summary>Creates a one-dimensional vector type; <paramref name="size"/> 0 means variable length.</summary>
    public VectorDataViewType(PrimitiveDataViewType itemType, int size = 0)
        : base(MakeRawType(itemType))
    {
        if (size < 0)
            throw new ArgumentOutOfRangeException(nameof(size), "The vector size cannot be negative.");
        ItemType = itemType;
        Size = size;
        Dimensions = ImmutableArray.Create(size);
    }

    /// <summary>Creates a multi-dimensional vector type.</summary>
    public VectorDataViewType(PrimitiveDataViewType itemType, params int[] dimensions)
        : this(itemType, ImmutableArray.Create(dimensions ?? throw new ArgumentNullException(nameof(dimensions))))
    {
    }

    /// <summary>Creates a multi-dimensional vector type.</summary>
    public VectorDataViewType(PrimitiveDataViewType itemType, ImmutableArray<int> dimensions)
        : base(MakeRawType(itemType))
    {
        if (dimensions.IsDefaultOrEmpty)
            throw new ArgumentOutOfRangeException(nameof(dimensions), "A vector type needs at least one dimension.");
        long size = 1;
        foreach (int d in dimensions)
        {
            if (d < 0)
                throw new ArgumentOutOfRangeException(nameof(dimensions), $"Vector dimensions cannot be negative: [{string.Join(", ", dimensions)}].");
            size *= d;
            if (size > int.MaxValue)
                throw new ArgumentOutOfRangeException(nameof(dimensions), $"The vector size {string.Join("x", dimensions)} exceeds int.MaxValue.");
        }
        ItemType = itemType;
        Dimensions = dimensions;
        Size = (int)size;
    }

    /// <summary>The dimensions; a single 0 for a variable-length vector.</summary>
    public ImmutableArray<int> Dimensions { get; }

    /// <summary>Whether the vector has a fixed length.</summary>
    public bool IsKnownSize => Size > 0;

    /// <summary>The item type.</summary>
    public PrimitiveDataViewType ItemType { get; }

    /// <summary>The product of <see cref="Dimensions"/>; 0 for variable length.</summary>
    public int Size { get; }

    /// <inheritdoc/>
    public override bool Equals(DataViewType? other)
    {
        if (other is not VectorDataViewType v || !v.ItemType.Equals(ItemType) || v.Size != Size || v.Dimensions.Length != Dimensions.Length)
            return false;
        for (int i = 0; i < Dimensions.Length; i++)
        {
            if (Dimensions[i] != v.Dimensions[i])
                return false;
        }
        return true;
    }

    /// <inheritdoc/>
    public override bool Equals(object? other) => other is DataViewType t && Equals(t);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(ItemType);
        foreach (int d in Dimensions)
            hash.Add(d);
        return hash.ToHashCode();
    }

    /// <inheritdoc/>
    public override string ToString() =>
        Size == 0 && Dimensions.Length == 1 ? $"Vector<{ItemType}>" : $"Vector<{ItemType}, {string.Join(", ", Dimensions)}>";

    private static Type MakeRawType(PrimitiveDataViewType itemType)
    {
        ArgumentNullException.ThrowIfNull(itemType);
        return typeof(VBuffer<>).MakeGenericType(itemType.RawType);
    }
}
