namespace Microsoft.ML.Diffusion;

/// <summary>
/// Limits on a U-Net architecture read from a file. A file declares its architecture before its weights; building
/// the network allocates its parameters, so a forged architecture must be refused before construction: by bounding
/// each field and by requiring the weights entry to hold at least as many elements as the network must have.
/// </summary>
internal static class ArchitectureBounds
{
    public const int MaxImageSide = 4096;
    public const int MaxLevels = 8;
    public const int MaxBaseChannels = 4096;
    public const int MaxMultiplier = 64;
    public const int MaxResBlocks = 64;
    public const int MaxEmbeddingWidth = 1 << 16;
    public const int MaxAttentionResolutions = 64;

    /// <summary>Throws an <see cref="InvalidDataException"/> naming <paramref name="entry"/> unless the architecture is sane and fits the stored weights.</summary>
    public static void Check(UNetArchitecture? a, long storedElements, string entry)
    {
        if (a is null) throw new InvalidDataException($"Entry '{entry}' has no U-Net architecture.");
        if (a.ChannelMultipliers is null || a.AttentionResolutions is null)
            throw new InvalidDataException($"Entry '{entry}' lacks ChannelMultipliers or AttentionResolutions.");
        Require(a.ImageHeight is >= 1 and <= MaxImageSide && a.ImageWidth is >= 1 and <= MaxImageSide, entry, $"an image size {a.ImageHeight}×{a.ImageWidth} outside 1…{MaxImageSide}");
        Require(a.ChannelMultipliers.Length is >= 1 and <= MaxLevels, entry, $"{a.ChannelMultipliers.Length} levels (1…{MaxLevels} accepted)");
        Require(a.BaseChannels is >= 1 and <= MaxBaseChannels, entry, $"BaseChannels {a.BaseChannels} (1…{MaxBaseChannels} accepted)");
        Require(a.ChannelMultipliers.All(m => m is >= 1 and <= MaxMultiplier), entry, $"a channel multiplier outside 1…{MaxMultiplier}");
        Require(a.ResBlocksPerLevel is >= 1 and <= MaxResBlocks, entry, $"ResBlocksPerLevel {a.ResBlocksPerLevel} (1…{MaxResBlocks} accepted)");
        Require(a.TimeEmbeddingWidth is >= 0 and <= MaxEmbeddingWidth, entry, $"TimeEmbeddingWidth {a.TimeEmbeddingWidth} (0…{MaxEmbeddingWidth} accepted)");
        Require(a.AttentionResolutions.Length <= MaxAttentionResolutions, entry, $"{a.AttentionResolutions.Length} attention resolutions (at most {MaxAttentionResolutions})");
        try
        {
            a.Validate();
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"Entry '{entry}' declares an invalid U-Net: {e.Message}", e);
        }
        double least = MinimumParameters(a);
        if (least > storedElements)
            throw new InvalidDataException(
                $"Entry '{entry}' declares a U-Net of at least {least:G4} parameters but its weights hold only {storedElements} elements.");
    }

    // Each residual block on the way down ends with a 3×3 convolution of its level's width, and the time MLP is
    // width × width: a lower bound on the true count that grows with every field a forged file could inflate.
    private static double MinimumParameters(UNetArchitecture a)
    {
        double least = (double)a.EffectiveTimeEmbeddingWidth * a.EffectiveTimeEmbeddingWidth;
        foreach (var m in a.ChannelMultipliers)
        {
            double c = (double)a.BaseChannels * m;
            least += a.ResBlocksPerLevel * 9.0 * c * c;
        }
        return least;
    }

    private static void Require(bool condition, string entry, string what)
    {
        if (!condition) throw new InvalidDataException($"Entry '{entry}' declares {what}.");
    }
}
