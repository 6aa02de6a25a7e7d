using System.Text.Json.Nodes;

namespace Microsoft.ML.Diffusion;

/// <summary>
/// The trainer's view of checkpointing: whether to resume and from what, when a checkpoint is due, and writing
/// it. One instance per training run.
/// </summary>
internal sealed class TrainingCheckpoints
{
    private readonly TrainingRunSettings _options;
    private readonly CheckpointStore? _store;
    private readonly JsonObject _snapshot;
    private readonly long _images;
    private readonly int _seed;
    private readonly Action<string> _log;
    private long _lastStep = -1;
    private TimeSpan _lastTime;

    public TrainingCheckpoints(TrainingRunSettings options, long images, int seed, Action<string> log)
    {
        _options = options;
        _images = images;
        _seed = seed;
        _log = log;
        _snapshot = options.Snapshot.Value;
        if (options.CheckpointFolder is string folder)
        {
            _store = new CheckpointStore(folder, options.CheckpointsToKeep, log);
            _store.RemoveInterruptedWrites();
        }
    }

    /// <summary>The checkpoint to resume from, checked against this run's options and data; null to start afresh.</summary>
    public TrainingCheckpoint? OpenResume(NetworkShape network)
    {
        TrainingCheckpoint? checkpoint;
        if (_options.ResumeFrom is string path)
        {
            if (!File.Exists(path)) throw new FileNotFoundException($"Options.ResumeFrom names '{path}', which does not exist.", path);
            checkpoint = TrainingCheckpoint.Read(path);
        }
        else if (_options.ResumeFromLatest && _store is not null)
        {
            checkpoint = _store.ReadLatest();
            if (checkpoint is null) _log($"No checkpoint to resume from in '{_store.Folder}'; starting a new run.");
        }
        else
        {
            return null;
        }
        if (checkpoint is null) return null;
        try
        {
            RequireSameKind(checkpoint, network);
            CheckpointOptions.RequireCompatible(checkpoint.Options, _options, checkpoint.Source);
            RequireSameData(checkpoint, network);
        }
        catch
        {
            checkpoint.Dispose();
            throw;
        }
        _lastStep = checkpoint.Manifest.Step;
        _log($"Resuming from '{checkpoint.Source}' at step {checkpoint.Manifest.Step} (epoch {checkpoint.Manifest.Epoch}).");
        return checkpoint;
    }

    /// <summary>Writes a checkpoint if an interval has passed since the last one.</summary>
    public void AfterStep(TrainingState state, TimeSpan elapsed)
    {
        if (_store is null) return;
        bool bySteps = _options.CheckpointEverySteps is int every && state.Step % every == 0;
        bool byTime = _options.CheckpointEveryMinutes is double minutes && (elapsed - _lastTime).TotalMinutes >= minutes;
        if (bySteps || byTime) Write(state, elapsed);
    }

    /// <summary>Writes the checkpoint of a run that stopped, unless one of this step already exists.</summary>
    public void AtEnd(TrainingState state, TimeSpan elapsed)
    {
        if (_store is not null && state.Step != _lastStep) Write(state, elapsed);
    }

    private void Write(TrainingState state, TimeSpan elapsed)
    {
        var path = _store!.Write(state.Step, s => TrainingCheckpoint.Write(s, state, _snapshot, _images, _seed, elapsed));
        _lastStep = state.Step;
        _lastTime = elapsed;
        _log($"Wrote checkpoint '{path}' at step {state.Step}.");
    }

    // Checked first: the other estimator's options would otherwise be reported as a mismatch of its first option.
    private void RequireSameKind(TrainingCheckpoint checkpoint, NetworkShape current)
    {
        var saved = checkpoint.Manifest.Network;
        if (saved.IsVae != current.IsVae)
            throw new ArgumentException(
                $"Checkpoint '{checkpoint.Source}' holds a {saved.Kind}, but this run trains a {current.Kind}; resume it with the estimator that wrote it.",
                _options.ResumeFrom is null ? nameof(DiffusionEstimator.Options.CheckpointFolder) : nameof(DiffusionEstimator.Options.ResumeFrom));
    }

    private void RequireSameData(TrainingCheckpoint checkpoint, NetworkShape current)
    {
        var saved = checkpoint.Manifest.Network;
        string Shape(NetworkShape a) => $"{a.ImageChannels}×{a.ImageHeight}×{a.ImageWidth}";
        string? option = saved.ImageChannels != current.ImageChannels ? nameof(DiffusionEstimator.Options.ImageChannels)
            : saved.ImageHeight != current.ImageHeight ? nameof(DiffusionEstimator.Options.ImageHeight)
            : saved.ImageWidth != current.ImageWidth ? nameof(DiffusionEstimator.Options.ImageWidth)
            : null;
        if (saved.ClassCount != current.ClassCount)
            throw new ArgumentException(
                $"Checkpoint '{checkpoint.Source}' was made with {saved.ClassCount} classes (0: unconditional), but this run has {current.ClassCount} (LabelColumnName '{_options.LabelColumnName}'). Resume with the same labels.",
                nameof(DiffusionEstimator.Options.LabelColumnName));
        if (option is not null)
            throw new ArgumentException(
                $"Checkpoint '{checkpoint.Source}' was made on {Shape(saved)} images, but column '{_options.InputColumnName}' holds {Shape(current)} images ({option} differs). Resume on the same data.",
                option);
        if (checkpoint.Manifest.Images != _images)
            throw new ArgumentException(
                $"Checkpoint '{checkpoint.Source}' was made on {checkpoint.Manifest.Images} training images, but column '{_options.InputColumnName}' holds {_images}; its data order cannot continue. Resume on the same data.",
                nameof(DiffusionEstimator.Options.InputColumnName));
    }
}
