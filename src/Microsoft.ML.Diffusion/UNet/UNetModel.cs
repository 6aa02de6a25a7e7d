using TorchSharp;
using TorchSharp.Modules;
using Microsoft.ML.Diffusion.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Diffusion;

/// <summary>
/// The DDPM noise-prediction U-Net (Ho et al. 2020, Appendix B): a Wide-ResNet encoder/decoder with
/// GroupNorm, a sinusoidal timestep embedding added in every residual block, self-attention at chosen
/// resolutions, and skip connections concatenated on the way up. forward(x_t, t) → a tensor shaped like x_t.
/// </summary>
public sealed class UNetModel : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly TimestepEmbedding temb;
    private readonly Embedding? class_emb;
    private readonly Conv2d conv_in;
    private readonly ModuleList<nn.Module> down;
    private readonly ResidualStage mid1;
    private readonly AttentionBlock mid_attn;
    private readonly ResidualStage mid2;
    private readonly ModuleList<nn.Module> up;
    private readonly GroupNorm norm_out;
    private readonly Conv2d conv_out;

    /// <summary>Builds a freshly initialised network with the given architecture.</summary>
    public UNetModel(UNetArchitecture architecture) : base(nameof(UNetModel))
    {
        ArgumentNullException.ThrowIfNull(architecture);
        architecture.Validate();
        Architecture = architecture;
        var a = architecture;
        int width = a.EffectiveTimeEmbeddingWidth;
        int groups = a.GroupNormGroups;
        temb = new TimestepEmbedding(a.BaseChannels, width);
        // Classifier-free guidance (Ho and Salimans 2022): one network learns p(x | y) and, through row 0, p(x).
        if (a.IsConditional) class_emb = nn.Embedding(a.ClassCount + 1, width);
        conv_in = nn.Conv2d(a.ImageChannels, a.BaseChannels, 3, padding: 1);

        int channels = a.BaseChannels;
        var resolutions = a.FeatureMapSizes();
        var skipChannels = new Stack<int>();
        skipChannels.Push(channels);
        var downModules = new List<nn.Module>();
        for (int level = 0; level < a.Levels; level++)
        {
            int outChannels = a.BaseChannels * a.ChannelMultipliers[level];
            for (int block = 0; block < a.ResBlocksPerLevel; block++)
            {
                downModules.Add(new ResidualStage(channels, outChannels, width, a.Dropout, groups, a.AttentionResolutions.Contains(resolutions[level])));
                channels = outChannels;
                skipChannels.Push(channels);
            }
            if (level == a.Levels - 1) continue;
            downModules.Add(new Downsample(channels));
            skipChannels.Push(channels);
        }
        down = nn.ModuleList(downModules.ToArray());

        mid1 = new ResidualStage(channels, channels, width, a.Dropout, groups, attention: false);
        mid_attn = new AttentionBlock(channels, groups);
        mid2 = new ResidualStage(channels, channels, width, a.Dropout, groups, attention: false);

        var upModules = new List<nn.Module>();
        for (int level = a.Levels - 1; level >= 0; level--)
        {
            int outChannels = a.BaseChannels * a.ChannelMultipliers[level];
            for (int block = 0; block <= a.ResBlocksPerLevel; block++)
            {
                upModules.Add(new ResidualStage(channels + skipChannels.Pop(), outChannels, width, a.Dropout, groups, a.AttentionResolutions.Contains(resolutions[level])));
                channels = outChannels;
            }
            if (level == 0) continue;
            upModules.Add(new Modules.Upsample(channels));
        }
        up = nn.ModuleList(upModules.ToArray());

        norm_out = Normalization.GroupNorm(groups, channels);
        conv_out = nn.Conv2d(channels, a.ImageChannels, 3, padding: 1);
        using (no_grad())
        {
            conv_out.weight.zero_();
            conv_out.bias?.zero_();
        }
        RegisterComponents();
    }

    /// <summary>Whether training runs the convolutions on channels-last (NHWC) features too, as evaluation always does.</summary>
    internal bool ChannelsLastInTraining { get; set; }

    /// <summary>The architecture the network was built with.</summary>
    public UNetArchitecture Architecture { get; }

    /// <summary>Predicts ε (or x₀, or v) for noisy images x_t (B, C, H, W) at timesteps t (B, Int64), without a class.</summary>
    public override Tensor forward(Tensor x, Tensor t) => forward(x, t, null);

    /// <summary>
    /// Predicts ε (or x₀, or v) for noisy images x_t (B, C, H, W) at timesteps t (B, Int64) and class indices
    /// <paramref name="classes"/> (B, Int64; 0 = no class, 1…K the classes), as diffusers' UNet2DModel adds its class
    /// embedding to the timestep embedding. Null means no class for every row; an unconditional network takes only null.
    /// </summary>
    public Tensor forward(Tensor x, Tensor t, Tensor? classes)
    {
        using var scope = NewDisposeScope();
        var embedding = temb.call(t);
        if (class_emb is not null)
            embedding = embedding + class_emb.call(classes ?? zeros([t.shape[0]], ScalarType.Int64));
        else if (classes is not null)
            throw new ArgumentException("This U-Net is unconditional (ClassCount 0); it takes no class labels.", nameof(classes));
        var tembActivated = nn.functional.silu(embedding);
        var skips = new Stack<Tensor>();
        // oneDNN convolutions run on NHWC without reordering; measured on FMNIST-S inference (chunks of 8)
        // this is about 40% faster than NCHW, while training gains little, so only evaluation uses it.
        // TorchSharp 0.107 has no Tensor.contiguous(memory_format): a copy in NHWC order, viewed as NCHW, has the
        // channels-last strides libtorch dispatches on.
        if (!training || ChannelsLastInTraining) x = x.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);
        var h = conv_in.call(x);
        skips.Push(h);
        foreach (var m in down)
        {
            h = m is ResidualStage stage ? stage.call(h, tembActivated) : ((Downsample)m).call(h);
            skips.Push(h);
        }
        h = mid1.call(h, tembActivated);
        h = mid_attn.call(h);
        h = mid2.call(h, tembActivated);
        foreach (var m in up)
            h = m is ResidualStage stage ? stage.call(cat([h, skips.Pop()], 1), tembActivated) : ((Modules.Upsample)m).call(h);
        return conv_out.call(nn.functional.silu(norm_out.call(h))).MoveToOuterDisposeScope();
    }

    /// <summary>The number of trainable parameters.</summary>
    public long ParameterCount => parameters().Sum(p => p.numel());
}
