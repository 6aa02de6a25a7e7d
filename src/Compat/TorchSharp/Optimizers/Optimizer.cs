using TorchSharp.Modules;

namespace TorchSharp
{

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
            protected IList<ParamGroup> _parameter_groups = new List<ParamGroup>();
            private bool _disposed;

            /// <summary>
            /// Creates an optimizer. Upstream passes the handle of a native optimizer here; every optimizer of
            /// this subset is managed, so the handle must be <see cref="IntPtr.Zero"/>.
            /// </summary>
            protected Optimizer(IntPtr handle)
            {
                if (handle != IntPtr.Zero)
                    throw new NotSupportedException("Native optimizers are not part of this TorchSharp subset; pass IntPtr.Zero.");
            }

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

    }
}
}

namespace TorchSharp.Modules
{
    /// <summary>A set of parameters sharing hyper-parameters (upstream's <c>TorchSharp.Modules.ParamGroup</c>).</summary>
    public class ParamGroup : torch.optim.ILearningRateController
    {
        private IEnumerable<Parameter> _parameters = Array.Empty<Parameter>();

        /// <summary>Creates an empty group.</summary>
        public ParamGroup() { }

        internal ParamGroup(IEnumerable<Parameter> parameters, double lr)
        {
            Parameters = parameters;
            LearningRate = InitialLearningRate = lr;
        }

        /// <summary>The parameters (copied into a list when set).</summary>
        public IEnumerable<Parameter> Parameters { get => _parameters; set => _parameters = value.ToList(); }
        /// <inheritdoc />
        public double LearningRate { get; set; }
        /// <inheritdoc />
        public double InitialLearningRate { get; set; }
    }

    /// <summary>
    /// Base of the managed optimizers, as upstream's <c>OptimizerHelper</c>: it adds saving and loading of the
    /// optimizer state. The byte format is this subset's own (upstream's is TorchSharp-internal too).
    /// </summary>
    public abstract class OptimizerHelper : torch.optim.Optimizer
    {
        /// <summary>Creates a managed optimizer.</summary>
        public OptimizerHelper() : base(IntPtr.Zero) { }

        /// <summary>Saves the optimizer state to a file.</summary>
        public void save_state_dict(string location)
        {
            using var writer = new BinaryWriter(File.Create(location));
            save_state_dict(writer);
        }

        /// <summary>Loads optimizer state saved by <see cref="save_state_dict(string)"/> for the same parameters.</summary>
        public void load_state_dict(string location)
        {
            using var reader = new BinaryReader(File.OpenRead(location));
            load_state_dict(reader);
        }

        /// <summary>Writes the optimizer state.</summary>
        public void save_state_dict(BinaryWriter writer) => SaveState(writer);

        /// <summary>Reads optimizer state written by <see cref="save_state_dict(BinaryWriter)"/> for the same parameters.</summary>
        public void load_state_dict(BinaryReader reader) => LoadState(reader);

        internal virtual void SaveState(BinaryWriter writer)
            => throw new NotSupportedException($"{GetType().Name} cannot save its state in this TorchSharp subset.");

        internal virtual void LoadState(BinaryReader reader)
            => throw new NotSupportedException($"{GetType().Name} cannot load its state in this TorchSharp subset.");
    }
}
