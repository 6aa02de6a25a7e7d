namespace TorchSharp;

public static partial class torch
{
    /// <summary>Element types, numbered as <c>c10::ScalarType</c>.</summary>
    public enum ScalarType : sbyte
    {
        /// <summary>8-bit unsigned integer.</summary>
        Byte = 0,
        /// <summary>8-bit signed integer.</summary>
        Int8 = 1,
        /// <summary>16-bit signed integer.</summary>
        Int16 = 2,
        /// <summary>32-bit signed integer.</summary>
        Int32 = 3,
        /// <summary>64-bit signed integer.</summary>
        Int64 = 4,
        /// <summary>16-bit float.</summary>
        Float16 = 5,
        /// <summary>32-bit float.</summary>
        Float32 = 6,
        /// <summary>64-bit float.</summary>
        Float64 = 7,
        /// <summary>Complex of two 32-bit floats.</summary>
        ComplexFloat32 = 9,
        /// <summary>Complex of two 64-bit floats.</summary>
        ComplexFloat64 = 10,
        /// <summary>Boolean.</summary>
        Bool = 11,
        /// <summary>Brain float 16.</summary>
        BFloat16 = 15,
    }

    /// <summary>Alias of <see cref="ScalarType.Byte"/>.</summary>
    public static readonly ScalarType uint8 = ScalarType.Byte;
    /// <summary>Alias of <see cref="ScalarType.Int8"/>.</summary>
    public static readonly ScalarType int8 = ScalarType.Int8;
    /// <summary>Alias of <see cref="ScalarType.Int16"/>.</summary>
    public static readonly ScalarType int16 = ScalarType.Int16;
    /// <summary>Alias of <see cref="ScalarType.Int32"/>.</summary>
    public static readonly ScalarType int32 = ScalarType.Int32;
    /// <summary>Alias of <see cref="ScalarType.Int64"/>.</summary>
    public static readonly ScalarType int64 = ScalarType.Int64;
    /// <summary>Alias of <see cref="ScalarType.Float16"/>.</summary>
    public static readonly ScalarType float16 = ScalarType.Float16;
    /// <summary>Alias of <see cref="ScalarType.BFloat16"/>.</summary>
    public static readonly ScalarType bfloat16 = ScalarType.BFloat16;
    /// <summary>Alias of <see cref="ScalarType.Float32"/>.</summary>
    public static readonly ScalarType float32 = ScalarType.Float32;
    /// <summary>Alias of <see cref="ScalarType.Float64"/>.</summary>
    public static readonly ScalarType float64 = ScalarType.Float64;
    /// <summary>Alias of <see cref="ScalarType.Bool"/>.</summary>
    public static readonly ScalarType @bool = ScalarType.Bool;
    /// <summary>Alias of <see cref="ScalarType.Int64"/>.</summary>
    public static readonly ScalarType @long = ScalarType.Int64;
    /// <summary>Alias of <see cref="ScalarType.Int32"/>.</summary>
    public static readonly ScalarType @int = ScalarType.Int32;
    /// <summary>Alias of <see cref="ScalarType.Float32"/>.</summary>
    public static readonly ScalarType @float = ScalarType.Float32;
    /// <summary>Alias of <see cref="ScalarType.Float64"/>.</summary>
    public static readonly ScalarType @double = ScalarType.Float64;

    /// <summary>Whether the dtype is a floating-point type.</summary>
    public static bool is_floating_point(ScalarType type) => type.IsFloatingPoint();

    /// <summary>Whether the dtype is an integral type (optionally counting Bool).</summary>
    public static bool is_integral(ScalarType type) => type.IsIntegral();
}

/// <summary>Queries on <see cref="torch.ScalarType"/>.</summary>
internal static class ScalarTypeExtensionMethods
{
    /// <summary>Whether the dtype is a floating-point type.</summary>
    public static bool IsFloatingPoint(this torch.ScalarType type) => type is torch.ScalarType.Float16 or torch.ScalarType.Float32
        or torch.ScalarType.Float64 or torch.ScalarType.BFloat16;

    /// <summary>Whether the dtype is an integral type (Bool excluded).</summary>
    public static bool IsIntegral(this torch.ScalarType type) => type is torch.ScalarType.Byte or torch.ScalarType.Int8
        or torch.ScalarType.Int16 or torch.ScalarType.Int32 or torch.ScalarType.Int64;

    /// <summary>Whether the dtype is a complex type.</summary>
    public static bool IsComplex(this torch.ScalarType type) => type is torch.ScalarType.ComplexFloat32 or torch.ScalarType.ComplexFloat64;

    /// <summary>The size of one element in bytes.</summary>
    public static int ElementSize(this torch.ScalarType type) => type switch
    {
        torch.ScalarType.Byte or torch.ScalarType.Int8 or torch.ScalarType.Bool => 1,
        torch.ScalarType.Int16 or torch.ScalarType.Float16 or torch.ScalarType.BFloat16 => 2,
        torch.ScalarType.Int32 or torch.ScalarType.Float32 => 4,
        torch.ScalarType.Int64 or torch.ScalarType.Float64 or torch.ScalarType.ComplexFloat32 => 8,
        torch.ScalarType.ComplexFloat64 => 16,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown dtype."),
    };
}
