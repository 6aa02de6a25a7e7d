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
    int TimeEmbeddingWidth)
{
    /// <summary>The embedding width actually used.</summary>
    public int EffectiveTimeEmbeddingWidth => TimeEmbeddingWidth > 0 ? TimeEmbeddingWidth : 4 * BaseChannels;

    /// <summary>The number of resolution levels.</summary>
    public int Levels => ChannelMultipliers.Length;

    /// <summary>FMNIST-S, the benchmark model of ../shared/bench/FMNIST-S.md.</summary>
    public static UNetArchitecture FmnistS { get; } = new(1, 28, 28, 64, [1, 2, 2], 2, [7], 0.1, 32, 256);

    /// <summary>Checks the architecture and explains the first problem found, naming the option.</summary>
    public void Validate()
    {
        if (ImageChannels is < 1 or > 4)
            throw new ArgumentOutOfRangeException(nameof(ImageChannels), ImageChannels, "Images must have 1 to 4 channels (1 = gray, 3 = RGB).");
        if (BaseChannels < 1) throw new ArgumentOutOfRangeException(nameof(BaseChannels), BaseChannels, "BaseChannels must be positive.");
        if (ChannelMultipliers is null || ChannelMultipliers.Length == 0 || ChannelMultipliers.Any(m => m < 1))
            throw new ArgumentException("ChannelMultipliers must hold at least one positive multiplier.", nameof(ChannelMultipliers));
        if (ResBlocksPerLevel < 1) throw new ArgumentOutOfRangeException(nameof(ResBlocksPerLevel), ResBlocksPerLevel, "ResBlocksPerLevel must be at least 1.");
        if (Dropout is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(Dropout), Dropout, "Dropout must be in [0, 1).");
        if (GroupNormGroups < 1) throw new ArgumentOutOfRangeException(nameof(GroupNormGroups), GroupNormGroups, "GroupNormGroups must be positive.");
        foreach (var m in ChannelMultipliers)
            if (BaseChannels * m % GroupNormGroups != 0)
                throw new ArgumentException($"BaseChannels × {m} = {BaseChannels * m} is not divisible by GroupNormGroups ({GroupNormGroups}).", nameof(GroupNormGroups));
        int factor = 1 << (Levels - 1);
        if (ImageHeight < 1 || ImageWidth < 1 || ImageHeight % factor != 0 || ImageWidth % factor != 0)
            throw new ArgumentException(
                $"The image size {ImageHeight}×{ImageWidth} must be divisible by {factor} (2^(levels − 1) for {Levels} levels of ChannelMultipliers).",
                nameof(ChannelMultipliers));
    }
}
