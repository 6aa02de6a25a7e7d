using TorchSharp.PInvoke;

namespace TorchSharp;

// torch.tensor(...) copies a host array into a new tensor.
public static partial class torch
{
    private static unsafe Tensor FromArray<T>(ReadOnlySpan<T> data, ReadOnlySpan<long> shape, ScalarType natural, ScalarType? dtype, Device? device, bool requires_grad)
        where T : unmanaged
    {
        CheckDevice(device);
        long count = 1;
        foreach (var s in shape)
        {
            if (s < 0) throw new ArgumentException($"Tensor sizes must be non-negative, got [{string.Join(", ", shape.ToArray())}].", nameof(shape));
            count *= s;
        }
        if (count != data.Length)
            throw new ArgumentException($"The shape [{string.Join(", ", shape.ToArray())}] holds {count} elements but the array has {data.Length}.", nameof(shape));
        Tensor t;
        fixed (T* p = data) fixed (long* s = shape)
            t = new Tensor(Check(NativeMethods.ts_tensor_from_buffer(p, s, shape.Length, (int)natural, 0)));
        if (dtype is not null && dtype.Value != natural)
        {
            var converted = t.to(dtype.Value);
            t.Dispose();
            t = converted;
        }
        if (requires_grad) t.requires_grad = true;
        return t;
    }

    /// <summary>A 1-D Float32 tensor copied from the array.</summary>
    public static Tensor tensor(float[] rawArray, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, string[]? names = null)
        => FromArray<float>(rawArray, [rawArray.LongLength], ScalarType.Float32, dtype, device, requires_grad);
    /// <summary>A Float32 tensor of the given shape copied from the array.</summary>
    public static Tensor tensor(float[] rawArray, ReadOnlySpan<long> dimensions, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, string[]? names = null)
        => FromArray<float>(rawArray, dimensions, ScalarType.Float32, dtype, device, requires_grad);
    /// <summary>A Float32 tensor of the given shape copied from memory.</summary>
    public static Tensor tensor(Memory<float> rawArray, ReadOnlySpan<long> dimensions, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, string[]? names = null)
        => FromArray<float>(rawArray.Span, dimensions, ScalarType.Float32, dtype, device, requires_grad);
    /// <summary>A 2-D Float32 tensor copied from the array.</summary>
    public static Tensor tensor(float[,] rawArray, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, string[]? names = null)
        => FromArray<float>(System.Runtime.InteropServices.MemoryMarshal.CreateReadOnlySpan(ref rawArray[0, 0], rawArray.Length),
            [rawArray.GetLongLength(0), rawArray.GetLongLength(1)], ScalarType.Float32, dtype, device, requires_grad);

    /// <summary>A 1-D Float64 tensor copied from the array.</summary>
    public static Tensor tensor(double[] rawArray, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, string[]? names = null)
        => FromArray<double>(rawArray, [rawArray.LongLength], ScalarType.Float64, dtype, device, requires_grad);
    /// <summary>A Float64 tensor of the given shape copied from the array.</summary>
    public static Tensor tensor(double[] rawArray, ReadOnlySpan<long> dimensions, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, string[]? names = null)
        => FromArray<double>(rawArray, dimensions, ScalarType.Float64, dtype, device, requires_grad);
    /// <summary>A 2-D Float64 tensor copied from the array.</summary>
    public static Tensor tensor(double[,] rawArray, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, string[]? names = null)
        => FromArray<double>(System.Runtime.InteropServices.MemoryMarshal.CreateReadOnlySpan(ref rawArray[0, 0], rawArray.Length),
            [rawArray.GetLongLength(0), rawArray.GetLongLength(1)], ScalarType.Float64, dtype, device, requires_grad);

    /// <summary>A 1-D Int64 tensor copied from the array.</summary>
    public static Tensor tensor(long[] rawArray, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, string[]? names = null)
        => FromArray<long>(rawArray, [rawArray.LongLength], ScalarType.Int64, dtype, device, requires_grad);
    /// <summary>An Int64 tensor of the given shape copied from the array.</summary>
    public static Tensor tensor(long[] rawArray, ReadOnlySpan<long> dimensions, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, string[]? names = null)
        => FromArray<long>(rawArray, dimensions, ScalarType.Int64, dtype, device, requires_grad);

    /// <summary>A 1-D Int32 tensor copied from the array.</summary>
    public static Tensor tensor(int[] rawArray, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, string[]? names = null)
        => FromArray<int>(rawArray, [rawArray.LongLength], ScalarType.Int32, dtype, device, requires_grad);
    /// <summary>An Int32 tensor of the given shape copied from the array.</summary>
    public static Tensor tensor(int[] rawArray, ReadOnlySpan<long> dimensions, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, string[]? names = null)
        => FromArray<int>(rawArray, dimensions, ScalarType.Int32, dtype, device, requires_grad);

    /// <summary>A 1-D Byte tensor copied from the array.</summary>
    public static Tensor tensor(byte[] rawArray, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, string[]? names = null)
        => FromArray<byte>(rawArray, [rawArray.LongLength], ScalarType.Byte, dtype, device, requires_grad);
    /// <summary>A Byte tensor of the given shape copied from the array.</summary>
    public static Tensor tensor(byte[] rawArray, ReadOnlySpan<long> dimensions, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, string[]? names = null)
        => FromArray<byte>(rawArray, dimensions, ScalarType.Byte, dtype, device, requires_grad);

    /// <summary>A 1-D Bool tensor copied from the array.</summary>
    public static Tensor tensor(bool[] rawArray, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, string[]? names = null)
        => FromArray<bool>(rawArray, [rawArray.LongLength], ScalarType.Bool, dtype, device, requires_grad);
    /// <summary>A Bool tensor of the given shape copied from the array.</summary>
    public static Tensor tensor(bool[] rawArray, ReadOnlySpan<long> dimensions, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, string[]? names = null)
        => FromArray<bool>(rawArray, dimensions, ScalarType.Bool, dtype, device, requires_grad);

    /// <summary>A 0-D Float32 tensor.</summary>
    public static Tensor tensor(float scalar, Device? device = null, bool requires_grad = false)
        => FromArray<float>([scalar], [], ScalarType.Float32, null, device, requires_grad);
    /// <summary>A 0-D tensor of a double (Float64 unless dtype says otherwise).</summary>
    public static Tensor tensor(double scalar, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
        => FromArray<double>([scalar], [], ScalarType.Float64, dtype, device, requires_grad);
    /// <summary>A 0-D tensor of a long (Int64 unless dtype says otherwise).</summary>
    public static Tensor tensor(long scalar, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
        => FromArray<long>([scalar], [], ScalarType.Int64, dtype, device, requires_grad);
    /// <summary>A 0-D Int32 tensor.</summary>
    public static Tensor tensor(int scalar, Device? device = null, bool requires_grad = false)
        => FromArray<int>([scalar], [], ScalarType.Int32, null, device, requires_grad);
    /// <summary>A 0-D tensor of a bool (Bool unless dtype says otherwise).</summary>
    public static Tensor tensor(bool scalar, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
        => FromArray<bool>([scalar], [], ScalarType.Bool, dtype, device, requires_grad);
}
