using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Diffusion.Modules;

/// <summary>Halves the resolution with a 3×3 convolution of stride 2.</summary>
internal sealed class Downsample : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv;

    public Downsample(int channels) : base(nameof(Downsample))
    {
        conv = nn.Conv2d(channels, channels, 3, stride: 2, padding: 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => conv.call(x);
}

/// <summary>Doubles the resolution: nearest-neighbour ×2, then a 3×3 convolution.</summary>
internal sealed class Upsample : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv;

    public Upsample(int channels) : base(nameof(Upsample))
    {
        conv = nn.Conv2d(channels, channels, 3, padding: 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var up = nn.functional.interpolate(x, scale_factor: [2.0, 2.0], mode: InterpolationMode.Nearest);
        return conv.call(up);
    }
}

/// <summary>A residual block, optionally followed by self-attention.</summary>
internal sealed class ResidualStage : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly ResBlock res;
    private readonly AttentionBlock? attn;

    public ResidualStage(int inChannels, int outChannels, int timeEmbeddingWidth, double dropout, int groups, bool attention) : base(nameof(ResidualStage))
    {
        res = new ResBlock(inChannels, outChannels, timeEmbeddingWidth, dropout, groups);
        if (attention) attn = new AttentionBlock(outChannels, groups);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x, Tensor tembActivated)
    {
        var h = res.call(x, tembActivated);
        if (attn is null) return h;
        using (h) return attn.call(h);
    }
}
