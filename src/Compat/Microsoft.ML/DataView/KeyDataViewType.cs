// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

namespace Microsoft.ML.Data;

/// <summary>Categorical keys: 1-based unsigned integers where 0 means missing.</summary>
public sealed class KeyDataViewType : PrimitiveDataViewType
{
    /// <summary>Creates a key type of raw type <paramref name="type"/> with <paramref name="count"/> values.</summary>
    public KeyDataViewType(Type type, ulong count)
        : base(type)
    {
        if (!IsValidDataType(type))
            throw new ArgumentException($"Type '{type}' cannot be a key type; use byte, ushort, uint or ulong.", nameof(type));
        if (count == 0 || count > MaxOf(type))
            throw new ArgumentOutOfRangeException(nameof(count), $"The key count {count} must be in 1..{MaxOf(type)} for raw type {type.Name}.");
        Count = count;
    }

    /// <summary>Creates a key type of raw type <paramref name="type"/> with <paramref name="count"/> values.</summary>
    public KeyDataViewType(Type type, int count)
        : this(type, count > 0 ? (ulong)count : throw new ArgumentOutOfRangeException(nameof(count), "The key count must be positive."))
    {
    }

    /// <summary>Whether <paramref name="type"/> can be the raw type of a key.</summary>
    public static bool IsValidDataType(Type type) =>
        type == typeof(byte) || type == typeof(ushort) || type == typeof(uint) || type == typeof(ulong);

    /// <summary>The number of distinct keys.</summary>
    public ulong Count { get; }

    /// <inheritdoc/>
    public override bool Equals(DataViewType? other) => other is KeyDataViewType k && k.RawType == RawType && k.Count == Count;

    /// <inheritdoc/>
    public override bool Equals(object? other) => other is DataViewType t && Equals(t);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(RawType, Count);

    /// <inheritdoc/>
    public override string ToString() => $"Key<{RawType.Name}, 0-{Count - 1}>";

    private static ulong MaxOf(Type type) =>
        type == typeof(byte) ? byte.MaxValue : type == typeof(ushort) ? ushort.MaxValue : type == typeof(uint) ? uint.MaxValue : ulong.MaxValue;
}
