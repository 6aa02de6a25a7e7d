using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Diffusion.Modules;

/// <summary>
/// The DDPM residual block: GN → SiLU → Conv3×3 → + Dense(SiLU(temb)) → GN → SiLU → Dropout → Conv3×3,
/// with a 1×1 convolution on the skip path when the channel count changes.
/// </summary>
internal sealed class ResBlock : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly GroupNorm norm1;
    private readonly Conv2d conv1;
    private readonly Linear temb_proj;
    private readonly GroupNorm norm2;
    private readonly Dropout dropout;
    private readonly Conv2d conv2;
    private readonly Conv2d? nin_shortcut;

    public ResBlock(int inChannels, int outChannels, int timeEmbeddingWidth, double dropoutRate, int groups) : base(nameof(ResBlock))
    {
        norm1 = Normalization.GroupNorm(groups, inChannels);
        conv1 = nn.Conv2d(inChannels, outChannels, 3, padding: 1);
        temb_proj = nn.Linear(timeEmbeddingWidth, outChannels);
        norm2 = Normalization.GroupNorm(groups, outChannels);
        dropout = nn.Dropout(dropoutRate);
        conv2 = nn.Conv2d(outChannels, outChannels, 3, padding: 1);
        if (inChannels != outChannels) nin_shortcut = nn.Conv2d(inChannels, outChannels, 1);
        // The reference zero-initialises the last convolution so each block starts as the identity.
        using (no_grad())
        {
            conv2.weight.zero_();
            conv2.bias?.zero_();
        }
        RegisterComponents();
        InChannels = inChannels;
        OutChannels = outChannels;
    }

    public int InChannels { get; }
    public int OutChannels { get; }

    /// <param name="x">Features (B, C_in, H, W).</param>
    /// <param name="tembActivated">SiLU of the timestep embedding (B, W), shared by all blocks.</param>
    public override Tensor forward(Tensor x, Tensor tembActivated)
    {
        using var scope = NewDisposeScope();
        var h = conv1.call(nn.functional.silu(norm1.call(x)));
        h = h + temb_proj.call(tembActivated).unsqueeze(-1).unsqueeze(-1);
        h = conv2.call(dropout.call(nn.functional.silu(norm2.call(h))));
        var skip = nin_shortcut is null ? x : nin_shortcut.call(x);
        return (skip + h).MoveToOuterDisposeScope();
    }
}
