
namespace Microsoft.ML.Diffusion.Experiments;

/// <summary>A diffusion trial's result: the AutoML fields plus what the trial trained.</summary>
public sealed class DiffusionTrialResult : TrialResult
{
    /// <summary>The options the trial trained with.</summary>
    public DiffusionEstimator.Options Options { get; init; } = new();

    /// <summary>Steps the configuration has trained for, counting earlier rungs it resumed from.</summary>
    public long TrainedSteps { get; init; }

    /// <summary>Wall-clock seconds the configuration has spent training (Fit), counting earlier rungs.</summary>
    public double TrainingSeconds { get; init; }
}
