using System.Runtime.InteropServices;
using TorchSharp.PInvoke;

namespace TorchSharp;

/// <summary>
/// The entry point of the API, spelled as PyTorch's <c>torch</c> module: factories, operations and the
/// nested <c>nn</c>, <c>optim</c>, <c>cuda</c> and <c>random</c> classes.
/// </summary>
public static partial class torch
{
    static torch()
    {
        NativeLoader.EnsureRegistered();
        // libtorch starts with one intra-op thread on these machines; use every core unless told otherwise.
        var requested = Environment.GetEnvironmentVariable("TORCH_NUM_THREADS");
        int threads = int.TryParse(requested, out var n) && n > 0 ? n : Environment.ProcessorCount;
        NativeMethods.ts_set_num_threads(threads);
    }

    /// <summary>Makes sure the native library is loaded and initialised.</summary>
    internal static void InitializeDeviceType(DeviceType deviceType) => CheckDevice(new Device(deviceType));

    // Turns the thread-local native error into the exception type upstream TorchSharp throws.
    internal static Exception NativeError()
    {
        var message = Marshal.PtrToStringUTF8(NativeMethods.ts_last_error()) ?? "unknown native error";
        return new ExternalException(message);
    }

    internal static void CheckForErrors(int status)
    {
        if (status < 0) throw NativeError();
    }

    internal static IntPtr Check(IntPtr handle)
    {
        if (handle == IntPtr.Zero) throw NativeError();
        return handle;
    }

    // ---- threads ------------------------------------------------------------------------------

    /// <summary>Sets the number of threads used for intra-op parallelism on CPU.</summary>
    public static void set_num_threads(int num)
    {
        if (num <= 0) throw new ArgumentOutOfRangeException(nameof(num), num, "The thread count must be positive.");
        CheckForErrors(NativeMethods.ts_set_num_threads(num));
    }

    /// <summary>The number of threads used for intra-op parallelism on CPU.</summary>
    public static int get_num_threads() { EnsureLoaded(); return NativeMethods.ts_get_num_threads(); }

    /// <summary>Sets the number of threads used for inter-op parallelism on CPU.</summary>
    public static void set_num_interop_threads(int num) => CheckForErrors(NativeMethods.ts_set_num_interop_threads(num));

    /// <summary>The number of threads used for inter-op parallelism on CPU.</summary>
    public static int get_num_interop_threads() { EnsureLoaded(); return NativeMethods.ts_get_num_interop_threads(); }

    private static void EnsureLoaded() { }

    // ---- default dtype ------------------------------------------------------------------------
    private static ScalarType s_defaultDType = ScalarType.Float32;

    /// <summary>Sets the dtype that floating-point factories use when none is given.</summary>
    public static void set_default_dtype(ScalarType dtype)
    {
        if (!dtype.IsFloatingPoint())
            throw new ArgumentException($"The default dtype must be a floating-point type, not {dtype}.", nameof(dtype));
        s_defaultDType = dtype;
    }

    /// <summary>The dtype that floating-point factories use when none is given.</summary>
    public static ScalarType get_default_dtype() => s_defaultDType;

    // ---- seeds --------------------------------------------------------------------------------

    /// <summary>Seeds the default generator; returns it.</summary>
    public static Generator manual_seed(long seed) => random.manual_seed(seed);

    /// <summary>Random-number state of the default generator.</summary>
    public static partial class random
    {
        /// <summary>Seeds the default generator; returns it.</summary>
        public static Generator manual_seed(long seed)
        {
            var g = Generator.Default;
            g.manual_seed(seed);
            return g;
        }

        /// <summary>Seeds the default generator non-deterministically; returns the seed.</summary>
        public static long seed() => Generator.Default.seed();

        /// <summary>The initial seed of the default generator.</summary>
        public static long initial_seed() => Generator.Default.initial_seed();

        /// <summary>The state of the default generator, as a byte tensor.</summary>
        public static Tensor get_rng_state() => Generator.Default.get_state();

        /// <summary>Restores the state of the default generator.</summary>
        public static void set_rng_state(Tensor new_state) => Generator.Default.set_state(new_state);
    }

    /// <summary>CUDA queries. Debian's libtorch is CPU-only, so CUDA is never available here.</summary>
    public static class cuda
    {
        /// <summary>Whether a CUDA device can be used.</summary>
        public static bool is_available() => NativeMethods.ts_cuda_is_available() != 0;

        /// <summary>The number of CUDA devices (0 here).</summary>
        public static int device_count() => is_available() ? 1 : 0;

        /// <summary>Seeds the CUDA generators; a no-op without CUDA.</summary>
        public static void manual_seed(long seed) { }

        /// <summary>Seeds all CUDA generators; a no-op without CUDA.</summary>
        public static void manual_seed_all(long seed) { }

        /// <summary>Waits for CUDA work; a no-op without CUDA.</summary>
        public static void synchronize(long seed = -1L) { }
    }

    /// <summary>Whether a CUDA device can be used (an alias of <see cref="cuda.is_available"/>).</summary>
    public static bool cuda_is_available() => cuda.is_available();

    /// <summary>libtorch's build configuration (BLAS, oneDNN, OpenMP, threads), for diagnostics.</summary>
    internal static unsafe string __config__()
    {
        long length = NativeMethods.ts_config(null, 0);
        if (length < 0) throw NativeError();
        var buffer = new byte[length + 1];
        fixed (byte* p = buffer) NativeMethods.ts_config(p, buffer.Length);
        return System.Text.Encoding.UTF8.GetString(buffer, 0, (int)length);
    }
}
