namespace Microsoft.ML.Diffusion;

/// <summary>
/// The limits of a diffusion model, defined once: the estimator refuses options outside them before training, and
/// the model and checkpoint loaders refuse files outside them before building anything. A model that trains
/// therefore loads. Each rule returns the first <see cref="Violation"/> it finds, or null.
/// </summary>
internal static class ModelBounds
{
    public const int MaxImageSide = 4096;
    public const int MaxLevels = 8;
    // The sinusoidal timestep embedding has BaseChannels/2 frequencies spread over (half − 1) intervals.
    public const int MinBaseChannels = 4;
    public const int MaxBaseChannels = 4096;
    public const int MaxMultiplier = 64;
    public const int MaxResBlocks = 64;
    public const int MaxEmbeddingWidth = 1 << 16;
    public const int MaxAttentionResolutions = 64;
    // 8 GiB of float32 weights, held again by the EMA, the gradients and each of Adam's moments.
    public const long MaxParameters = 1L << 31;
    public const int MinTimesteps = 2;
    // The Min-SNR weights and the schedule are computed in float64 and stay finite up to here (OptionValidationTests).
    public const int MaxTimesteps = 100_000;
    // Each class is one row of the class embedding; a million rows of 4·BaseChannels floats is already gigabytes.
    public const int MaxClasses = 1 << 20;

    /// <summary>The U-Net fields that do not depend on the data, checked as the estimator is created.</summary>
    public static Violation? Network(int baseChannels, int[]? multipliers, int resBlocks, int[]? attention, double dropout, int groups, int embeddingWidth)
    {
        if (baseChannels is < MinBaseChannels or > MaxBaseChannels || baseChannels % 2 != 0)
            return new("BaseChannels", $"is {baseChannels}",
                $"it must be an even integer in {MinBaseChannels}…{MaxBaseChannels} (the timestep embedding uses BaseChannels/2 sine-cosine pairs)");
        if (multipliers is null || multipliers.Length is < 1 or > MaxLevels)
            return new("ChannelMultipliers", multipliers is null ? "is null" : $"has {multipliers.Length} levels", $"it must have 1…{MaxLevels} levels");
        if (FirstOutside(multipliers, 1, MaxMultiplier) is int badMultiplier)
            return new("ChannelMultipliers", $"holds {badMultiplier}", $"every multiplier must be an integer in 1…{MaxMultiplier}");
        if (Violation.Between("ResBlocksPerLevel", resBlocks, 1, MaxResBlocks) is { } blocks) return blocks;
        if (attention is null || attention.Length > MaxAttentionResolutions)
            return new("AttentionResolutions", attention is null ? "is null" : $"has {attention.Length} entries",
                $"it must have at most {MaxAttentionResolutions} (use [] for attention in the middle block only)");
        if (FirstOutside(attention, 1, MaxImageSide) is int badResolution)
            return new("AttentionResolutions", $"holds {badResolution}", $"every entry must be a feature-map size in 1…{MaxImageSide}");
        if (Violation.Finite("Dropout", dropout, d => d is >= 0 and < 1, "in [0, 1)") is { } drop) return drop;
        if (groups < 1) return new("GroupNormGroups", $"is {groups}", "it must be at least 1");
        foreach (var m in multipliers)
            if ((long)baseChannels * m % groups != 0)
                return new("GroupNormGroups", $"is {groups}",
                    $"it must divide the channels of every level, and BaseChannels × {m} = {(long)baseChannels * m} is not divisible by {groups}", Range: false);
        if (Violation.Between("TimeEmbeddingWidth", embeddingWidth, 0, MaxEmbeddingWidth) is { } width) return width;
        double least = MinimumParameters(baseChannels, multipliers, resBlocks, embeddingWidth);
        if (least > MaxParameters)
            return new("BaseChannels", $"is {baseChannels}",
                $"it makes, with ChannelMultipliers [{string.Join(", ", multipliers)}] and ResBlocksPerLevel {resBlocks}, a U-Net of at least {least:G3} parameters; " +
                $"the limit is {MaxParameters:G3} (lower BaseChannels, the multipliers or ResBlocksPerLevel)");
        return null;
    }

    /// <summary>A whole architecture, image size included: what a file declares, or what training is about to build.</summary>
    public static Violation? Architecture(UNetArchitecture a)
    {
        if (a.ImageChannels is < 1 or > 4)
            return new("ImageChannels", $"is {a.ImageChannels}", "it must be 1 to 4 (1 = gray, 3 = RGB)");
        if (a.ImageHeight is < 1 or > MaxImageSide || a.ImageWidth is < 1 or > MaxImageSide)
            return new("ImageHeight", $"is {a.ImageHeight} (ImageWidth {a.ImageWidth})", $"both sides must be in 1…{MaxImageSide}");
        if (Network(a.BaseChannels, a.ChannelMultipliers, a.ResBlocksPerLevel, a.AttentionResolutions, a.Dropout, a.GroupNormGroups, a.TimeEmbeddingWidth) is { } v)
            return v;
        if (Violation.Between("ClassCount", a.ClassCount, 0, MaxClasses) is { } classes) return classes;
        int factor = 1 << (a.Levels - 1);
        if (a.ImageHeight % factor != 0 || a.ImageWidth % factor != 0)
            return new("ChannelMultipliers", $"has {a.Levels} levels",
                $"the image size {a.ImageHeight}×{a.ImageWidth} must then be divisible by {factor} (2^(levels − 1))", Range: false);
        return null;
    }

    /// <summary>
    /// Attention at a size no feature map has would silently never be built. Only training checks it: a model saved
    /// before the rule existed still loads (its ignored entry changes nothing).
    /// </summary>
    public static Violation? AttentionAtExistingSizes(UNetArchitecture a)
    {
        var sizes = a.FeatureMapSizes();
        foreach (var r in a.AttentionResolutions)
            if (!sizes.Contains(r))
                return new("AttentionResolutions", $"holds {r}",
                    $"every entry must be a feature-map size of the U-Net on {a.ImageHeight}×{a.ImageWidth} images, which are {string.Join(", ", sizes)} " +
                    "(the smaller side at each level; the middle block always has attention, use [] for no other)", Range: false);
        return null;
    }

    /// <summary>The noise schedule's settings.</summary>
    public static Violation? Schedule(NoiseScheduleKind kind, int timesteps, double betaStart, double betaEnd)
    {
        if (Violation.Defined("Schedule", kind) is { } k) return k;
        if (Violation.Between("Timesteps", timesteps, MinTimesteps, MaxTimesteps) is { } t) return t;
        if (Violation.Finite("BetaEnd", betaEnd, b => b is > 0 and < 1, "in (0, 1)") is { } end) return end;
        return Violation.Finite("BetaStart", betaStart, b => b > 0 && b <= betaEnd, $"in (0, BetaEnd = {Violation.Show(betaEnd)}]");
    }

    /// <summary>The columns a model adds and reads: each named, and no two outputs (or an output and the seed) sharing a name.</summary>
    public static Violation? Columns(string? output, string? seed, string? vector)
    {
        if (Violation.NonEmpty("OutputColumnName", output) is { } o) return o;
        if (Violation.NonEmpty("SeedColumnName", seed, nullable: true) is { } s) return s;
        if (Violation.NonEmpty("OutputVectorColumnName", vector, nullable: true) is { } v) return v;
        if (seed == output)
            return new("SeedColumnName", $"is {Violation.Show(seed)}", $"it must differ from OutputColumnName ({Violation.Show(output)}): the generated images would hide the seeds", Range: false);
        if (vector == output)
            return new("OutputVectorColumnName", $"is {Violation.Show(vector)}", $"it must differ from OutputColumnName ({Violation.Show(output)}): the schema would have two columns of one name", Range: false);
        if (vector is not null && vector == seed)
            return new("OutputVectorColumnName", $"is {Violation.Show(vector)}", $"it must differ from SeedColumnName ({Violation.Show(seed)}): the generated pixels would hide the seeds", Range: false);
        return null;
    }

    /// <summary>The affine map between pixel values and the model's [−1, 1].</summary>
    public static Violation? Scaling(float scale, float offset) =>
        Violation.Finite("InputScale", scale, s => s != 0, "other than 0")
        ?? Violation.Finite("InputOffset", offset, _ => true, string.Empty);

    private static int? FirstOutside(int[] values, int min, int max)
    {
        foreach (var v in values)
            if (v < min || v > max) return v;
        return null;
    }

    /// <summary>
    /// A lower bound on the parameter count: each residual block on the way down ends with a 3×3 convolution of its
    /// level's width, and the time MLP is width × width. It grows with every field a forged file could inflate.
    /// </summary>
    public static double MinimumParameters(int baseChannels, int[] multipliers, int resBlocks, int embeddingWidth)
    {
        double width = embeddingWidth > 0 ? embeddingWidth : 4.0 * baseChannels;
        double least = width * width;
        foreach (var m in multipliers)
        {
            double c = (double)baseChannels * m;
            least += resBlocks * 9.0 * c * c;
        }
        return least;
    }
}
