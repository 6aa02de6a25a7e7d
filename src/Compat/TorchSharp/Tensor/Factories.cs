using TorchSharp.PInvoke;

namespace TorchSharp;

// Each factory family has one core taking ReadOnlySpan<long>; the fixed-rank overloads forward to it.
public static partial class torch
{
    private unsafe delegate IntPtr ShapeFactory(long* shape, int ndim, int dtype, int requiresGrad);

    private static unsafe Tensor Make(ReadOnlySpan<long> size, ScalarType? dtype, Device? device, bool requires_grad,
        delegate*<long*, int, int, int, IntPtr> factory)
    {
        CheckDevice(device);
        CheckSizes(size);
        fixed (long* p = size) return new Tensor(Check(factory(p, size.Length, (int)(dtype ?? get_default_dtype()), requires_grad ? 1 : 0)));
    }

    private static unsafe Tensor MakeRandom(ReadOnlySpan<long> size, ScalarType? dtype, Device? device, bool requires_grad, Generator? generator,
        delegate*<long*, int, int, int, IntPtr, IntPtr> factory)
    {
        CheckDevice(device);
        CheckSizes(size);
        var type = dtype ?? get_default_dtype();
        if (!type.IsFloatingPoint()) throw new ArgumentException($"rand/randn need a floating-point dtype, not {type}.", nameof(dtype));
        fixed (long* p = size) return new Tensor(Check(factory(p, size.Length, (int)type, requires_grad ? 1 : 0, GeneratorHandle(generator))));
    }

    private static void CheckSizes(ReadOnlySpan<long> size)
    {
        foreach (var s in size)
            if (s < 0) throw new ArgumentException($"Tensor sizes must be non-negative, got [{string.Join(", ", size.ToArray())}].", nameof(size));
    }

    // ---- zeros ---------------------------------------------------------------------------------
    /// <summary>A tensor of zeros.</summary>
    public static unsafe Tensor zeros(ReadOnlySpan<long> size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, string[]? names = null)
        => Make(size, dtype, device, requires_grad, &NativeMethods.ts_zeros);
    /// <summary>A tensor of zeros.</summary>
    public static Tensor zeros(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, string[]? names = null)
        => zeros((ReadOnlySpan<long>)size, dtype, device, requires_grad);
    /// <summary>A 1-D tensor of zeros.</summary>
    public static Tensor zeros(long size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, string[]? names = null)
        => zeros([size], dtype, device, requires_grad);
    /// <summary>A 2-D tensor of zeros.</summary>
    public static Tensor zeros(long rows, long columns, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, string[]? names = null)
        => zeros([rows, columns], dtype, device, requires_grad);
    /// <summary>A 3-D tensor of zeros.</summary>
    public static Tensor zeros(long dim0, long dim1, long dim2, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, string[]? names = null)
        => zeros([dim0, dim1, dim2], dtype, device, requires_grad);
    /// <summary>A 4-D tensor of zeros.</summary>
    public static Tensor zeros(long dim0, long dim1, long dim2, long dim3, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, string[]? names = null)
        => zeros([dim0, dim1, dim2, dim3], dtype, device, requires_grad);
    /// <summary>Zeros with the shape of <paramref name="input"/>.</summary>
    public static Tensor zeros_like(Tensor input, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, string[]? names = null)
        => zeros(input.shape, dtype ?? input.dtype, device ?? input.device, requires_grad);

    // ---- ones ----------------------------------------------------------------------------------
    /// <summary>A tensor of ones.</summary>
    public static unsafe Tensor ones(ReadOnlySpan<long> size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, string[]? names = null)
        => Make(size, dtype, device, requires_grad, &NativeMethods.ts_ones);
    /// <summary>A tensor of ones.</summary>
    public static Tensor ones(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, string[]? names = null)
        => ones((ReadOnlySpan<long>)size, dtype, device, requires_grad);
    /// <summary>A 1-D tensor of ones.</summary>
    public static Tensor ones(long size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, string[]? names = null)
        => ones([size], dtype, device, requires_grad);
    /// <summary>A 2-D tensor of ones.</summary>
    public static Tensor ones(long rows, long columns, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, string[]? names = null)
        => ones([rows, columns], dtype, device, requires_grad);
    /// <summary>A 3-D tensor of ones.</summary>
    public static Tensor ones(long dim0, long dim1, long dim2, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, string[]? names = null)
        => ones([dim0, dim1, dim2], dtype, device, requires_grad);
    /// <summary>A 4-D tensor of ones.</summary>
    public static Tensor ones(long dim0, long dim1, long dim2, long dim3, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, string[]? names = null)
        => ones([dim0, dim1, dim2, dim3], dtype, device, requires_grad);
    /// <summary>Ones with the shape of <paramref name="input"/>.</summary>
    public static Tensor ones_like(Tensor input, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, string[]? names = null)
        => ones(input.shape, dtype ?? input.dtype, device ?? input.device, requires_grad);

    // ---- empty ---------------------------------------------------------------------------------
    /// <summary>An uninitialised tensor.</summary>
    public static unsafe Tensor empty(ReadOnlySpan<long> size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, string[]? names = null)
        => Make(size, dtype, device, requires_grad, &NativeMethods.ts_empty);
    /// <summary>An uninitialised tensor.</summary>
    public static Tensor empty(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, string[]? names = null)
        => empty((ReadOnlySpan<long>)size, dtype, device, requires_grad);
    /// <summary>An uninitialised 1-D tensor.</summary>
    public static Tensor empty(long size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, string[]? names = null)
        => empty([size], dtype, device, requires_grad);
    /// <summary>An uninitialised 2-D tensor.</summary>
    public static Tensor empty(long rows, long columns, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, string[]? names = null)
        => empty([rows, columns], dtype, device, requires_grad);
    /// <summary>An uninitialised tensor with the shape of <paramref name="input"/>.</summary>
    public static Tensor empty_like(Tensor input, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, string[]? names = null)
        => empty(input.shape, dtype ?? input.dtype, device ?? input.device, requires_grad);

    // ---- full ----------------------------------------------------------------------------------
    /// <summary>A tensor filled with <paramref name="value"/>.</summary>
    public static unsafe Tensor full(ReadOnlySpan<long> size, Scalar value, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, string[]? names = null)
    {
        CheckDevice(device);
        CheckSizes(size);
        var type = dtype ?? (value.Kind == Scalar.ScalarKind.Floating ? get_default_dtype()
            : value.Kind == Scalar.ScalarKind.Boolean ? ScalarType.Bool : ScalarType.Int64);
        fixed (long* p = size)
            return new Tensor(Check(NativeMethods.ts_full(p, size.Length, (int)value.Kind, value.DoubleValue, value.LongValue, (int)type, requires_grad ? 1 : 0)));
    }
    /// <summary>A tensor filled with <paramref name="value"/>.</summary>
    public static Tensor full(long[] size, Scalar value, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, string[]? names = null)
        => full((ReadOnlySpan<long>)size, value, dtype, device, requires_grad);
    /// <summary>A 1-D tensor filled with <paramref name="value"/>.</summary>
    public static Tensor full(long size, Scalar value, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, string[]? names = null)
        => full([size], value, dtype, device, requires_grad);
    /// <summary>A 2-D tensor filled with <paramref name="value"/>.</summary>
    public static Tensor full(long rows, long columns, Scalar value, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, string[]? names = null)
        => full([rows, columns], value, dtype, device, requires_grad);
    /// <summary>A tensor with the shape of <paramref name="input"/> filled with <paramref name="value"/>.</summary>
    public static Tensor full_like(Tensor input, Scalar value, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, string[]? names = null)
        => full(input.shape, value, dtype ?? input.dtype, device ?? input.device, requires_grad);

    // ---- rand / randn --------------------------------------------------------------------------
    /// <summary>Samples from U[0, 1).</summary>
    public static unsafe Tensor rand(ReadOnlySpan<long> size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, Generator? generator = null, string[]? names = null)
        => MakeRandom(size, dtype, device, requires_grad, generator, &NativeMethods.ts_rand);
    /// <summary>Samples from U[0, 1).</summary>
    public static Tensor rand(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, Generator? generator = null, string[]? names = null)
        => rand((ReadOnlySpan<long>)size, dtype, device, requires_grad, generator);
    /// <summary>A 1-D tensor of samples from U[0, 1).</summary>
    public static Tensor rand(long size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, Generator? generator = null, string[]? names = null)
        => rand([size], dtype, device, requires_grad, generator);
    /// <summary>A 2-D tensor of samples from U[0, 1).</summary>
    public static Tensor rand(long rows, long columns, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, Generator? generator = null, string[]? names = null)
        => rand([rows, columns], dtype, device, requires_grad, generator);
    /// <summary>Samples from U[0, 1) with the shape of <paramref name="input"/>.</summary>
    public static Tensor rand_like(Tensor input, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
        => rand(input.shape, dtype ?? input.dtype, device ?? input.device, requires_grad);

    /// <summary>Samples from N(0, 1).</summary>
    public static unsafe Tensor randn(ReadOnlySpan<long> size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, Generator? generator = null, string[]? names = null)
        => MakeRandom(size, dtype, device, requires_grad, generator, &NativeMethods.ts_randn);
    /// <summary>Samples from N(0, 1).</summary>
    public static Tensor randn(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, Generator? generator = null, string[]? names = null)
        => randn((ReadOnlySpan<long>)size, dtype, device, requires_grad, generator);
    /// <summary>A 1-D tensor of samples from N(0, 1).</summary>
    public static Tensor randn(long size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, Generator? generator = null, string[]? names = null)
        => randn([size], dtype, device, requires_grad, generator);
    /// <summary>A 2-D tensor of samples from N(0, 1).</summary>
    public static Tensor randn(long rows, long columns, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, Generator? generator = null, string[]? names = null)
        => randn([rows, columns], dtype, device, requires_grad, generator);
    /// <summary>A 3-D tensor of samples from N(0, 1).</summary>
    public static Tensor randn(long dim0, long dim1, long dim2, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, Generator? generator = null, string[]? names = null)
        => randn([dim0, dim1, dim2], dtype, device, requires_grad, generator);
    /// <summary>A 4-D tensor of samples from N(0, 1).</summary>
    public static Tensor randn(long dim0, long dim1, long dim2, long dim3, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, Generator? generator = null, string[]? names = null)
        => randn([dim0, dim1, dim2, dim3], dtype, device, requires_grad, generator);
    /// <summary>Samples from N(0, 1) with the shape of <paramref name="input"/>.</summary>
    public static Tensor randn_like(Tensor input, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
        => randn(input.shape, dtype ?? input.dtype, device ?? input.device, requires_grad);

    // ---- integers ------------------------------------------------------------------------------
    /// <summary>Integers drawn uniformly from [low, high).</summary>
    public static unsafe Tensor randint(long low, long high, long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, Generator? generator = null, string[]? names = null)
    {
        CheckDevice(device);
        CheckSizes(size);
        if (high <= low) throw new ArgumentException($"randint needs low < high, got [{low}, {high}).", nameof(high));
        fixed (long* p = size)
            return new Tensor(Check(NativeMethods.ts_randint(low, high, p, size.Length, (int)(dtype ?? ScalarType.Int64), requires_grad ? 1 : 0, GeneratorHandle(generator))));
    }
    /// <summary>Integers drawn uniformly from [0, high).</summary>
    public static Tensor randint(long high, long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, Generator? generator = null, string[]? names = null)
        => randint(0, high, size, dtype, device, requires_grad, generator);

    /// <summary>A random permutation of 0..n−1.</summary>
    public static Tensor randperm(long n, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, Generator? generator = null)
    {
        CheckDevice(device);
        return new Tensor(Check(NativeMethods.ts_randperm(n, (int)(dtype ?? ScalarType.Int64), requires_grad ? 1 : 0, GeneratorHandle(generator))));
    }

    // ---- ranges --------------------------------------------------------------------------------
    /// <summary>Values from start to stop (exclusive) by step; integral arguments give Int64 unless dtype says otherwise.</summary>
    public static Tensor arange(Scalar start, Scalar stop, Scalar step, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        CheckDevice(device);
        bool integral = start.Kind != Scalar.ScalarKind.Floating && stop.Kind != Scalar.ScalarKind.Floating && step.Kind != Scalar.ScalarKind.Floating;
        var type = dtype ?? (integral ? ScalarType.Int64 : get_default_dtype());
        return new Tensor(Check(NativeMethods.ts_arange(integral ? 1 : 0, start.DoubleValue, stop.DoubleValue, step.DoubleValue,
            start.LongValue, stop.LongValue, step.LongValue, (int)type, requires_grad ? 1 : 0)));
    }
    /// <summary>Values from start to stop (exclusive) by 1.</summary>
    public static Tensor arange(Scalar start, Scalar stop, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
        => arange(start, stop, 1, dtype, device, requires_grad);
    /// <summary>Values from 0 to stop (exclusive) by 1.</summary>
    public static Tensor arange(Scalar stop, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
        => arange(0, stop, 1, dtype, device, requires_grad);

    /// <summary><paramref name="steps"/> evenly spaced values from start to end (inclusive).</summary>
    public static Tensor linspace(double start, double end, long steps, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        CheckDevice(device);
        return new Tensor(Check(NativeMethods.ts_linspace(start, end, steps, (int)(dtype ?? get_default_dtype()), requires_grad ? 1 : 0)));
    }

    /// <summary>An identity matrix of the given rows and columns (default: as many as rows); names are ignored, as by the other factories.</summary>
    public static Tensor eye(long rows, long columns = -1L, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, string[]? names = null)
    {
        CheckDevice(device);
        return new Tensor(Check(NativeMethods.ts_eye(rows, columns < 0 ? rows : columns, (int)(dtype ?? get_default_dtype()), requires_grad ? 1 : 0)));
    }
}
