namespace Microsoft.ML.Diffusion;

/// <summary>
/// The check of a U-Net architecture read from a file. A file declares its architecture before its weights; building
/// the network allocates its parameters, so a forged architecture must be refused before construction: by the limits
/// of <see cref="ModelBounds"/> (the same the estimator enforces on its options) and by requiring the weights entry
/// to hold at least as many elements as the network must have.
/// </summary>
internal static class ArchitectureBounds
{
    /// <summary>Throws an <see cref="InvalidDataException"/> naming <paramref name="entry"/> unless the architecture is sane and fits the stored weights.</summary>
    public static void Check(UNetArchitecture? a, long storedElements, string entry)
    {
        if (a is null) throw new InvalidDataException($"Entry '{entry}' has no U-Net architecture.");
        if (a.ChannelMultipliers is null || a.AttentionResolutions is null)
            throw new InvalidDataException($"Entry '{entry}' lacks ChannelMultipliers or AttentionResolutions.");
        if (ModelBounds.Architecture(a) is { } violation) throw violation.ForEntry(entry);
        double least = ModelBounds.MinimumParameters(a.BaseChannels, a.ChannelMultipliers, a.ResBlocksPerLevel, a.TimeEmbeddingWidth)
            + (a.IsConditional ? (a.ClassCount + 1.0) * a.EffectiveTimeEmbeddingWidth : 0);
        if (least > storedElements)
            throw new InvalidDataException(
                $"Entry '{entry}' declares a U-Net of at least {least:G4} parameters but its weights hold only {storedElements} elements.");
    }
}
