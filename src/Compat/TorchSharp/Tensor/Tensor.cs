using TorchSharp.PInvoke;
using static TorchSharp.torch;

namespace TorchSharp;

public static partial class torch
{
    /// <summary>
    /// A multi-dimensional array on a device, with autograd. Owns one native handle: dispose it, or
    /// create it inside a <see cref="DisposeScope"/>; the finalizer is only a safety net.
    /// </summary>
    public partial class Tensor : IDisposable
    {
        private static long s_totalCount;
        private static long s_peakCount;
        private IntPtr _handle;

        internal Tensor(IntPtr handle) : this(handle, register: true) { }

        // Long-lived tensors (parameters, optimizer state) are created with register = false so that
        // no dispose scope ever frees them behind their owner's back.
        internal Tensor(IntPtr handle, bool register)
        {
            _handle = handle;
            var live = Interlocked.Increment(ref s_totalCount);
            long peak;
            while (live > (peak = Interlocked.Read(ref s_peakCount)) && Interlocked.CompareExchange(ref s_peakCount, live, peak) != peak) { }
            if (!register) return;
            OwningScope = DisposeScopeManager.ThreadSingleton.CurrentScope;
            OwningScope?.Register(this);
        }

        /// <summary>The number of live (undisposed) tensors in the process.</summary>
        public static long TotalCount => Interlocked.Read(ref s_totalCount);

        /// <summary>The highest number of live tensors seen so far.</summary>
        public static long PeakCount => Interlocked.Read(ref s_peakCount);

        internal DisposeScope? OwningScope { get; set; }

        /// <summary>The native handle; throws once the tensor is disposed.</summary>
        public IntPtr Handle => _handle != IntPtr.Zero ? _handle : throw new ObjectDisposedException(nameof(Tensor), "The tensor has been disposed.");

        /// <summary>Whether the tensor has been disposed.</summary>
        public bool IsInvalid => _handle == IntPtr.Zero;

        /// <summary>An optional name, for diagnostics.</summary>
        public string? name { get; set; }

        /// <summary>Releases the native tensor.</summary>
        public void Dispose()
        {
            OwningScope?.Remove(this);
            OwningScope = null;
            Release();
            GC.SuppressFinalize(this);
        }

        /// <summary>Releases the native tensor if Dispose was not called.</summary>
        ~Tensor() => Release();

        private void Release()
        {
            var h = Interlocked.Exchange(ref _handle, IntPtr.Zero);
            if (h == IntPtr.Zero) return;
            NativeMethods.ts_tensor_dispose(h);
            Interlocked.Decrement(ref s_totalCount);
        }

        /// <summary>Moves this tensor to the dispose scope outside the current one; returns it.</summary>
        public Tensor MoveToOuterDisposeScope()
        {
            var scope = OwningScope;
            if (scope is not null) scope.MoveToOuter(this);
            return this;
        }

        /// <summary>Takes this tensor out of every dispose scope: the caller now owns it.</summary>
        public Tensor DetachFromDisposeScope()
        {
            OwningScope?.Detach(this);
            OwningScope = null;
            return this;
        }

        /// <summary>Moves this tensor into the given scope (or the current one).</summary>
        internal Tensor MoveToOtherDisposeScope(DisposeScope? other = null)
        {
            DetachFromDisposeScope();
            (other ?? CurrentDisposeScope)?.Attach(this);
            return this;
        }

        /// <summary>A new handle to the same data (both must be disposed).</summary>
        public Tensor alias() => new(Check(NativeMethods.ts_tensor_alias(Handle)));

        /// <summary>Gives up the native handle without releasing it; the tensor becomes invalid.</summary>
        public IntPtr DecoupleFromNativeHandle()
        {
            OwningScope?.Remove(this);
            OwningScope = null;
            var h = Interlocked.Exchange(ref _handle, IntPtr.Zero);
            if (h != IntPtr.Zero) Interlocked.Decrement(ref s_totalCount);
            GC.SuppressFinalize(this);
            return h;
        }

        /// <summary>Wraps a native handle that this tensor will own.</summary>
        public static Tensor UnsafeCreateTensor(IntPtr handle) => new(handle);

        // ---- metadata ---------------------------------------------------------------------------

        /// <summary>The sizes of the dimensions (a fresh array on each access).</summary>
        public unsafe long[] shape
        {
            get
            {
                int n = NativeMethods.ts_tensor_ndim(Handle);
                if (n < 0) throw NativeError();
                var s = new long[n];
                fixed (long* p = s) CheckForErrors(NativeMethods.ts_tensor_sizes(Handle, p));
                return s;
            }
        }

        /// <summary>The sizes of the dimensions.</summary>
        public long[] size() => shape;

        /// <summary>The size of one dimension (negative counts from the end).</summary>
        public long size(int dim)
        {
            var s = shape;
            int d = dim < 0 ? dim + s.Length : dim;
            if (d < 0 || d >= s.Length)
                throw new ArgumentOutOfRangeException(nameof(dim), dim, $"The tensor has {s.Length} dimensions.");
            return s[d];
        }

        /// <summary>The strides of the dimensions, in elements.</summary>
        public unsafe long[] stride()
        {
            int n = NativeMethods.ts_tensor_ndim(Handle);
            var s = new long[n];
            fixed (long* p = s) CheckForErrors(NativeMethods.ts_tensor_strides(Handle, p));
            return s;
        }

        /// <summary>The number of dimensions.</summary>
        public long Dimensions => NativeMethods.ts_tensor_ndim(Handle);

        /// <summary>The number of dimensions.</summary>
        public long dim() => Dimensions;

        /// <summary>The number of dimensions.</summary>
        public long ndim => Dimensions;

        /// <summary>The number of elements.</summary>
        public long NumberOfElements => NativeMethods.ts_tensor_numel(Handle);

        /// <summary>The number of elements.</summary>
        public long numel() => NumberOfElements;

        /// <summary>The size of one element in bytes.</summary>
        public long ElementSize => NativeMethods.ts_tensor_element_size(Handle);

        /// <summary>The size of one element in bytes.</summary>
        public long element_size() => ElementSize;

        /// <summary>The element type.</summary>
        public ScalarType dtype => (ScalarType)NativeMethods.ts_tensor_dtype(Handle);

        /// <summary>The device type.</summary>
        public DeviceType device_type => (DeviceType)NativeMethods.ts_tensor_device_type(Handle);

        /// <summary>The device index (-1 for CPU).</summary>
        public int device_index => NativeMethods.ts_tensor_device_index(Handle);

        /// <summary>The device.</summary>
        public Device device => new(device_type, device_index);

        /// <summary>Whether the tensor lives on a CUDA device.</summary>
        public bool is_cuda => device_type == DeviceType.CUDA;

        /// <summary>Whether the tensor is a leaf of the autograd graph.</summary>
        public bool is_leaf => NativeMethods.ts_is_leaf(Handle) == 1;

        /// <summary>Whether the elements are laid out contiguously in row-major order.</summary>
        public bool is_contiguous() => NativeMethods.ts_tensor_is_contiguous(Handle) == 1;

        /// <summary>Whether the dtype is floating point.</summary>
        public bool is_floating_point() => dtype.IsFloatingPoint();

        /// <inheritdoc />
        public override string ToString()
        {
            if (IsInvalid) return "[disposed tensor]";
            return $"[{string.Join("x", shape)}], type = {dtype}, device = {device}";
        }

        // ---- conversion -------------------------------------------------------------------------

        /// <summary>Moves the tensor to a device.</summary>
        public Tensor to(Device device, bool copy = false, bool disposeAfter = false, bool non_blocking = false)
        {
            CheckDevice(device);
            var r = new Tensor(Check(NativeMethods.ts_to_device(Handle, (int)device.type, device.index, copy ? 1 : 0)));
            if (disposeAfter) Dispose();
            return r;
        }

        /// <summary>Converts the tensor to a dtype.</summary>
        public Tensor to(ScalarType type, bool copy = false, bool disposeAfter = false, bool non_blocking = false)
        {
            var r = new Tensor(Check(NativeMethods.ts_to_dtype(Handle, (int)type, copy ? 1 : 0)));
            if (disposeAfter) Dispose();
            return r;
        }

        /// <summary>Converts the tensor to a dtype and moves it to a device.</summary>
        public Tensor to(ScalarType type, Device device, bool copy = false, bool disposeAfter = false, bool non_blocking = false)
        {
            CheckDevice(device);
            using var converted = to(type, copy);
            var r = converted.to(device, copy);
            if (disposeAfter) Dispose();
            return r;
        }

        /// <summary>Moves the tensor to a device given by type and index.</summary>
        public Tensor to(DeviceType deviceType, int deviceIndex = -1, bool copy = false, bool disposeAfter = false, bool non_blocking = false)
            => to(new Device(deviceType, deviceIndex), copy, disposeAfter, non_blocking);

        /// <summary>Moves the tensor to a device given by description ("cpu", "cuda:0").</summary>
        public Tensor to(string device, bool copy = false, bool disposeAfter = false, bool non_blocking = false)
            => to(new Device(device), copy, disposeAfter, non_blocking);

        /// <summary>Converts the tensor to the dtype and device of another.</summary>
        public Tensor to(Tensor other, bool non_blocking = false) => to(other.dtype, other.device);

        /// <summary>Converts the tensor to a dtype.</summary>
        public Tensor to_type(ScalarType type, bool copy = false, bool disposeAfter = false, bool non_blocking = false)
            => to(type, copy, disposeAfter, non_blocking);

        /// <summary>Converts the tensor to a dtype.</summary>
        public Tensor type(ScalarType dtype) => to(dtype);

        /// <summary>Moves the tensor to the CPU.</summary>
        public Tensor cpu() => to(CPU);

        /// <summary>Moves the tensor to a CUDA device (fails clearly on this CPU-only build).</summary>
        public Tensor cuda(Device? device = null, bool non_blocking = false) => to(device ?? CUDA);

        /// <summary>Converts to Float32.</summary>
        public Tensor @float() => to(ScalarType.Float32);

        /// <summary>Converts to Float64.</summary>
        public Tensor @double() => to(ScalarType.Float64);

        /// <summary>Converts to Int64.</summary>
        public Tensor @long() => to(ScalarType.Int64);

        /// <summary>Converts to Int32.</summary>
        public Tensor @int() => to(ScalarType.Int32);

        /// <summary>Converts to Bool.</summary>
        public Tensor @bool() => to(ScalarType.Bool);

        /// <summary>Converts to Byte.</summary>
        public Tensor @byte() => to(ScalarType.Byte);

        /// <summary>A copy with its own storage.</summary>
        public Tensor clone() => new(Check(NativeMethods.ts_clone(Handle)));

        /// <summary>A row-major contiguous tensor with the same data (this tensor's alias if already contiguous).</summary>
        public Tensor contiguous() => new(Check(NativeMethods.ts_contiguous(Handle)));

        /// <summary>Copies the elements of <paramref name="source"/> into this tensor (broadcasting); returns this.</summary>
        public Tensor copy_(Tensor source, bool nonBlocking = false)
        {
            CheckForErrors(NativeMethods.ts_copy_(Handle, source.Handle));
            return this;
        }

        /// <summary>The tensor with the given memory format (4-D tensors).</summary>
        public Tensor contiguous(memory_format memory_format)
            => new(Check(NativeMethods.ts_to_memory_format(Handle, memory_format == TorchSharp.memory_format.channels_last ? 1 : 0)));
    }
}

/// <summary>Memory layouts of tensors (PyTorch's <c>torch.memory_format</c>), spelled as upstream TorchSharp does.</summary>
public enum memory_format
{
    /// <summary>Kept as it is.</summary>
    preserve_format = 0,
    /// <summary>Row-major (NCHW for 4-D tensors).</summary>
    contiguous_format = 1,
    /// <summary>NHWC, which oneDNN convolutions prefer.</summary>
    channels_last = 2,
}
