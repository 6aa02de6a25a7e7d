using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace TorchSharp.Modules
{

/// <summary>A 2-D convolution over (N, C, H, W) input.</summary>
public sealed class Conv2d : torch.nn.Module<Tensor, Tensor>
{
    /// <summary>The kernel, of shape (out, in/groups, kh, kw).</summary>
    public Parameter weight;
    /// <summary>The bias, of shape (out), or null.</summary>
    public Parameter? bias;
    private readonly long[] _stride, _padding, _dilation;
    private readonly long _groups;

    internal Conv2d(long in_channels, long out_channels, (long, long) kernel_size, (long, long) stride, (long, long) padding,
        (long, long) dilation, PaddingModes padding_mode, long groups, bool bias, Device? device, ScalarType? dtype) : base(nameof(Conv2d))
    {
        CheckDevice(device);
        if (padding_mode != PaddingModes.Zeros)
            throw new NotSupportedException($"Conv2d padding_mode {padding_mode} is not part of this subset; use PaddingModes.Zeros.");
        if (in_channels % groups != 0 || out_channels % groups != 0)
            throw new ArgumentException($"in_channels ({in_channels}) and out_channels ({out_channels}) must be divisible by groups ({groups}).");
        // PyTorch's default init: U(−1/√fan_in, 1/√fan_in) for weight and bias.
        long fanIn = in_channels / groups * kernel_size.Item1 * kernel_size.Item2;
        double bound = 1.0 / Math.Sqrt(fanIn);
        using (no_grad())
        {
            weight = new Parameter(empty([out_channels, in_channels / groups, kernel_size.Item1, kernel_size.Item2], dtype).uniform_(-bound, bound));
            this.bias = bias ? new Parameter(empty([out_channels], dtype).uniform_(-bound, bound)) : null;
        }
        _stride = [stride.Item1, stride.Item2];
        _padding = [padding.Item1, padding.Item2];
        _dilation = [dilation.Item1, dilation.Item2];
        _groups = groups;
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => F.conv2d(input, weight, bias, _stride, _padding, _dilation, _groups);
}
}

namespace TorchSharp
{
using TorchSharp.Modules;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>A 2-D convolution with a square kernel.</summary>
        public static Conv2d Conv2d(long in_channels, long out_channels, long kernel_size, long stride = 1, long padding = 0, long dilation = 1,
            PaddingModes padding_mode = PaddingModes.Zeros, long groups = 1, bool bias = true, Device? device = null, ScalarType? dtype = null)
            => new(in_channels, out_channels, (kernel_size, kernel_size), (stride, stride), (padding, padding), (dilation, dilation), padding_mode, groups, bias, device, dtype);

        /// <summary>A 2-D convolution with a rectangular kernel.</summary>
        public static Conv2d Conv2d(long in_channels, long out_channels, (long, long) kernel_size, (long, long)? stride = null, (long, long)? padding = null,
            (long, long)? dilation = null, PaddingModes padding_mode = PaddingModes.Zeros, long groups = 1, bool bias = true, Device? device = null, ScalarType? dtype = null)
            => new(in_channels, out_channels, kernel_size, stride ?? (1, 1), padding ?? (0, 0), dilation ?? (1, 1), padding_mode, groups, bias, device, dtype);
    }
}
}
