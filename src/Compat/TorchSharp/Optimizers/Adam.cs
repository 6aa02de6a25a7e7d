using static TorchSharp.torch;

namespace TorchSharp.Modules
{
    /// <summary>
    /// Adam (Kingma and Ba), with optional L2 weight decay, AMSGrad and maximisation. <see cref="AdamW"/>
    /// differs only in decoupling the weight decay (Loshchilov and Hutter).
    /// </summary>
    public class Adam : OptimizerHelper
    {
        private readonly Dictionary<Parameter, AdamState> _state = new(ReferenceEqualityComparer.Instance);
        private protected bool _decoupled;

        internal Adam(IEnumerable<Parameter> parameters, double lr, double beta1, double beta2, double eps, double weight_decay, bool amsgrad, bool maximize)
        {
            if (lr < 0) throw new ArgumentOutOfRangeException(nameof(lr), lr, "The learning rate must be non-negative.");
            if (beta1 is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "beta1 must be in [0, 1).");
            if (beta2 is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "beta2 must be in [0, 1).");
            if (eps < 0) throw new ArgumentOutOfRangeException(nameof(eps), eps, "eps must be non-negative.");
            if (weight_decay < 0) throw new ArgumentOutOfRangeException(nameof(weight_decay), weight_decay, "weight_decay must be non-negative.");
            add_param_group(new ParamGroup(parameters, lr, beta1, beta2, eps, weight_decay, amsgrad, maximize));
        }

        /// <summary>Adam's per-group hyper-parameters.</summary>
        public class ParamGroup : Modules.ParamGroup
        {
            /// <summary>Creates a group.</summary>
            public ParamGroup(IEnumerable<Parameter> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8,
                double weight_decay = 0, bool amsgrad = false, bool maximize = false) : base(parameters, lr)
            {
                this.beta1 = beta1; this.beta2 = beta2; this.eps = eps; this.weight_decay = weight_decay; this.amsgrad = amsgrad; this.maximize = maximize;
            }
            /// <summary>Decay of the first moment.</summary>
            internal double beta1 { get; set; }
            /// <summary>Decay of the second moment.</summary>
            internal double beta2 { get; set; }
            /// <summary>Denominator term for stability.</summary>
            internal double eps { get; set; }
            /// <summary>Weight decay.</summary>
            internal double weight_decay { get; set; }
            /// <summary>Whether to use the AMSGrad variant.</summary>
            internal bool amsgrad { get; set; }
            /// <summary>Whether to maximise instead of minimise.</summary>
            internal bool maximize { get; set; }
        }

        /// <summary>The moment estimates of one parameter.</summary>
        internal sealed class AdamState : IDisposable
        {
            /// <summary>Steps taken.</summary>
            public long step;
            /// <summary>First moment.</summary>
            public Tensor exp_avg = null!;
            /// <summary>Second moment.</summary>
            public Tensor exp_avg_sq = null!;
            /// <summary>Running maximum of the second moment (AMSGrad), or null.</summary>
            public Tensor? max_exp_avg_sq;

            /// <inheritdoc />
            public void Dispose()
            {
                exp_avg?.Dispose();
                exp_avg_sq?.Dispose();
                max_exp_avg_sq?.Dispose();
            }
        }

        /// <summary>The state of every parameter that has taken a step, in parameter order.</summary>
        internal IReadOnlyList<(Parameter parameter, AdamState? state)> State
            => parameters().Select(p => (p, _state.TryGetValue(p, out var s) ? s : null)).ToList();

        /// <inheritdoc />
        public override Tensor? step(Func<Tensor>? closure = null)
        {
            Tensor? loss = null;
            if (closure is not null)
                using (enable_grad()) loss = closure();
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            foreach (var group in _parameter_groups.Cast<ParamGroup>())
            {
                foreach (var p in group.Parameters)
                {
                    var grad = p.grad;
                    if (grad is null) continue;
                    if (group.maximize) grad = grad.neg();
                    var state = StateOf(p, group.amsgrad);
                    state.step++;
                    double lr = group.LearningRate;
                    if (group.weight_decay != 0)
                    {
                        if (_decoupled) p.mul_(1 - lr * group.weight_decay);
                        else grad = grad.add(p, group.weight_decay);
                    }
                    // m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²
                    state.exp_avg.mul_(group.beta1).add_(grad, 1 - group.beta1);
                    state.exp_avg_sq.mul_(group.beta2).addcmul_(grad, grad, 1 - group.beta2);
                    double biasCorrection1 = 1 - Math.Pow(group.beta1, state.step);
                    double biasCorrection2 = 1 - Math.Pow(group.beta2, state.step);
                    var second = state.exp_avg_sq;
                    if (group.amsgrad)
                    {
                        var max = state.max_exp_avg_sq!.maximum(state.exp_avg_sq);
                        state.max_exp_avg_sq.copy_(max);
                        second = state.max_exp_avg_sq;
                    }
                    // θ ← θ − lr/(1−β₁ᵗ) · m / (√v/√(1−β₂ᵗ) + ε)
                    var denom = second.sqrt().div_(Math.Sqrt(biasCorrection2)).add_(group.eps);
                    p.addcdiv_(state.exp_avg, denom, -lr / biasCorrection1);
                }
            }
            return loss?.MoveToOuterDisposeScope();
        }

        private AdamState StateOf(Parameter p, bool amsgrad)
        {
            if (_state.TryGetValue(p, out var s)) return s;
            s = new AdamState
            {
                exp_avg = zeros_like(p).DetachFromDisposeScope(),
                exp_avg_sq = zeros_like(p).DetachFromDisposeScope(),
                max_exp_avg_sq = amsgrad ? zeros_like(p).DetachFromDisposeScope() : null,
            };
            _state[p] = s;
            return s;
        }

        /// <summary>Writes the step counts and moments of every parameter (in parameter order) and the group learning rates.</summary>
        internal override void SaveState(BinaryWriter writer)
        {
            writer.Write(_parameter_groups.Count);
            foreach (var g in _parameter_groups) { writer.Write(g.LearningRate); writer.Write(g.InitialLearningRate); }
            var state = State;
            writer.Write(state.Count);
            foreach (var (_, s) in state)
            {
                writer.Write(s is not null);
                if (s is null) continue;
                writer.Write(s.step);
                s.exp_avg.Save(writer);
                s.exp_avg_sq.Save(writer);
                writer.Write(s.max_exp_avg_sq is not null);
                s.max_exp_avg_sq?.Save(writer);
            }
        }


        /// <summary>Restores state written by <see cref="OptimizerHelper.save_state_dict(BinaryWriter)"/> for the same parameters.</summary>
        internal override void LoadState(BinaryReader reader)
        {
            try
            {
                ReadState(reader);
            }
            catch (Exception e)
            {
                // A half-loaded state would crash the next step; leave the optimizer as if freshly created.
                foreach (var s in _state.Values) s.Dispose();
                _state.Clear();
                if (e is EndOfStreamException)
                    throw new InvalidDataException("The optimizer state ends before all of it was read (it is truncated).", e);
                throw;
            }
        }

        private void ReadState(BinaryReader reader)
        {
            int groups = reader.ReadInt32();
            if (groups != _parameter_groups.Count)
                throw new InvalidDataException($"The optimizer state has {groups} parameter groups but the optimizer has {_parameter_groups.Count}.");
            foreach (var g in _parameter_groups) { g.LearningRate = reader.ReadDouble(); g.InitialLearningRate = reader.ReadDouble(); }
            var ps = parameters().ToList();
            int count = reader.ReadInt32();
            if (count != ps.Count)
                throw new InvalidDataException($"The optimizer state has {count} parameters but the optimizer has {ps.Count}.");
            foreach (var s in _state.Values) s.Dispose();
            _state.Clear();
            foreach (var p in ps)
            {
                if (!reader.ReadBoolean()) continue;
                long step = reader.ReadInt64();
                if (step < 0) throw new InvalidDataException($"The optimizer state holds a negative step count {step}.");
                var s = new AdamState { step = step };
                _state[p] = s;
                s.exp_avg = ReadLike(reader, p);
                s.exp_avg_sq = ReadLike(reader, p);
                s.max_exp_avg_sq = reader.ReadBoolean() ? ReadLike(reader, p) : null;
            }
        }


        private static Tensor ReadLike(BinaryReader reader, Parameter p)
        {
            var t = TensorExtensionMethods.Load(reader)!.DetachFromDisposeScope();
            if (!t.shape.SequenceEqual(p.shape) || t.dtype != p.dtype)
            {
                var message = $"An optimizer moment has shape [{string.Join(", ", t.shape)}] {t.dtype} but its parameter is [{string.Join(", ", p.shape)}] {p.dtype}.";
                t.Dispose();
                throw new InvalidDataException(message);
            }
            return t;
        }

        /// <inheritdoc />
        protected override void Dispose(bool disposing)
        {
            foreach (var s in _state.Values) s.Dispose();
            _state.Clear();
        }
    }

    /// <summary>Adam with decoupled weight decay: θ ← θ·(1 − lr·λ) before the Adam update.</summary>
    public sealed class AdamW : Adam
    {
        internal AdamW(IEnumerable<Parameter> parameters, double lr, double beta1, double beta2, double eps, double weight_decay, bool amsgrad, bool maximize)
            : base(parameters, lr, beta1, beta2, eps, weight_decay, amsgrad, maximize) => _decoupled = true;
    }
}

namespace TorchSharp
{
    using TorchSharp.Modules;

    public static partial class torch
    {
        public static partial class optim
        {
            /// <summary>The Adam optimizer.</summary>
            public static Adam Adam(IEnumerable<Parameter> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8,
                double weight_decay = 0, bool amsgrad = false, bool maximize = false)
                => new(parameters, lr, beta1, beta2, eps, weight_decay, amsgrad, maximize);

            /// <summary>The AdamW optimizer. As in TorchSharp, weight_decay defaults to 0 (PyTorch's default is 1e-2).</summary>
            public static AdamW AdamW(IEnumerable<Parameter> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8,
                double weight_decay = 0, bool amsgrad = false, bool maximize = false)
                => new(parameters, lr, beta1, beta2, eps, weight_decay, amsgrad, maximize);
        }
    }
}
