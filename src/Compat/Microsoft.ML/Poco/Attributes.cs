// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

namespace Microsoft.ML.Data;

/// <summary>Marks an unsigned integer member as a key column with <c>count</c> values.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class KeyTypeAttribute : Attribute
{
    /// <summary>Not supported, as upstream: the key count must be given.</summary>
    public KeyTypeAttribute()
    {
        throw new NotSupportedException("Using KeyType without the count argument is not supported; use KeyType(count).");
    }

    /// <summary>Declares a key type with <paramref name="count"/> values.</summary>
    public KeyTypeAttribute(ulong count)
    {
        Count = count;
    }

    internal ulong Count { get; }
}

/// <summary>Declares the dimensions of an array or <see cref="VBuffer{T}"/> member.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class VectorTypeAttribute : Attribute
{
    /// <summary>A vector of variable length.</summary>
    public VectorTypeAttribute()
    {
        Dims = Array.Empty<int>();
    }

    /// <summary>A vector of <paramref name="size"/> items.</summary>
    public VectorTypeAttribute(int size)
    {
        Dims = new[] { size };
    }

    /// <summary>A multi-dimensional vector (row-major).</summary>
    public VectorTypeAttribute(params int[] dimensions)
    {
        Dims = dimensions ?? Array.Empty<int>();
    }

    internal int[] Dims { get; }
}

/// <summary>Gives the column name of a member when it differs from the member name.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class ColumnNameAttribute : Attribute
{
    /// <summary>Names the column.</summary>
    public ColumnNameAttribute(string name)
    {
        Name = name;
    }

    internal string Name { get; }
}

/// <summary>Excludes a member from the columns of a POCO.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class NoColumnAttribute : Attribute
{
}
