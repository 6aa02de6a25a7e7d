using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace TorchSharp.Modules
{

/// <summary>Normalises over groups of channels, with a per-channel affine transform.</summary>
public sealed class GroupNorm : torch.nn.Module<Tensor, Tensor>
{
    /// <summary>Per-channel scale (ones at start), or null.</summary>
    public Parameter? weight;
    /// <summary>Per-channel shift (zeros at start), or null.</summary>
    public Parameter? bias;
    private readonly long _groups;
    private readonly double _eps;

    internal GroupNorm(long num_groups, long num_channels, double eps, bool affine, Device? device, ScalarType? dtype) : base(nameof(GroupNorm))
    {
        CheckDevice(device);
        if (num_groups <= 0 || num_channels % num_groups != 0)
            throw new ArgumentException($"GroupNorm: num_channels ({num_channels}) must be divisible by num_groups ({num_groups}).");
        _groups = num_groups;
        _eps = eps;
        if (affine)
        {
            weight = new Parameter(ones([num_channels], dtype));
            bias = new Parameter(zeros([num_channels], dtype));
        }
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor tensor) => F.group_norm(tensor, _groups, weight, bias, _eps);
}

/// <summary>Normalises over the trailing dimensions, with an elementwise affine transform.</summary>
public sealed class LayerNorm : torch.nn.Module<Tensor, Tensor>
{
    /// <summary>Elementwise scale, or null.</summary>
    public Parameter? weight;
    /// <summary>Elementwise shift, or null.</summary>
    public Parameter? bias;
    private readonly long[] _shape;
    private readonly double _eps;

    internal LayerNorm(long[] normalized_shape, double eps, bool elementwise_affine, bool bias, Device? device, ScalarType? dtype) : base(nameof(LayerNorm))
    {
        CheckDevice(device);
        _shape = normalized_shape;
        _eps = eps;
        if (elementwise_affine)
        {
            weight = new Parameter(ones(normalized_shape, dtype));
            this.bias = bias ? new Parameter(zeros(normalized_shape, dtype)) : null;
        }
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor tensor) => F.layer_norm(tensor, _shape, weight, bias, _eps);
}
}

namespace TorchSharp
{
using TorchSharp.Modules;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>Group normalisation.</summary>
        public static GroupNorm GroupNorm(long num_groups, long num_channels, double eps = 1e-05, bool affine = true, Device? device = null, ScalarType? dtype = null)
            => new(num_groups, num_channels, eps, affine, device, dtype);

        /// <summary>Layer normalisation over the trailing dimensions.</summary>
        public static LayerNorm LayerNorm(long[] normalized_shape, double eps = 1e-05, bool elementwise_affine = true, bool bias = true, Device? device = null, ScalarType? dtype = null)
            => new(normalized_shape, eps, elementwise_affine, bias, device, dtype);

        /// <summary>Layer normalisation over the last dimension.</summary>
        public static LayerNorm LayerNorm(long normalized_shape, double eps = 1e-05, bool elementwise_affine = true, bool bias = true, Device? device = null, ScalarType? dtype = null)
            => new([normalized_shape], eps, elementwise_affine, bias, device, dtype);
    }
}
}
