using TorchSharp.PInvoke;

namespace TorchSharp;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>Stateless neural-network operations.</summary>
        public static partial class functional
        {
            private static IntPtr H(Tensor? t) => t?.Handle ?? IntPtr.Zero;

            /// <summary>x·sigmoid(x).</summary>
            public static Tensor silu(Tensor x, bool inplace = false)
            {
                if (!inplace) return x.silu();
                CheckForErrors(NativeMethods.ts_unary_((int)PInvoke.Unary.Silu, x.Handle));
                return x.alias();
            }

            /// <summary>Alias of <see cref="silu"/>.</summary>
            public static Tensor SiLU(Tensor x, bool inplace = false) => silu(x, inplace);

            /// <summary>max(x, 0).</summary>
            public static Tensor relu(Tensor x, bool inplace = false)
            {
                if (!inplace) return x.relu();
                CheckForErrors(NativeMethods.ts_unary_((int)PInvoke.Unary.Relu, x.Handle));
                return x.alias();
            }

            /// <summary>Gaussian error linear unit.</summary>
            internal static Tensor gelu(Tensor x) => x.gelu();

            /// <summary>Softmax along a dimension.</summary>
            public static Tensor softmax(Tensor input, long dim, ScalarType? dtype = null) => input.softmax(dim, dtype);

            /// <summary>Log-softmax along a dimension.</summary>
            public static Tensor log_softmax(Tensor input, long dim, ScalarType? dtype = null) => input.log_softmax(dim, dtype);

            /// <summary>y = x·Wᵀ + b.</summary>
            public static Tensor linear(Tensor input, Tensor weights, Tensor? bias = null)
                => new(Check(NativeMethods.ts_linear(input.Handle, weights.Handle, H(bias))));

            /// <summary>2-D convolution.</summary>
            public static unsafe Tensor conv2d(Tensor input, Tensor weight, Tensor? bias = null,
                long[]? strides = null, long[]? padding = null, long[]? dilation = null, long groups = 1)
            {
                long[] s = Pair(strides, 1, nameof(strides)), p = Pair(padding, 0, nameof(padding)), d = Pair(dilation, 1, nameof(dilation));
                fixed (long* ps = s) fixed (long* pp = p) fixed (long* pd = d)
                    return new(Check(NativeMethods.ts_conv2d(input.Handle, weight.Handle, H(bias), ps, pp, pd, groups)));
            }

            /// <summary>2-D transposed convolution.</summary>
            internal static unsafe Tensor conv_transpose2d(Tensor input, Tensor weight, Tensor? bias = null,
                long[]? strides = null, long[]? padding = null, long[]? output_padding = null, long[]? dilation = null, long groups = 1)
            {
                long[] s = Pair(strides, 1, nameof(strides)), p = Pair(padding, 0, nameof(padding)),
                    o = Pair(output_padding, 0, nameof(output_padding)), d = Pair(dilation, 1, nameof(dilation));
                fixed (long* ps = s) fixed (long* pp = p) fixed (long* po = o) fixed (long* pd = d)
                    return new(Check(NativeMethods.ts_conv_transpose2d(input.Handle, weight.Handle, H(bias), ps, pp, po, pd, groups)));
            }

            internal static long[] Pair(long[]? value, long fallback, string name) => value switch
            {
                null => [fallback, fallback],
                { Length: 1 } => [value[0], value[0]],
                { Length: 2 } => value,
                _ => throw new ArgumentException($"{name} takes one or two values, got {value.Length}.", name),
            };

            /// <summary>Group normalisation over channel groups.</summary>
            public static Tensor group_norm(Tensor input, long num_groups, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5)
                => new(Check(NativeMethods.ts_group_norm(input.Handle, num_groups, H(weight), H(bias), eps)));

            /// <summary>Layer normalisation over the trailing dimensions.</summary>
            public static unsafe Tensor layer_norm(Tensor input, long[] normalized_shape, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5)
            {
                fixed (long* p = normalized_shape)
                    return new(Check(NativeMethods.ts_layer_norm(input.Handle, p, normalized_shape.Length, H(weight), H(bias), eps)));
            }

            /// <summary>Zeroes elements with probability p during training, scaling the rest by 1/(1−p).</summary>
            public static Tensor dropout(Tensor input, double p = 0.5, bool training = true, bool inplace = false)
            {
                if (p < 0 || p > 1) throw new ArgumentOutOfRangeException(nameof(p), p, "The dropout probability must be in [0, 1].");
                var h = Check(NativeMethods.ts_dropout(input.Handle, p, training ? 1 : 0, inplace ? 1 : 0));
                return new Tensor(h);
            }

            /// <summary>Looks up rows of an embedding matrix.</summary>
            internal static Tensor embedding(Tensor input, Tensor weight) => new(Check(NativeMethods.ts_embedding(weight.Handle, input.Handle)));

            /// <summary>One-hot encoding of integer classes.</summary>
            public static Tensor one_hot(Tensor x, long num_classes = -1) => new(Check(NativeMethods.ts_one_hot(x.Handle, num_classes)));

            /// <summary>Resizes 4-D input by size or scale factor.</summary>
            public static unsafe Tensor interpolate(Tensor x, long[]? size = null, double[]? scale_factor = null,
                InterpolationMode mode = InterpolationMode.Nearest, bool? align_corners = null, bool recompute_scale_factor = false, bool antialias = false)
            {
                if ((size is null) == (scale_factor is null))
                    throw new ArgumentException("interpolate needs exactly one of size and scale_factor.");
                if (x.Dimensions != 4) throw new ArgumentException($"interpolate supports 4-D input (N, C, H, W), got {x.Dimensions}-D.", nameof(x));
                int m = mode switch
                {
                    InterpolationMode.Nearest => 0,
                    InterpolationMode.Bilinear => 1,
                    InterpolationMode.Bicubic => 2,
                    InterpolationMode.Area => 3,
                    _ => throw new ArgumentException($"Interpolation mode {mode} is not supported for 2-D input.", nameof(mode)),
                };
                var s = size is null ? null : Pair(size, 0, nameof(size));
                double[]? f = scale_factor switch { null => null, { Length: 1 } => [scale_factor[0], scale_factor[0]], _ => scale_factor };
                if (m == 3 && s is null)
                {
                    var shape = x.shape;
                    s = [(long)Math.Floor(shape[2] * f![0]), (long)Math.Floor(shape[3] * f[1])];
                    f = null;
                }
                fixed (long* ps = s) fixed (double* pf = f)
                    return new(Check(NativeMethods.ts_interpolate2d(x.Handle, ps, s?.Length ?? 0, pf, f?.Length ?? 0, m, align_corners == true ? 1 : 0)));
            }

            /// <summary>Upsamples 4-D input by size or scale factor.</summary>
            public static Tensor upsample(Tensor input, long[]? size = null, double[]? scale_factor = null, UpsampleMode mode = UpsampleMode.Nearest, bool align_corners = false)
                => interpolate(input, size, scale_factor, mode switch
                {
                    UpsampleMode.Nearest => InterpolationMode.Nearest,
                    UpsampleMode.Bilinear => InterpolationMode.Bilinear,
                    UpsampleMode.Bicubic => InterpolationMode.Bicubic,
                    _ => throw new ArgumentException($"Upsample mode {mode} is not supported for 2-D input.", nameof(mode)),
                }, align_corners);

            /// <summary>Pads the trailing dimensions: pad = (left, right, top, bottom, ...).</summary>
            public static unsafe Tensor pad(Tensor input, long[] pad, PaddingModes mode = PaddingModes.Constant, double value = 0)
            {
                int m = mode switch
                {
                    PaddingModes.Constant or PaddingModes.Zeros => 0,
                    PaddingModes.Reflect => 1,
                    PaddingModes.Replicate => 2,
                    PaddingModes.Circular => 3,
                    _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown padding mode."),
                };
                fixed (long* p = pad) return new(Check(NativeMethods.ts_pad(input.Handle, p, pad.Length, m, mode == PaddingModes.Zeros ? 0 : value)));
            }

            /// <summary>Pads the last two dimensions by (left, right, top, bottom).</summary>
            public static Tensor pad(Tensor input, (long, long, long, long) pad, PaddingModes mode = PaddingModes.Constant, double value = 0)
                => functional.pad(input, [pad.Item1, pad.Item2, pad.Item3, pad.Item4], mode, value);

            /// <summary>2-D max pooling.</summary>
            public static unsafe Tensor max_pool2d(Tensor input, long[] kernel_size, long[]? stride = null, long[]? padding = null, long[]? dilation = null, bool ceil_mode = false)
            {
                long[] k = Pair(kernel_size, 1, nameof(kernel_size)), s = stride is null ? k : Pair(stride, 1, nameof(stride)),
                    p = Pair(padding, 0, nameof(padding)), d = Pair(dilation, 1, nameof(dilation));
                fixed (long* pk = k) fixed (long* ps = s) fixed (long* pp = p) fixed (long* pd = d)
                    return new(Check(NativeMethods.ts_max_pool2d(input.Handle, pk, ps, pp, pd, ceil_mode ? 1 : 0)));
            }

            /// <summary>2-D average pooling.</summary>
            internal static unsafe Tensor avg_pool2d(Tensor input, long[] kernel_sizes, long[]? strides = null, long[]? paddings = null, bool ceil_mode = false, bool count_include_pad = true)
            {
                long[] k = Pair(kernel_sizes, 1, nameof(kernel_sizes)), s = strides is null ? k : Pair(strides, 1, nameof(strides)), p = Pair(paddings, 0, nameof(paddings));
                fixed (long* pk = k) fixed (long* ps = s) fixed (long* pp = p)
                    return new(Check(NativeMethods.ts_avg_pool2d(input.Handle, pk, ps, pp, ceil_mode ? 1 : 0, count_include_pad ? 1 : 0)));
            }

            /// <summary>2-D adaptive average pooling to an output size.</summary>
            public static unsafe Tensor adaptive_avg_pool2d(Tensor input, long[] output_size)
            {
                var s = Pair(output_size, 1, nameof(output_size));
                fixed (long* p = s) return new(Check(NativeMethods.ts_adaptive_avg_pool2d(input.Handle, p)));
            }

            /// <summary>Mean squared error.</summary>
            public static Tensor mse_loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean)
                => new(Check(NativeMethods.ts_mse_loss(input.Handle, target.Handle, (long)reduction)));

            /// <summary>Mean absolute error.</summary>
            public static Tensor l1_loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean)
                => new(Check(NativeMethods.ts_l1_loss(input.Handle, target.Handle, (long)reduction)));

            /// <summary>Cross entropy between logits and class indices.</summary>
            public static Tensor cross_entropy(Tensor input, Tensor target, Tensor? weight = null, long ignore_index = -100, Reduction reduction = Reduction.Mean, double label_smoothing = 0.0)
                => new(Check(NativeMethods.ts_cross_entropy(input.Handle, target.Handle, H(weight), (long)reduction, ignore_index, label_smoothing)));

            /// <summary>Negative log likelihood of log-probabilities at class indices.</summary>
            public static Tensor nll_loss(Tensor input, Tensor target, Tensor? weight = null, Reduction reduction = Reduction.Mean)
                => new(Check(NativeMethods.ts_nll_loss(input.Handle, target.Handle, H(weight), (long)reduction, -100)));
        }
    }
}
