namespace TorchSharp;

/// <summary>
/// A number passed to a tensor operation. Unlike upstream TorchSharp, which wraps a native
/// <c>torch::Scalar*</c> with a finalizer, this is a managed value holder: a scalar argument costs no
/// native allocation.
/// </summary>
public sealed class Scalar : IDisposable
{
    internal readonly ScalarKind Kind;
    internal readonly double DoubleValue;
    internal readonly long LongValue;

    internal enum ScalarKind { Floating = 0, Integral = 1, Boolean = 2 }

    private Scalar(double value) { Kind = ScalarKind.Floating; DoubleValue = value; LongValue = (long)value; }
    private Scalar(long value) { Kind = ScalarKind.Integral; LongValue = value; DoubleValue = value; }
    private Scalar(bool value) { Kind = ScalarKind.Boolean; LongValue = value ? 1 : 0; DoubleValue = LongValue; }

    /// <summary>Converts a byte to a scalar.</summary>
    public static implicit operator Scalar(byte value) => new((long)value);
    /// <summary>Converts a signed byte to a scalar.</summary>
    public static implicit operator Scalar(sbyte value) => new((long)value);
    /// <summary>Converts a short to a scalar.</summary>
    public static implicit operator Scalar(short value) => new((long)value);
    /// <summary>Converts an int to a scalar.</summary>
    public static implicit operator Scalar(int value) => new((long)value);
    /// <summary>Converts a long to a scalar.</summary>
    public static implicit operator Scalar(long value) => new(value);
    /// <summary>Converts a float to a scalar.</summary>
    public static implicit operator Scalar(float value) => new((double)value);
    /// <summary>Converts a double to a scalar.</summary>
    public static implicit operator Scalar(double value) => new(value);
    /// <summary>Converts a bool to a scalar.</summary>
    public static implicit operator Scalar(bool value) => new(value);

    /// <summary>The value as a double.</summary>
    internal double ToDouble() => DoubleValue;
    /// <summary>The value as a long (floating values are truncated).</summary>
    internal long ToInt64() => LongValue;
    /// <summary>The value as a float.</summary>
    internal float ToSingle() => (float)DoubleValue;
    /// <summary>The value as a bool (non-zero is true).</summary>
    internal bool ToBoolean() => LongValue != 0 || DoubleValue != 0;

    /// <summary>Nothing to release: kept for source compatibility with upstream's native scalar.</summary>
    public void Dispose() { }

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        ScalarKind.Floating => DoubleValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ScalarKind.Boolean => (LongValue != 0).ToString(),
        _ => LongValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>Conversions of a <see cref="Scalar"/> to .NET values (extension methods, as upstream declares them).</summary>
public static class ScalarExtensionMethods
{
    /// <summary>The value as a float.</summary>
    public static float ToSingle(this Scalar value) => value.ToSingle();
    /// <summary>The value as a double.</summary>
    public static double ToDouble(this Scalar value) => value.ToDouble();
    /// <summary>The value as a long (floating values are truncated).</summary>
    public static long ToInt64(this Scalar value) => value.ToInt64();
    /// <summary>The value as a bool (non-zero is true).</summary>
    public static bool ToBoolean(this Scalar value) => value.ToBoolean();
}
