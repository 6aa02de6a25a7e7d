namespace TorchSharp;

/// <summary>Device kinds, numbered as <c>c10::DeviceType</c>.</summary>
public enum DeviceType
{
    /// <summary>The host CPU.</summary>
    CPU = 0,
    /// <summary>An NVIDIA GPU.</summary>
    CUDA = 1,
    /// <summary>MKLDNN tensors.</summary>
    MKLDNN = 2,
    /// <summary>OpenGL.</summary>
    OPENGL = 3,
    /// <summary>OpenCL.</summary>
    OPENCL = 4,
    /// <summary>IDEEP.</summary>
    IDEEP = 5,
    /// <summary>AMD HIP.</summary>
    HIP = 6,
    /// <summary>FPGA.</summary>
    FPGA = 7,
    /// <summary>ONNX Runtime / MSNPU.</summary>
    MSNPU = 8,
    /// <summary>XLA.</summary>
    XLA = 9,
    /// <summary>Apple MPS.</summary>
    MPS = 13,
    /// <summary>Meta tensors (no storage).</summary>
    META = 14,
}

public static partial class torch
{
    /// <summary>A device on which tensors live: a type and an index.</summary>
    public class Device
    {
        /// <summary>Creates a device from a description such as "cpu" or "cuda:0".</summary>
        public Device(string description)
        {
            ArgumentNullException.ThrowIfNull(description);
            var parts = description.Split(':');
            type = ParseType(parts[0]);
            index = parts.Length > 1 ? int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) : -1;
        }

        /// <summary>Creates a device from a type name and an index.</summary>
        public Device(string deviceType, int index = -1) { type = ParseType(deviceType); this.index = index; }

        /// <summary>Creates a device from a type and an index.</summary>
        public Device(DeviceType deviceType, int index = -1) { type = deviceType; this.index = index; }

        /// <summary>Creates a CUDA device with the given index.</summary>
        public Device(int index) { type = DeviceType.CUDA; this.index = index; }

        /// <summary>The device type.</summary>
        public DeviceType type { get; private set; }

        /// <summary>The device index, or -1 for the current one.</summary>
        public int index { get; private set; }

        /// <summary>Parses a device description.</summary>
        public static implicit operator Device(string description) => new(description);

        /// <inheritdoc />
        public override string ToString() => type == DeviceType.CPU && index < 0 ? "cpu"
            : index < 0 ? type.ToString().ToLowerInvariant() : $"{type.ToString().ToLowerInvariant()}:{index}";

        private static DeviceType ParseType(string name) => name.Trim().ToLowerInvariant() switch
        {
            "cpu" => DeviceType.CPU,
            "cuda" => DeviceType.CUDA,
            "mps" => DeviceType.MPS,
            "meta" => DeviceType.META,
            _ => throw new ArgumentException($"Unknown device type '{name}'; expected 'cpu' or 'cuda'.", nameof(name)),
        };
    }

    /// <summary>The CPU device.</summary>
    public static Device CPU { get; } = new(DeviceType.CPU, -1);

    /// <summary>The default CUDA device (unavailable with Debian's CPU-only libtorch).</summary>
    public static Device CUDA { get; } = new(DeviceType.CUDA, -1);

    /// <summary>Creates a device from a description such as "cpu" or "cuda:0".</summary>
    public static Device device(string description) => new(description);

    /// <summary>Creates a device from a type and an index.</summary>
    public static Device device(DeviceType deviceType, int index = -1) => new(deviceType, index);

    /// <summary>Creates a CUDA device with the given index.</summary>
    public static Device device(int index) => new(index);

    // Every operation that would place data on a device funnels through here, so asking for CUDA on
    // this CPU-only libtorch fails with one clear message instead of a dispatcher error.
    internal static void CheckDevice(Device? device)
    {
        if (device is null || device.type == DeviceType.CPU) return;
        if (device.type == DeviceType.CUDA && cuda.is_available()) return;
        throw new NotSupportedException(
            $"Device '{device}' is not available: this build runs on Debian's CPU-only libtorch 1.13 " +
            "(torch.cuda.is_available() is false). Use the CPU device.");
    }
}
