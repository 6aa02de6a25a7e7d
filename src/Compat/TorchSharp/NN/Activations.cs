using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace TorchSharp.Modules
{

/// <summary>x·sigmoid(x).</summary>
public sealed class SiLU : torch.nn.Module<Tensor, Tensor>
{
    private readonly bool _inplace;
    internal SiLU(bool inplace) : base(nameof(SiLU)) => _inplace = inplace;
    /// <inheritdoc />
    public override Tensor forward(Tensor tensor) => F.silu(tensor, _inplace);
}

/// <summary>max(x, 0).</summary>
public sealed class ReLU : torch.nn.Module<Tensor, Tensor>
{
    private readonly bool _inplace;
    internal ReLU(bool inplace) : base(nameof(ReLU)) => _inplace = inplace;
    /// <inheritdoc />
    public override Tensor forward(Tensor tensor) => F.relu(tensor, _inplace);
}

/// <summary>Returns its input (as a new handle).</summary>
public sealed class Identity : torch.nn.Module<Tensor, Tensor>
{
    internal Identity() : base(nameof(Identity)) { }
    /// <inheritdoc />
    public override Tensor forward(Tensor tensor) => tensor.alias();
}

/// <summary>Zeroes elements with probability p in training mode.</summary>
public sealed class Dropout : torch.nn.Module<Tensor, Tensor>
{
    private readonly double _p;
    private readonly bool _inplace;
    internal Dropout(double p, bool inplace) : base(nameof(Dropout))
    {
        if (p < 0 || p > 1) throw new ArgumentOutOfRangeException(nameof(p), p, "The dropout probability must be in [0, 1].");
        _p = p;
        _inplace = inplace;
    }
    /// <inheritdoc />
    public override Tensor forward(Tensor tensor) => F.dropout(tensor, _p, training, _inplace);
}

/// <summary>Flattens dimensions start_dim..end_dim.</summary>
public sealed class Flatten : torch.nn.Module<Tensor, Tensor>
{
    private readonly long _start, _end;
    internal Flatten(long start_dim, long end_dim) : base(nameof(Flatten)) { _start = start_dim; _end = end_dim; }
    /// <inheritdoc />
    public override Tensor forward(Tensor tensor) => tensor.flatten(_start, _end);
}

/// <summary>Upsamples 4-D input by size or scale factor.</summary>
public sealed class Upsample : torch.nn.Module<Tensor, Tensor>
{
    private readonly long[]? _size;
    private readonly double[]? _scale;
    private readonly UpsampleMode _mode;
    private readonly bool _alignCorners;

    internal Upsample(long[]? size, double[]? scale_factor, UpsampleMode mode, bool? align_corners) : base(nameof(Upsample))
    {
        _size = size;
        _scale = scale_factor;
        _mode = mode;
        _alignCorners = align_corners ?? false;
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor tensor) => F.upsample(tensor, _size, _scale, _mode, _alignCorners);
}

/// <summary>2-D max pooling.</summary>
internal sealed class MaxPool2d : torch.nn.Module<Tensor, Tensor>
{
    private readonly long[] _kernel;
    private readonly long[]? _stride;
    private readonly long[]? _padding;
    internal MaxPool2d(long[] kernel, long[]? stride, long[]? padding) : base(nameof(MaxPool2d)) { _kernel = kernel; _stride = stride; _padding = padding; }
    /// <inheritdoc />
    public override Tensor forward(Tensor tensor) => F.max_pool2d(tensor, _kernel, _stride, _padding);
}

/// <summary>A lookup table of learned vectors.</summary>
public sealed class Embedding : torch.nn.Module<Tensor, Tensor>
{
    /// <summary>The table, of shape (num_embeddings, embedding_dims).</summary>
    public Parameter weight;
    internal Embedding(long num_embeddings, long embedding_dims, Device? device, ScalarType? dtype) : base(nameof(Embedding))
    {
        CheckDevice(device);
        using (no_grad()) weight = new Parameter(empty([num_embeddings, embedding_dims], dtype).normal_());
        RegisterComponents();
    }
    /// <inheritdoc />
    public override Tensor forward(Tensor input) => F.embedding(input, weight);
}
}

namespace TorchSharp
{
using TorchSharp.Modules;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>x·sigmoid(x).</summary>
        public static SiLU SiLU() => new(false);
        /// <summary>x·sigmoid(x), optionally in place.</summary>
        public static SiLU SiLU(bool inplace) => new(inplace);
        /// <summary>max(x, 0).</summary>
        public static ReLU ReLU(bool inplace = false) => new(inplace);
        /// <summary>The identity.</summary>
        public static Identity Identity() => new();
        /// <summary>Dropout with probability p.</summary>
        public static Dropout Dropout(double p = 0.5, bool inplace = false) => new(p, inplace);
        /// <summary>Flattens dimensions start_dim..end_dim.</summary>
        public static Flatten Flatten(long start_dim = 1, long end_dim = -1) => new(start_dim, end_dim);
        /// <summary>Upsampling by size or scale factor.</summary>
        public static Upsample Upsample(long[]? size = null, double[]? scale_factor = null, UpsampleMode mode = UpsampleMode.Nearest, bool? align_corners = null, bool? recompute_scale_factor = null)
            => new(size, scale_factor, mode, align_corners);
        /// <summary>2-D max pooling with a square kernel.</summary>
        internal static MaxPool2d MaxPool2d(long kernel_size, long? stride = null, long? padding = null)
            => new([kernel_size, kernel_size], stride is null ? null : [stride.Value, stride.Value], padding is null ? null : [padding.Value, padding.Value]);
        /// <summary>A lookup table of learned vectors.</summary>
        public static Embedding Embedding(long num_embeddings, long embedding_dims, long? padding_idx = null, double? max_norm = null, double norm_type = 2.0, bool scale_grad_by_freq = false, bool sparse = false, Device? device = null, ScalarType? dtype = null)
            => new(num_embeddings, embedding_dims, device, dtype);
    }
}
}
