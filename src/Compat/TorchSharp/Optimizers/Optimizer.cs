using TorchSharp.Modules;

namespace TorchSharp;

public static partial class torch
{
    /// <summary>Optimizers and learning-rate schedulers (PyTorch's <c>torch.optim</c>).</summary>
    public static partial class optim
    {
        /// <summary>A parameter group whose learning rate a scheduler can set.</summary>
        public interface ILearningRateController
        {
            /// <summary>The current learning rate.</summary>
            double LearningRate { get; set; }
            /// <summary>The learning rate the group started with.</summary>
            double InitialLearningRate { get; set; }
        }

        /// <summary>
        /// Base of the managed optimizers. Updates run under <c>no_grad</c> with in-place tensor ops;
        /// per-parameter state lives in managed objects and is never in a dispose scope.
        /// </summary>
        public abstract partial class Optimizer : IDisposable
        {
            /// <summary>The parameter groups.</summary>
            protected readonly List<ParamGroup> _parameter_groups = new();
            private bool _disposed;

            /// <summary>The parameter groups, as learning-rate controllers.</summary>
            public virtual IEnumerable<ILearningRateController> ParamGroups => _parameter_groups;

            /// <summary>Performs one optimisation step; the closure, if given, recomputes the loss.</summary>
            public abstract Tensor? step(Func<Tensor>? closure = null);

            /// <summary>Zeroes the gradient of every parameter (the gradients stay allocated).</summary>
            public virtual void zero_grad()
            {
                foreach (var p in parameters())
                {
                    using var g = p.grad;
                    g?.zero_();
                }
            }

            /// <summary>All parameters of all groups.</summary>
            public virtual IEnumerable<Parameter> parameters() => _parameter_groups.SelectMany(g => g.Parameters);

            /// <summary>Adds a parameter group.</summary>
            public virtual void add_param_group(ParamGroup param_group) => _parameter_groups.Add(param_group);

            /// <summary>Releases the optimizer state.</summary>
            public void Dispose()
            {
                if (_disposed) return;
                _disposed = true;
                Dispose(true);
                GC.SuppressFinalize(this);
            }

            /// <summary>Releases per-parameter state tensors.</summary>
            protected virtual void Dispose(bool disposing) { }
        }

        /// <summary>A set of parameters sharing hyper-parameters.</summary>
        public class ParamGroup : ILearningRateController
        {
            /// <summary>Creates a group.</summary>
            public ParamGroup(IEnumerable<Parameter> parameters, double lr)
            {
                Parameters = parameters.ToList();
                LearningRate = InitialLearningRate = lr;
            }

            /// <summary>The parameters.</summary>
            public IList<Parameter> Parameters { get; }
            /// <inheritdoc />
            public double LearningRate { get; set; }
            /// <inheritdoc />
            public double InitialLearningRate { get; set; }
        }
    }
}
