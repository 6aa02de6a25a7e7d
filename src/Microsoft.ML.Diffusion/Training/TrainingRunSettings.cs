using System.Text.Json.Nodes;

namespace Microsoft.ML.Diffusion;

/// <summary>
/// What the shared training loop and its checkpoints need from an estimator's options (diffusion or VAE): batching,
/// learning-rate warmup, stopping limits, reporting, checkpoints and resume, and the options as a checkpoint records them.
/// </summary>
internal sealed record TrainingRunSettings(
    int BatchSize,
    double LearningRate,
    int WarmupSteps,
    int? MaxSteps,
    int? MaxEpochs,
    TimeSpan? TrainingTime,
    int LogEveryNSteps,
    IProgress<DiffusionTrainingProgress>? Progress,
    CancellationToken CancellationToken,
    string? CheckpointFolder,
    int? CheckpointEverySteps,
    double? CheckpointEveryMinutes,
    int CheckpointsToKeep,
    bool ResumeFromLatest,
    string? ResumeFrom,
    string InputColumnName,
    string? LabelColumnName,
    Lazy<JsonObject> Snapshot,
    IReadOnlyList<string> MustMatch)
{
    public static TrainingRunSettings From(DiffusionEstimator.Options o) => new(o.BatchSize, o.LearningRate, o.WarmupSteps, o.MaxSteps, o.MaxEpochs,
        o.TrainingTime, o.LogEveryNSteps, o.Progress, o.CancellationToken, o.CheckpointFolder, o.CheckpointEverySteps, o.CheckpointEveryMinutes,
        o.CheckpointsToKeep, o.ResumeFromLatest, o.ResumeFrom, o.InputColumnName, o.LabelColumnName, new(() => CheckpointOptions.Snapshot(o)), CheckpointOptions.DiffusionMustMatch);

    public static TrainingRunSettings From(VariationalAutoencoderEstimator.Options o) => new(o.BatchSize, o.LearningRate, o.WarmupSteps, o.MaxSteps, o.MaxEpochs,
        o.TrainingTime, o.LogEveryNSteps, o.Progress, o.CancellationToken, o.CheckpointFolder, o.CheckpointEverySteps, o.CheckpointEveryMinutes,
        o.CheckpointsToKeep, o.ResumeFromLatest, o.ResumeFrom, o.InputColumnName, null, new(() => CheckpointOptions.Snapshot(o)), CheckpointOptions.VaeMustMatch);
}
