namespace Microsoft.ML.Diffusion;

/// <summary>The decoder distribution p_θ(x | z) of a variational autoencoder.</summary>
public enum VaeDecoder
{
    /// <summary>
    /// A Gaussian of predicted mean and scale per pixel, discretised over the 256 pixel values (Ho et al. 2020, Eq. 13):
    /// a true likelihood of 8-bit images, so the ELBO in bits/dim compares with the diffusion bound.
    /// </summary>
    DiscretizedGaussian,

    /// <summary>
    /// A Bernoulli per pixel with the intensity in [0, 1] as its target (the binary cross-entropy of most VAE tutorials).
    /// Not a likelihood of 8-bit images; its bound is reported on pixels binarised at 0.5.
    /// </summary>
    Bernoulli,
}

/// <summary>The shape of a convolutional VAE: everything needed to rebuild it before loading its weights.</summary>
/// <param name="ImageChannels">Channels of the images (1 or 3).</param>
/// <param name="ImageHeight">Image height; divisible by 2^(levels − 1).</param>
/// <param name="ImageWidth">Image width; divisible by 2^(levels − 1).</param>
/// <param name="BaseChannels">Channels at the first level.</param>
/// <param name="ChannelMultipliers">Channels of each level as multiples of <paramref name="BaseChannels"/>; each level after the first halves the resolution.</param>
/// <param name="LatentDimensions">Dimensions of z.</param>
/// <param name="Decoder">The decoder distribution.</param>
/// <param name="GroupNormGroups">Groups of every GroupNorm.</param>
public sealed record VaeArchitecture(
    int ImageChannels,
    int ImageHeight,
    int ImageWidth,
    int BaseChannels,
    int[] ChannelMultipliers,
    int LatentDimensions,
    VaeDecoder Decoder,
    int GroupNormGroups)
{
    /// <summary>Feature-map height at the innermost level.</summary>
    internal int InnerHeight => ImageHeight >> (ChannelMultipliers.Length - 1);

    /// <summary>Feature-map width at the innermost level.</summary>
    internal int InnerWidth => ImageWidth >> (ChannelMultipliers.Length - 1);

    /// <summary>Channels at the innermost level.</summary>
    internal int InnerChannels => BaseChannels * ChannelMultipliers[^1];

    /// <summary>The first problem with the architecture (named by its option), or null.</summary>
    internal Violation? Check()
    {
        if (Violation.Between(nameof(ImageChannels), ImageChannels, 1, 3) is { } c) return c;
        if (Violation.Between(nameof(ImageHeight), ImageHeight, 1, 4096) is { } h) return h;
        if (Violation.Between(nameof(ImageWidth), ImageWidth, 1, 4096) is { } w) return w;
        if (Violation.Between(nameof(LatentDimensions), LatentDimensions, 1, 65536) is { } l) return l;
        if (Violation.Defined(nameof(Decoder), Decoder) is { } d) return d;
        if (Violation.Between(nameof(GroupNormGroups), GroupNormGroups, 1, 1024) is { } g) return g;
        if (Violation.Between(nameof(BaseChannels), BaseChannels, 1, 4096) is { } b) return b;
        if (ChannelMultipliers is not { Length: >= 1 and <= 8 } m)
            return new(nameof(ChannelMultipliers), $"has {ChannelMultipliers?.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no"} levels", "it must have 1…8");
        foreach (var k in m)
        {
            if (k is < 1 or > 64) return new(nameof(ChannelMultipliers), $"holds {k}", "each multiplier must be in 1…64");
            if (BaseChannels * k % GroupNormGroups != 0)
                return new(nameof(GroupNormGroups), $"is {GroupNormGroups}", $"every level's channels ({nameof(BaseChannels)} × multiplier = {BaseChannels * k}) must be divisible by it", Range: false);
        }
        int factor = 1 << (m.Length - 1);
        if (ImageHeight % factor != 0 || ImageWidth % factor != 0)
            return new(nameof(ChannelMultipliers), $"has {m.Length} levels",
                $"the {ImageHeight}×{ImageWidth} images must be divisible by 2^(levels − 1) = {factor}; use fewer levels or resize the images", Range: false);
        if ((long)InnerChannels * InnerHeight * InnerWidth > 1 << 24)
            return new(nameof(BaseChannels), $"is {BaseChannels}", "the innermost feature map (channels × height × width) must hold at most 2^24 values", Range: false);
        return null;
    }
}
