// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

namespace Microsoft.ML.Data;

/// <summary>A 128-bit row identifier.</summary>
public readonly struct DataViewRowId : IComparable<DataViewRowId>, IEquatable<DataViewRowId>
{
    /// <summary>The low 64 bits.</summary>
    public readonly ulong Low;

    /// <summary>The high 64 bits.</summary>
    public readonly ulong High;

    /// <summary>Creates an identifier from its halves.</summary>
    public DataViewRowId(ulong low, ulong high)
    {
        Low = low;
        High = high;
    }

    /// <inheritdoc/>
    public override string ToString() => $"0x{High:x16}{Low:x16}";

    /// <inheritdoc/>
    public int CompareTo(DataViewRowId other)
    {
        int c = High.CompareTo(other.High);
        return c != 0 ? c : Low.CompareTo(other.Low);
    }

    /// <inheritdoc/>
    public bool Equals(DataViewRowId other) => Low == other.Low && High == other.High;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is DataViewRowId other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Low, High);

    /// <summary>Derives a distinct identifier for a child stream of rows.</summary>
    public DataViewRowId Fork() => Mix(Low ^ 0x9E3779B97F4A7C15UL, High + 1);

    /// <summary>Derives the identifier that follows this one.</summary>
    public DataViewRowId Next() => Mix(Low + 1, High ^ 0xC2B2AE3D27D4EB4FUL);

    /// <summary>Combines two identifiers into one.</summary>
    public DataViewRowId Combine(DataViewRowId other) => Mix(Low ^ (other.Low * 31), High ^ (other.High * 131));

    private static DataViewRowId Mix(ulong low, ulong high)
    {
        // SplitMix64 finaliser: cheap and well distributed, so derived ids do not collide in practice.
        static ulong F(ulong z)
        {
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
        return new DataViewRowId(F(low), F(high ^ low));
    }
}
