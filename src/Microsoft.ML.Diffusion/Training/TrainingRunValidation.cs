using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Diffusion;

/// <summary>
/// The checks both estimators make of their training-run options (stopping limits, logging, device, checkpoints and
/// resume): as the estimator is created, and, for what needs the file system, at the start of Fit before the data is read.
/// </summary>
internal static class TrainingRunValidation
{
    public static void Validate(TrainingRunSettings o, string device)
    {
        var violation = Stopping(o)
            ?? Violation.AtLeast(nameof(o.LogEveryNSteps), o.LogEveryNSteps, 0, " (0 writes no progress lines)")
            ?? DeviceForm(device);
        if (violation is not null) throw violation.ForOption();
        if (o.MaxSteps is null && o.MaxEpochs is null && o.TrainingTime is null)
            throw new ArgumentException("Set at least one of MaxSteps, MaxEpochs and TrainingTime, or training would never stop.", nameof(o.MaxEpochs));
        ValidateCheckpointOptions(o);
    }

    // What needs the file system, checked at the start of Fit, before the data is read.
    public static void CheckBeforeReading(TrainingRunSettings o)
    {
        if (o.CheckpointFolder is string folder) CheckCheckpointFolder(folder);
        if (o.ResumeFrom is string from && Directory.Exists(from))
            throw new Violation(nameof(o.ResumeFrom), $"is '{from}', which is a folder",
                "it must name a checkpoint file (checkpoint-{step}.zip); to resume from the newest checkpoint of a folder, set CheckpointFolder and ResumeFromLatest",
                Range: false).ForOption();
        // A missing file would otherwise be found only after the data is read, which can take minutes.
        if (o.ResumeFrom is string file && !File.Exists(file))
            throw new FileNotFoundException($"Option 'ResumeFrom' is '{file}', which does not exist; it must name a checkpoint file (checkpoint-{{step}}.zip).", file);
    }

    // A limit that is reached before the first step would return an untrained model.
    public static Violation? Stopping(TrainingRunSettings o) =>
        (o.MaxSteps is int steps ? Violation.AtLeast(nameof(o.MaxSteps), steps, 1, " (or null for no step limit)") : null)
        ?? (o.MaxEpochs is int epochs ? Violation.AtLeast(nameof(o.MaxEpochs), epochs, 1, " (or null for no epoch limit)") : null)
        ?? (o.TrainingTime is TimeSpan time && time <= TimeSpan.Zero
            ? new Violation(nameof(o.TrainingTime), $"is {time}", "it must be positive, or null for no time limit")
            : null);

    public static Violation? DeviceForm(string? name)
    {
        const string rule = "it must be \"cpu\", \"cuda\" or \"cuda:N\" with N a device index, such as \"cuda:0\"";
        if (name is null) return new(nameof(DiffusionEstimator.Options.Device), "is null", rule, Range: false);
        try
        {
            _ = new torch.Device(name);
            return null;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
        {
            return new(nameof(DiffusionEstimator.Options.Device), $"is '{name}'", rule, Range: false);
        }
    }

    private static void CheckCheckpointFolder(string folder)
    {
        const string rule = "it must be a folder (created if missing) that this process can write";
        if (File.Exists(folder)) throw new Violation(nameof(DiffusionEstimator.Options.CheckpointFolder), $"is '{folder}', which is a file", rule, Range: false).ForOption();
        string probe = Path.Combine(folder, $"{AtomicFile.TemporaryPrefix}write-probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(folder);
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            var violation = new Violation(nameof(DiffusionEstimator.Options.CheckpointFolder), $"is '{folder}', which cannot be written ({e.Message})", rule);
            throw new ArgumentException("Option " + violation.Text, violation.Name, e);
        }
    }

    private static void ValidateCheckpointOptions(TrainingRunSettings o)
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
    public static void CheckDevice(string name)
    {
        var device = new Device(name);
        if (device.type == DeviceType.CPU) return;
        if (device.type == DeviceType.CUDA && cuda.is_available()) return;
        throw new NotSupportedException(
            $"Device '{name}' is not available: the application runs a CPU-only libtorch (TorchSharp-cpu; torch.cuda.is_available() is false). " +
            "A GPU machine needs the TorchSharp-cuda-linux (or TorchSharp-cuda-windows) package in place of TorchSharp-cpu; here, set Options.Device to \"cpu\".");
    }
}
