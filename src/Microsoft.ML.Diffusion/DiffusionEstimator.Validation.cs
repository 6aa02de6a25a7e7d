namespace Microsoft.ML.Diffusion;

public sealed partial class DiffusionEstimator
{
    // Everything the options alone decide, checked as the estimator is created, so a bad value fails where it is set
    // rather than after the data is read or the first checkpoint is due. Limits shared with the loader live in ModelBounds.
    private static void Validate(Options o)
    {
        ArgumentNullException.ThrowIfNull(o.Sampler, nameof(o.Sampler));
        var violation = Violation.NonEmpty(nameof(o.InputColumnName), o.InputColumnName)
            ?? ModelBounds.Columns(o.OutputColumnName, o.SeedColumnName, o.OutputVectorColumnName)
            ?? (o.SeedColumnName is not null && o.SeedColumnName == o.InputColumnName
                ? new Violation(nameof(o.SeedColumnName), $"is {Violation.Show(o.SeedColumnName)}", $"it must differ from InputColumnName ({Violation.Show(o.InputColumnName)}): images are not seeds", Range: false)
                : null)
            ?? Labels(o)
            ?? ModelBounds.Scaling(o.InputScale, o.InputOffset)
            ?? ImageShape(o)
            ?? ModelBounds.Network(o.BaseChannels, o.ChannelMultipliers, o.ResBlocksPerLevel, o.AttentionResolutions, o.Dropout, o.GroupNormGroups, o.TimeEmbeddingWidth)
            ?? ModelBounds.Schedule(o.Schedule, o.Timesteps, o.BetaStart, o.BetaEnd)
            ?? Violation.Defined(nameof(o.PredictionTarget), o.PredictionTarget)
            ?? Violation.Defined(nameof(o.LossWeighting), o.LossWeighting)
            ?? Violation.Finite(nameof(o.MinSnrGamma), o.MinSnrGamma, g => g > 0, "> 0")
            ?? Optimisation(o);
        if (violation is not null) throw violation.ForOption();
        TrainingRunValidation.Validate(TrainingRunSettings.From(o), o.Device);
        o.Sampler.Validate(o.Timesteps);
    }

    private static Violation? Labels(Options o)
    {
        if (Violation.NonEmpty(nameof(o.LabelColumnName), o.LabelColumnName, nullable: true) is { } name) return name;
        if (o.LabelColumnName is string label)
            foreach (var (option, other) in new[] { (nameof(o.InputColumnName), o.InputColumnName), (nameof(o.OutputColumnName), o.OutputColumnName),
                (nameof(o.SeedColumnName), o.SeedColumnName), (nameof(o.OutputVectorColumnName), o.OutputVectorColumnName) })
                if (label == other)
                    return new(nameof(o.LabelColumnName), $"is {Violation.Show(label)}", $"it must differ from {option} ({Violation.Show(other)})", Range: false);
        if (o.ClassCount is int k && Violation.Between(nameof(o.ClassCount), k, 1, ModelBounds.MaxClasses) is { } count) return count;
        return Violation.Finite(nameof(o.ConditionDropout), o.ConditionDropout, p => p is >= 0 and < 1, "in [0, 1)");
    }

    private static Violation? ImageShape(Options o)
    {
        if (o.ImageChannels is int c && c is not (1 or 3))
            return new(nameof(o.ImageChannels), $"is {c}", "it must be 1 (gray) or 3 (RGB), or null to take it from the first image");
        if (o.ImageHeight is int h && Violation.Between(nameof(o.ImageHeight), h, 1, ModelBounds.MaxImageSide) is { } height) return height;
        if (o.ImageWidth is int w && Violation.Between(nameof(o.ImageWidth), w, 1, ModelBounds.MaxImageSide) is { } width) return width;
        return null;
    }

    private static Violation? Optimisation(Options o) =>
        Violation.Defined(nameof(o.Optimizer), o.Optimizer)
        ?? Violation.Finite(nameof(o.LearningRate), o.LearningRate, r => r > 0, "> 0")
        ?? Violation.AtLeast(nameof(o.WarmupSteps), o.WarmupSteps, 0)
        ?? Violation.Finite(nameof(o.WeightDecay), o.WeightDecay, d => d >= 0, "≥ 0")
        ?? (o.GradientClipNorm is double clip ? Violation.Finite(nameof(o.GradientClipNorm), clip, c => c > 0, "> 0, or null for no clipping") : null)
        ?? Violation.Defined(nameof(o.TrainingPrecision), o.TrainingPrecision)
        ?? Violation.AtLeast(nameof(o.BatchSize), o.BatchSize, 1)
        ?? Violation.Finite(nameof(o.EmaDecay), o.EmaDecay, d => d is >= 0 and < 1, "in [0, 1)");

    // What needs the file system or the machine, checked at the start of Fit, before the data is read.
    private static void CheckBeforeReading(Options o)
    {
        CheckMemory(o);
        TrainingRunValidation.CheckBeforeReading(TrainingRunSettings.From(o));
    }

    private static void CheckMemory(Options o)
    {
        // float32 weights, EMA weights, gradients and Adam's two moments: a lower bound, as the parameter count is.
        double bytes = 5.0 * sizeof(float) * ModelBounds.MinimumParameters(o.BaseChannels, o.ChannelMultipliers, o.ResBlocksPerLevel, o.TimeEmbeddingWidth);
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (available > 0 && bytes > available)
            throw new Violation(nameof(o.BaseChannels), $"is {o.BaseChannels}",
                $"it makes, with ChannelMultipliers [{string.Join(", ", o.ChannelMultipliers)}] and ResBlocksPerLevel {o.ResBlocksPerLevel}, a U-Net whose training " +
                $"needs at least {bytes / (1L << 30):F1} GiB (weights, EMA, gradients and Adam's moments), more than the {available / (double)(1L << 30):F1} GiB " +
                "this process can use").ForOption();
    }

    // Once the first image gives the size: the whole U-Net, and attention only at sizes its feature maps have.
    private static void CheckImages(Options o, UNetArchitecture architecture)
    {
        var violation = ModelBounds.Architecture(architecture) ?? ModelBounds.AttentionAtExistingSizes(architecture);
        if (violation is not null)
            throw new ArgumentException(
                $"Input column '{o.InputColumnName}' holds {architecture.ImageHeight}×{architecture.ImageWidth} images that the U-Net options cannot take: Option {violation.Text}",
                violation.Name);
    }
}
