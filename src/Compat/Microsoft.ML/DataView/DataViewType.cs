// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

namespace Microsoft.ML.Data;

/// <summary>The type of a column: the .NET raw type its getters produce plus the logical meaning.</summary>
public abstract class DataViewType : IEquatable<DataViewType>
{
    private protected DataViewType(Type rawType)
    {
        RawType = rawType ?? throw new ArgumentNullException(nameof(rawType));
    }

    /// <summary>The .NET type read by getters of columns of this type.</summary>
    public Type RawType { get; }

    /// <summary>Whether two types are the same logical type.</summary>
    public abstract bool Equals(DataViewType? other);
}

/// <summary>Base of non-primitive types such as vectors and images.</summary>
public abstract class StructuredDataViewType : DataViewType
{
    /// <summary>Creates a structured type with the given raw type.</summary>
    protected StructuredDataViewType(Type rawType)
        : base(rawType)
    {
    }
}

/// <summary>Base of scalar types.</summary>
public abstract class PrimitiveDataViewType : DataViewType
{
    /// <summary>Creates a primitive type with the given raw type.</summary>
    protected PrimitiveDataViewType(Type rawType)
        : base(rawType)
    {
        if (rawType.IsGenericType && rawType.GetGenericTypeDefinition() == typeof(VBuffer<>))
            throw new ArgumentException("A primitive type cannot have a VBuffer raw type.", nameof(rawType));
    }
}

/// <summary>Text, read as <see cref="ReadOnlyMemory{T}"/> of char.</summary>
public sealed class TextDataViewType : PrimitiveDataViewType
{
    private TextDataViewType()
        : base(typeof(ReadOnlyMemory<char>))
    {
    }

    /// <summary>The single instance.</summary>
    public static TextDataViewType Instance { get; } = new TextDataViewType();

    /// <inheritdoc/>
    public override bool Equals(DataViewType? other) => ReferenceEquals(this, other);

    /// <inheritdoc/>
    public override string ToString() => "String";
}

/// <summary>Numeric scalar types; one singleton per .NET numeric type.</summary>
public sealed class NumberDataViewType : PrimitiveDataViewType
{
    private NumberDataViewType(Type rawType)
        : base(rawType)
    {
    }

    /// <summary>8-bit signed integers.</summary>
    public static NumberDataViewType SByte { get; } = new(typeof(sbyte));

    /// <summary>8-bit unsigned integers.</summary>
    public static NumberDataViewType Byte { get; } = new(typeof(byte));

    /// <summary>16-bit signed integers.</summary>
    public static NumberDataViewType Int16 { get; } = new(typeof(short));

    /// <summary>16-bit unsigned integers.</summary>
    public static NumberDataViewType UInt16 { get; } = new(typeof(ushort));

    /// <summary>32-bit signed integers.</summary>
    public static NumberDataViewType Int32 { get; } = new(typeof(int));

    /// <summary>32-bit unsigned integers.</summary>
    public static NumberDataViewType UInt32 { get; } = new(typeof(uint));

    /// <summary>64-bit signed integers.</summary>
    public static NumberDataViewType Int64 { get; } = new(typeof(long));

    /// <summary>64-bit unsigned integers.</summary>
    public static NumberDataViewType UInt64 { get; } = new(typeof(ulong));

    /// <summary>32-bit floating point.</summary>
    public static NumberDataViewType Single { get; } = new(typeof(float));

    /// <summary>64-bit floating point.</summary>
    public static NumberDataViewType Double { get; } = new(typeof(double));

    /// <inheritdoc/>
    public override bool Equals(DataViewType? other) => ReferenceEquals(this, other);

    /// <inheritdoc/>
    public override string ToString() => RawType.Name;

    internal static NumberDataViewType? FromRawType(Type type) =>
        type == typeof(sbyte) ? SByte : type == typeof(byte) ? Byte : type == typeof(short) ? Int16 :
        type == typeof(ushort) ? UInt16 : type == typeof(int) ? Int32 : type == typeof(uint) ? UInt32 :
        type == typeof(long) ? Int64 : type == typeof(ulong) ? UInt64 : type == typeof(float) ? Single :
        type == typeof(double) ? Double : null;
}

/// <summary>Row identifiers, read as <see cref="DataViewRowId"/>.</summary>
public sealed class RowIdDataViewType : PrimitiveDataViewType
{
    private RowIdDataViewType()
        : base(typeof(DataViewRowId))
    {
    }

    /// <summary>The single instance.</summary>
    public static RowIdDataViewType Instance { get; } = new RowIdDataViewType();

    /// <inheritdoc/>
    public override bool Equals(DataViewType? other) => ReferenceEquals(this, other);

    /// <inheritdoc/>
    public override string ToString() => "DataViewRowId";
}

/// <summary>Booleans.</summary>
public sealed class BooleanDataViewType : PrimitiveDataViewType
{
    private BooleanDataViewType()
        : base(typeof(bool))
    {
    }

    /// <summary>The single instance.</summary>
    public static BooleanDataViewType Instance { get; } = new BooleanDataViewType();

    /// <inheritdoc/>
    public override bool Equals(DataViewType? other) => ReferenceEquals(this, other);

    /// <inheritdoc/>
    public override string ToString() => "Boolean";
}

/// <summary>Dates and times.</summary>
public sealed class DateTimeDataViewType : PrimitiveDataViewType
{
    private DateTimeDataViewType()
        : base(typeof(DateTime))
    {
    }

    /// <summary>The single instance.</summary>
    public static DateTimeDataViewType Instance { get; } = new DateTimeDataViewType();

    /// <inheritdoc/>
    public override bool Equals(DataViewType? other) => ReferenceEquals(this, other);

    /// <inheritdoc/>
    public override string ToString() => "DateTime";
}

/// <summary>Dates and times with an offset.</summary>
public sealed class DateTimeOffsetDataViewType : PrimitiveDataViewType
{
    private DateTimeOffsetDataViewType()
        : base(typeof(DateTimeOffset))
    {
    }

    /// <summary>The single instance.</summary>
    public static DateTimeOffsetDataViewType Instance { get; } = new DateTimeOffsetDataViewType();

    /// <inheritdoc/>
    public override bool Equals(DataViewType? other) => ReferenceEquals(this, other);

    /// <inheritdoc/>
    public override string ToString() => "DateTimeOffset";
}

/// <summary>Time spans.</summary>
public sealed class TimeSpanDataViewType : PrimitiveDataViewType
{
    private TimeSpanDataViewType()
        : base(typeof(TimeSpan))
    {
    }

    /// <summary>The single instance.</summary>
    public static TimeSpanDataViewType Instance { get; } = new TimeSpanDataViewType();

    /// <inheritdoc/>
    public override bool Equals(DataViewType? other) => ReferenceEquals(this, other);

    /// <inheritdoc/>
    public override string ToString() => "TimeSpan";
}

/// <summary>Marks a POCO member whose column type is a custom <see cref="DataViewType"/> registered with <see cref="DataViewTypeManager"/>.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public abstract class DataViewTypeAttribute : Attribute, IEquatable<DataViewTypeAttribute>
{
    /// <summary>Registers the type this attribute stands for with <see cref="DataViewTypeManager"/>.</summary>
    public abstract void Register();

    /// <summary>Whether two attributes describe the same type.</summary>
    public abstract bool Equals(DataViewTypeAttribute? other);
}
