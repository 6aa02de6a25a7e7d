namespace TorchSharp;

public static partial class torch
{
    public static partial class optim
    {
        /// <summary>Learning-rate schedules.</summary>
        public static class lr_scheduler
        {
            /// <summary>A learning-rate schedule over steps (or epochs).</summary>
            public abstract class LRScheduler
            {
                // Internal, as upstream keeps them.
                internal readonly Optimizer _optimizer;
                internal int _last_epoch;

                /// <summary>Creates a schedule; derived schedules take their first step in their constructor, as PyTorch's do.</summary>
                protected LRScheduler(Optimizer optimizer, int last_epoch = -1, bool verbose = false)
                {
                    _optimizer = optimizer;
                    _last_epoch = last_epoch;
                    foreach (var g in optimizer.ParamGroups) if (last_epoch == -1) g.InitialLearningRate = g.LearningRate;
                }

                /// <summary>Advances one step and sets the new learning rates.</summary>
                public virtual void step()
                {
                    _last_epoch++;
                    var rates = get_lr().ToList();
                    int k = 0;
                    foreach (var g in _optimizer.ParamGroups) g.LearningRate = rates[k++];
                }

                /// <summary>Moves to a given step and sets its learning rates.</summary>
                public virtual void step(int? epoch)
                {
                    if (epoch is null) { step(); return; }
                    _last_epoch = epoch.Value - 1;
                    step();
                }

                /// <summary>The learning rates last set.</summary>
                public IEnumerable<double> get_last_lr() => _optimizer.ParamGroups.Select(g => g.LearningRate);

                /// <summary>The learning rates for step <c>_last_epoch</c> (by default, the current ones).</summary>
                protected virtual IEnumerable<double> get_lr() => _optimizer.ParamGroups.Select(g => g.LearningRate);
            }

            private sealed class LambdaLRImpl : LRScheduler
            {
                private readonly Func<int, double> _lambda;
                public LambdaLRImpl(Optimizer optimizer, Func<int, double> lr_lambda, int last_epoch, bool verbose) : base(optimizer, last_epoch, verbose)
                {
                    _lambda = lr_lambda;
                    step();
                }
                protected override IEnumerable<double> get_lr() => _optimizer.ParamGroups.Select(g => g.InitialLearningRate * _lambda(_last_epoch));
            }

            private sealed class LinearLRImpl : LRScheduler
            {
                private readonly double _start, _end;
                private readonly int _total;
                public LinearLRImpl(Optimizer optimizer, double start, double end, int total, int last_epoch, bool verbose) : base(optimizer, last_epoch, verbose)
                {
                    if (start is <= 0 or > 1) throw new ArgumentOutOfRangeException(nameof(start), start, "start_factor must be in (0, 1].");
                    if (end is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(end), end, "end_factor must be in [0, 1].");
                    (_start, _end, _total) = (start, end, total);
                    step();
                }
                protected override IEnumerable<double> get_lr()
                {
                    double t = Math.Min(_last_epoch, _total) / (double)Math.Max(1, _total);
                    double factor = _start + (_end - _start) * t;
                    return _optimizer.ParamGroups.Select(g => g.InitialLearningRate * factor);
                }
            }

            /// <summary>lr = initial_lr · lr_lambda(step).</summary>
            public static LRScheduler LambdaLR(Optimizer optimizer, Func<int, double> lr_lambda, int last_epoch = -1, bool verbose = false)
                => new LambdaLRImpl(optimizer, lr_lambda, last_epoch, verbose);

            /// <summary>The factor moves linearly from start_factor to end_factor over total_iters steps.</summary>
            public static LRScheduler LinearLR(Optimizer optimizer, double start_factor = 1.0 / 3, double end_factor = 1.0, int total_iters = 5, int last_epoch = -1, bool verbose = false)
                => new LinearLRImpl(optimizer, start_factor, end_factor, total_iters, last_epoch, verbose);
        }
    }
}
