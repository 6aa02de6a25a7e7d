// AutoML's experiment shapes (Microsoft.ML.AutoML is not served), kept so that an adapter to it stays a small step.

namespace Microsoft.ML.Diffusion.Experiments;

/// <summary>Trains and evaluates one trial.</summary>
public interface ITrialRunner : IDisposable
{
    /// <summary>Runs the trial; stop early when <paramref name="ct"/> is cancelled (by throwing <see cref="OperationCanceledException"/>).</summary>
    Task<TrialResult> RunAsync(TrialSettings settings, CancellationToken ct);
}
