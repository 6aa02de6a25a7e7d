using TorchSharp.PInvoke;

namespace TorchSharp;

public static partial class torch
{
    /// <summary>A pseudo-random number generator whose state can be seeded, saved and restored.</summary>
    public class Generator : IDisposable
    {
        private static readonly Lazy<Generator> s_default = new(() => new Generator(Check(NativeMethods.ts_generator_default()), CPU));
        private IntPtr _handle;

        // Not Generator(IntPtr): with InternalsVisibleTo, `new Generator(7)` would bind to it (int → nint).
        private Generator(IntPtr handle, Device device) { _handle = handle; this.device = device; }

        /// <summary>Creates a CPU generator with the given seed.</summary>
        public Generator(ulong seed = 0, Device? device = null)
        {
            CheckDevice(device);
            this.device = device ?? CPU;
            _handle = Check(NativeMethods.ts_generator_new(seed));
        }

        /// <summary>The process-wide default generator.</summary>
        public static Generator Default => s_default.Value;

        /// <summary>The device of the generator.</summary>
        public Device device { get; }

        /// <summary>The native handle.</summary>
        public IntPtr Handle => _handle != IntPtr.Zero ? _handle : throw new ObjectDisposedException(nameof(Generator));

        /// <summary>Seeds the generator; returns it.</summary>
        public Generator manual_seed(long seed)
        {
            CheckForErrors(NativeMethods.ts_generator_manual_seed(Handle, seed));
            return this;
        }

        /// <summary>Seeds the generator non-deterministically; returns the seed.</summary>
        public unsafe long seed()
        {
            long s;
            CheckForErrors(NativeMethods.ts_generator_seed(Handle, &s));
            return s;
        }

        /// <summary>The seed the generator was last seeded with.</summary>
        public unsafe long initial_seed()
        {
            long s;
            CheckForErrors(NativeMethods.ts_generator_initial_seed(Handle, &s));
            return s;
        }

        /// <summary>The generator's state, as a byte tensor.</summary>
        public Tensor get_state() => new(Check(NativeMethods.ts_generator_get_state(Handle)));

        /// <summary>Restores a state taken with <see cref="get_state"/>.</summary>
        public void set_state(Tensor value) => CheckForErrors(NativeMethods.ts_generator_set_state(Handle, value.Handle));

        /// <summary>Releases the native generator (the default generator is never released).</summary>
        public void Dispose()
        {
            if (ReferenceEquals(this, s_default.IsValueCreated ? s_default.Value : null)) return;
            var h = Interlocked.Exchange(ref _handle, IntPtr.Zero);
            if (h != IntPtr.Zero) NativeMethods.ts_generator_dispose(h);
            GC.SuppressFinalize(this);
        }

        /// <summary>Releases the native generator if Dispose was not called.</summary>
        ~Generator()
        {
            var h = Interlocked.Exchange(ref _handle, IntPtr.Zero);
            if (h != IntPtr.Zero) NativeMethods.ts_generator_dispose(h);
        }
    }

    internal static IntPtr GeneratorHandle(Generator? generator) => generator?.Handle ?? IntPtr.Zero;
}
