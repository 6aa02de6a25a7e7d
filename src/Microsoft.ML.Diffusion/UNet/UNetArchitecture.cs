namespace Microsoft.ML.Diffusion;

/// <summary>The shape of a DDPM U-Net: everything needed to rebuild it before loading its weights.</summary>
/// <param name="ImageChannels">Channels of the images (1 or 3).</param>
/// <param name="ImageHeight">Image height; divisible by 2^(levels − 1).</param>
/// <param name="ImageWidth">Image width; divisible by 2^(levels − 1).</param>
/// <param name="BaseChannels">Channels at the first level.</param>
/// <param name="ChannelMultipliers">Channels of each level as multiples of <paramref name="BaseChannels"/>.</param>
/// <param name="ResBlocksPerLevel">Residual blocks per level on the way down (one more on the way up).</param>
/// <param name="AttentionResolutions">Feature-map sizes (the smaller side) at which self-attention follows each residual block.</param>
/// <param name="Dropout">Dropout probability inside residual blocks.</param>
/// <param name="GroupNormGroups">Groups of every GroupNorm.</param>
/// <param name="TimeEmbeddingWidth">Width of the timestep embedding MLP (0 means 4 × base channels).</param>
/// <param name="ClassCount">Classes K of a class-conditional network (0: unconditional). A conditional network adds a learned
/// embedding of K + 1 rows to the timestep embedding; row 0 is "no class", rows 1…K the classes.</param>
public sealed record UNetArchitecture(
    int ImageChannels,
    int ImageHeight,
    int ImageWidth,
    int BaseChannels,
    int[] ChannelMultipliers,
    int ResBlocksPerLevel,
    int[] AttentionResolutions,
    double Dropout,
    int GroupNormGroups,
    int TimeEmbeddingWidth,
    int ClassCount = 0)
{
    /// <summary>The embedding width actually used.</summary>
    public int EffectiveTimeEmbeddingWidth => TimeEmbeddingWidth > 0 ? TimeEmbeddingWidth : 4 * BaseChannels;

    /// <summary>Whether the network takes a class label.</summary>
    public bool IsConditional => ClassCount > 0;

    /// <summary>The number of resolution levels.</summary>
    public int Levels => ChannelMultipliers.Length;

    /// <summary>FMNIST-S, the benchmark model of ../shared/bench/FMNIST-S.md.</summary>
    public static UNetArchitecture FmnistS { get; } = new(1, 28, 28, 64, [1, 2, 2], 2, [7], 0.1, 32, 256);

    /// <summary>Checks the architecture against <see cref="ModelBounds"/> and explains the first problem found, naming the option.</summary>
    /// <exception cref="ArgumentException">A field is outside what the U-Net can be built with (an <see cref="ArgumentOutOfRangeException"/>) or
    /// does not fit another one; the parameter name is the option.</exception>
    public void Validate()
    {
        if (ModelBounds.Architecture(this) is { } violation) throw violation.ForOption();
    }

    /// <summary>The smaller side of the feature maps at each level, from the first: where attention can be placed.</summary>
    internal int[] FeatureMapSizes()
    {
        var sizes = new int[Levels];
        for (int level = 0, size = Math.Min(ImageHeight, ImageWidth); level < Levels; level++, size /= 2) sizes[level] = size;
        return sizes;
    }
}
