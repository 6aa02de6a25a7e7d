using Microsoft.ML.Diffusion.Modules;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Diffusion;

/// <summary>
/// A convolutional VAE (Kingma and Welling 2014): the encoder maps x to the mean and log-variance of the Gaussian posterior
/// q_φ(z | x), the decoder maps z to the parameters of p_θ(x | z), per pixel: mean and log scale of a discretised Gaussian,
/// or Bernoulli logits. Each level is a residual block; levels after the first halve (encoder) or double (decoder) the size.
/// </summary>
internal sealed class VaeModel : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv_in;
    private readonly ModuleList<nn.Module<Tensor, Tensor>> down;
    private readonly GroupNorm norm_enc;
    private readonly Linear to_posterior;
    private readonly Linear from_latent;
    private readonly ModuleList<nn.Module<Tensor, Tensor>> up;
    private readonly GroupNorm norm_dec;
    private readonly Conv2d conv_out;

    public VaeModel(VaeArchitecture architecture) : base(nameof(VaeModel))
    {
        Architecture = architecture;
        var a = architecture;
        var channels = a.ChannelMultipliers.Select(m => a.BaseChannels * m).ToArray();
        int g = a.GroupNormGroups;
        conv_in = nn.Conv2d(a.ImageChannels, channels[0], 3, padding: 1);
        down = new ModuleList<nn.Module<Tensor, Tensor>>();
        for (int level = 0; level < channels.Length; level++)
        {
            if (level > 0) down.Add(new Modules.Downsample(channels[level - 1]));
            down.Add(new VaeBlock(level > 0 ? channels[level - 1] : channels[0], channels[level], g));
        }
        long inner = (long)a.InnerChannels * a.InnerHeight * a.InnerWidth;
        norm_enc = Normalization.GroupNorm(g, a.InnerChannels);
        to_posterior = nn.Linear(inner, 2L * a.LatentDimensions);
        from_latent = nn.Linear(a.LatentDimensions, inner);
        up = new ModuleList<nn.Module<Tensor, Tensor>>();
        for (int level = channels.Length - 1; level >= 0; level--)
        {
            up.Add(new VaeBlock(level < channels.Length - 1 ? channels[level + 1] : channels[level], channels[level], g));
            if (level > 0) up.Add(new Modules.Upsample(channels[level]));
        }
        norm_dec = Normalization.GroupNorm(g, channels[0]);
        // Discretised Gaussian: mean and log scale per pixel; Bernoulli: one logit.
        conv_out = nn.Conv2d(channels[0], a.Decoder == VaeDecoder.DiscretizedGaussian ? 2 * a.ImageChannels : a.ImageChannels, 3, padding: 1);
        RegisterComponents();
    }

    public VaeArchitecture Architecture { get; }

    public long ParameterCount => parameters().Sum(p => p.numel());

    /// <summary>The posterior q_φ(z | x): mean and log-variance, each (B, latent).</summary>
    public (Tensor Mean, Tensor LogVariance) Encode(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = conv_in.call(x);
        foreach (var layer in down) h = layer.call(h);
        var stats = to_posterior.call(nn.functional.silu(norm_enc.call(h)).flatten(1));
        var parts = stats.chunk(2, 1);
        return (parts[0].MoveToOuterDisposeScope(), parts[1].MoveToOuterDisposeScope());
    }

    /// <summary>The decoder's parameters for z (B, latent): (B, 2C, H, W) means and log scales, or (B, C, H, W) logits.</summary>
    public Tensor Decode(Tensor z)
    {
        using var scope = NewDisposeScope();
        var a = Architecture;
        var h = from_latent.call(z).reshape(z.shape[0], a.InnerChannels, a.InnerHeight, a.InnerWidth);
        foreach (var layer in up) h = layer.call(h);
        return conv_out.call(nn.functional.silu(norm_dec.call(h))).MoveToOuterDisposeScope();
    }

    /// <summary>The decoder's parameters for the posterior mean of x: the deterministic reconstruction.</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return Decode(Encode(x).Mean).MoveToOuterDisposeScope();
    }

    /// <summary>Pixels in [−1, 1] that the decoder's parameters stand for: the Gaussian's mean, or the Bernoulli's probability.</summary>
    public Tensor DecodedPixels(Tensor parameters)
    {
        using var scope = NewDisposeScope();
        int c = Architecture.ImageChannels;
        var pixels = Architecture.Decoder == VaeDecoder.DiscretizedGaussian
            ? parameters.narrow(1, 0, c)
            : parameters.sigmoid() * 2 - 1;
        return pixels.clamp(-1, 1).MoveToOuterDisposeScope();
    }
}

/// <summary>GN → SiLU → Conv3×3 → GN → SiLU → Conv3×3 with a residual path (1×1 convolution when the channels change).</summary>
internal sealed class VaeBlock : nn.Module<Tensor, Tensor>
{
    private readonly GroupNorm norm1;
    private readonly Conv2d conv1;
    private readonly GroupNorm norm2;
    private readonly Conv2d conv2;
    private readonly Conv2d? nin_shortcut;

    public VaeBlock(int inChannels, int outChannels, int groups) : base(nameof(VaeBlock))
    {
        norm1 = Normalization.GroupNorm(groups, inChannels);
        conv1 = nn.Conv2d(inChannels, outChannels, 3, padding: 1);
        norm2 = Normalization.GroupNorm(groups, outChannels);
        conv2 = nn.Conv2d(outChannels, outChannels, 3, padding: 1);
        if (inChannels != outChannels) nin_shortcut = nn.Conv2d(inChannels, outChannels, 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = conv1.call(nn.functional.silu(norm1.call(x)));
        h = conv2.call(nn.functional.silu(norm2.call(h)));
        var skip = nin_shortcut is null ? x : nin_shortcut.call(x);
        return (skip + h).MoveToOuterDisposeScope();
    }
}
