namespace Microsoft.ML.Diffusion;

public sealed partial class DiffusionEstimator
{
    private static void ValidateCheckpointOptions(Options o)
    {
        if (o.CheckpointEverySteps is int steps && steps < 1)
            throw new ArgumentOutOfRangeException(nameof(o.CheckpointEverySteps), steps, "CheckpointEverySteps must be positive (or null for no step interval).");
        if (o.CheckpointEveryMinutes is double minutes && !(minutes > 0 && double.IsFinite(minutes)))
            throw new ArgumentOutOfRangeException(nameof(o.CheckpointEveryMinutes), minutes, "CheckpointEveryMinutes must be positive and finite (or null for no time interval).");
        if (o.CheckpointsToKeep < 1)
            throw new ArgumentOutOfRangeException(nameof(o.CheckpointsToKeep), o.CheckpointsToKeep, "CheckpointsToKeep must be at least 1.");
        if (o.CheckpointFolder is null && (o.CheckpointEverySteps is not null || o.CheckpointEveryMinutes is not null))
            throw new ArgumentException("CheckpointEverySteps and CheckpointEveryMinutes need CheckpointFolder to say where checkpoints go.", nameof(o.CheckpointFolder));
        if (o.CheckpointFolder is null && o.ResumeFromLatest)
            throw new ArgumentException("ResumeFromLatest needs CheckpointFolder, the folder to resume from.", nameof(o.CheckpointFolder));
        if (o.CheckpointFolder is string folder && string.IsNullOrWhiteSpace(folder))
            throw new ArgumentOutOfRangeException(nameof(o.CheckpointFolder), "CheckpointFolder cannot be empty (use null for no checkpoints).");
        if (o.ResumeFrom is string from && string.IsNullOrWhiteSpace(from))
            throw new ArgumentOutOfRangeException(nameof(o.ResumeFrom), "ResumeFrom cannot be empty (use null to start a new run).");
    }
}
