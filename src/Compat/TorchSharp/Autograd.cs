using TorchSharp.PInvoke;

namespace TorchSharp;

public static partial class torch
{
    /// <summary>Disables gradient recording until the returned object is disposed.</summary>
    public static IDisposable no_grad() => new AutoGradMode(false);

    /// <summary>Enables (or disables) gradient recording until the returned object is disposed.</summary>
    public static IDisposable enable_grad(bool enabled = true) => new AutoGradMode(enabled);

    /// <summary>Sets gradient recording until the returned object is disposed.</summary>
    public static IDisposable set_grad_enabled(bool mode = true) => new AutoGradMode(mode);

    /// <summary>Whether gradients are being recorded on this thread.</summary>
    public static bool is_grad_enabled() => NativeMethods.ts_is_grad_enabled() != 0;

    /// <summary>
    /// Enters libtorch's inference mode until the returned object is disposed: no autograd recording
    /// and no version counting, which makes sampling loops cheaper than <see cref="no_grad"/>.
    /// Tensors made inside cannot be used in autograd later.
    /// </summary>
    public static IDisposable inference_mode(bool mode = true) => new InferenceModeGuard(mode);

    /// <summary>Whether inference mode is on for this thread.</summary>
    public static bool is_inference_mode_enabled() => NativeMethods.ts_is_inference_mode_enabled() != 0;

    private sealed class AutoGradMode : IDisposable
    {
        private readonly bool _previous;
        private bool _disposed;

        public AutoGradMode(bool enabled)
        {
            _previous = is_grad_enabled();
            NativeMethods.ts_set_grad_enabled(enabled ? 1 : 0);
        }

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            NativeMethods.ts_set_grad_enabled(_previous ? 1 : 0);
        }
    }

    private sealed class InferenceModeGuard : IDisposable
    {
        private IntPtr _guard;
        private readonly int _thread = Environment.CurrentManagedThreadId;

        public InferenceModeGuard(bool mode) => _guard = Check(NativeMethods.ts_inference_mode_enter(mode ? 1 : 0));

        public void Dispose()
        {
            if (_guard == IntPtr.Zero) return;
            if (Environment.CurrentManagedThreadId != _thread)
                throw new InvalidOperationException("inference_mode must be exited on the thread that entered it.");
            NativeMethods.ts_inference_mode_exit(_guard);
            _guard = IntPtr.Zero;
        }
    }
}
