namespace Microsoft.ML.Diffusion;

public sealed partial class DiffusionEstimator
{
    private static void ValidateCheckpointOptions(Options o)
    {
        var violation = (o.CheckpointEverySteps is int steps ? Violation.AtLeast(nameof(o.CheckpointEverySteps), steps, 1, " (or null for no step interval)") : null)
            ?? (o.CheckpointEveryMinutes is double minutes ? Violation.Finite(nameof(o.CheckpointEveryMinutes), minutes, m => m > 0, "> 0, or null for no time interval") : null)
            ?? Violation.AtLeast(nameof(o.CheckpointsToKeep), o.CheckpointsToKeep, 1);
        if (violation is not null) throw violation.ForOption();
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
