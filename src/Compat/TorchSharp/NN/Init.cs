namespace TorchSharp
{

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>In-place parameter initialisers. Each runs without recording autograd history and returns its tensor.</summary>
        public static class init
        {
            /// <summary>Which fan a Kaiming initialiser preserves.</summary>
            public enum FanInOut
            {
                /// <summary>The input fan (forward variance).</summary>
                FanIn = 0,
                /// <summary>The output fan (backward variance).</summary>
                FanOut = 1,
            }

            /// <summary>The non-linearity whose gain an initialiser uses.</summary>
            public enum NonlinearityType
            {
                /// <summary>Linear (gain 1).</summary>
                Linear = 0,
                /// <summary>Convolution (gain 1).</summary>
                Conv1D = 1,
                /// <summary>Convolution (gain 1).</summary>
                Conv2D = 2,
                /// <summary>Convolution (gain 1).</summary>
                Conv3D = 3,
                /// <summary>Transposed convolution (gain 1).</summary>
                ConvTranspose1D = 4,
                /// <summary>Transposed convolution (gain 1).</summary>
                ConvTranspose2D = 5,
                /// <summary>Transposed convolution (gain 1).</summary>
                ConvTranspose3D = 6,
                /// <summary>Sigmoid (gain 1).</summary>
                Sigmoid = 7,
                /// <summary>Tanh (gain 5/3).</summary>
                Tanh = 8,
                /// <summary>ReLU (gain √2).</summary>
                ReLU = 9,
                /// <summary>Leaky ReLU (gain √(2/(1+a²))).</summary>
                LeakyReLU = 10,
            }

            /// <summary>The recommended gain for a non-linearity.</summary>
            public static double calculate_gain(NonlinearityType nonlinearity, double param = 0.0) => nonlinearity switch
            {
                NonlinearityType.Tanh => 5.0 / 3,
                NonlinearityType.ReLU => Math.Sqrt(2.0),
                NonlinearityType.LeakyReLU => Math.Sqrt(2.0 / (1 + param * param)),
                _ => 1.0,
            };

            /// <summary>Fills with zeros.</summary>
            public static Tensor zeros_(Tensor tensor) { using (no_grad()) tensor.zero_(); return tensor; }
            /// <summary>Fills with ones.</summary>
            public static Tensor ones_(Tensor tensor) { using (no_grad()) tensor.fill_(1); return tensor; }
            /// <summary>Fills with a constant.</summary>
            public static Tensor constant_(Tensor tensor, Scalar val) { using (no_grad()) tensor.fill_(val); return tensor; }
            /// <summary>Fills with samples from U(low, high).</summary>
            public static Tensor uniform_(Tensor tensor, double low = 0, double high = 1, Generator? generator = null) => tensor.uniform_(low, high, generator);
            /// <summary>Fills with samples from N(mean, std²).</summary>
            public static Tensor normal_(Tensor tensor, double mean = 0, double std = 1, Generator? generator = null) => tensor.normal_(mean, std, generator);

            /// <summary>Kaiming (He) uniform initialisation.</summary>
            public static Tensor kaiming_uniform_(Tensor tensor, double a = 0, FanInOut mode = FanInOut.FanIn, NonlinearityType nonlinearity = NonlinearityType.LeakyReLU)
            {
                var std = calculate_gain(nonlinearity, a) / Math.Sqrt(Fan(tensor, mode));
                var bound = Math.Sqrt(3.0) * std;
                return tensor.uniform_(-bound, bound);
            }

            /// <summary>Kaiming (He) normal initialisation.</summary>
            public static Tensor kaiming_normal_(Tensor tensor, double a = 0, FanInOut mode = FanInOut.FanIn, NonlinearityType nonlinearity = NonlinearityType.LeakyReLU)
                => tensor.normal_(0, calculate_gain(nonlinearity, a) / Math.Sqrt(Fan(tensor, mode)));

            /// <summary>Xavier (Glorot) uniform initialisation.</summary>
            public static Tensor xavier_uniform_(Tensor tensor, double gain = 1.0)
            {
                var (fanIn, fanOut) = Fans(tensor);
                var bound = gain * Math.Sqrt(6.0 / (fanIn + fanOut));
                return tensor.uniform_(-bound, bound);
            }

            /// <summary>Xavier (Glorot) normal initialisation.</summary>
            public static Tensor xavier_normal_(Tensor tensor, double gain = 1.0)
            {
                var (fanIn, fanOut) = Fans(tensor);
                return tensor.normal_(0, gain * Math.Sqrt(2.0 / (fanIn + fanOut)));
            }

            private static double Fan(Tensor tensor, FanInOut mode)
            {
                var (fanIn, fanOut) = Fans(tensor);
                return mode == FanInOut.FanIn ? fanIn : fanOut;
            }

            private static (long fanIn, long fanOut) Fans(Tensor tensor)
            {
                var s = tensor.shape;
                if (s.Length < 2) throw new ArgumentException($"Fan in and fan out need at least 2 dimensions, got {s.Length}.", nameof(tensor));
                long receptive = 1;
                for (int k = 2; k < s.Length; k++) receptive *= s[k];
                return (s[1] * receptive, s[0] * receptive);
            }
        }

        /// <summary>Training utilities.</summary>
        public static class utils
        {
            /// <summary>
            /// Scales all gradients so that their global norm is at most <paramref name="max_norm"/>;
            /// returns the norm before clipping.
            /// </summary>
            public static double clip_grad_norm_(IEnumerable<Modules.Parameter> tensors, double max_norm, double norm_type = 2.0)
            {
                using var scope = NewDisposeScope();
                var grads = tensors.Select(p => p.grad).Where(g => g is not null).Select(g => g!).ToList();
                if (grads.Count == 0) return 0.0;
                double total;
                if (double.IsPositiveInfinity(norm_type))
                {
                    total = grads.Max(g => g.abs().max().ToDouble());
                }
                else
                {
                    var norms = stack(grads.Select(g => g.norm((float)norm_type)));
                    total = norms.norm((float)norm_type).ToDouble();
                }
                double coef = max_norm / (total + 1e-6);
                if (coef < 1)
                    using (no_grad())
                        foreach (var g in grads) g.mul_(coef);
                return total;
            }

            /// <summary>Clamps every gradient element into [−clip_value, clip_value].</summary>
            public static void clip_grad_value_(IEnumerable<Modules.Parameter> tensors, double clip_value)
            {
                using var scope = NewDisposeScope();
                using var _ = no_grad();
                foreach (var p in tensors) p.grad?.clamp_(-clip_value, clip_value);
            }
        }

        /// <summary>Mean squared error loss.</summary>
        public static Modules.MSELoss MSELoss(Reduction reduction = Reduction.Mean) => new(reduction);
    }
}
}

namespace TorchSharp.Modules
{
    /// <summary>Mean squared error loss.</summary>
    public sealed class MSELoss : torch.nn.Module<torch.Tensor, torch.Tensor, torch.Tensor>
    {
        private readonly torch.nn.Reduction _reduction;
        internal MSELoss(torch.nn.Reduction reduction) : base(nameof(MSELoss)) => _reduction = reduction;
        /// <inheritdoc />
        public override torch.Tensor forward(torch.Tensor input, torch.Tensor target) => torch.nn.functional.mse_loss(input, target, _reduction);
    }
}
