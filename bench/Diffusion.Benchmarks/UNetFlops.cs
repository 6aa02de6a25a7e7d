using Microsoft.ML.Diffusion;

namespace Diffusion.Benchmarks;

/// <summary>
/// Forward FLOPs of one image through a DDPM U-Net: 2 × multiply-adds of convolutions, linear layers and the
/// two attention matmuls (qᵀk and v·wᵀ). Normalisations, activations and additions are not counted, as is
/// customary for model-FLOP utilisation.
/// </summary>
public static class UNetFlops
{
    /// <summary>Counts the forward FLOPs of one image.</summary>
    public static double Forward(UNetArchitecture a)
    {
        double flops = 0;
        int width = a.EffectiveTimeEmbeddingWidth;
        flops += Linear(a.BaseChannels, width) + Linear(width, width);
        int h = a.ImageHeight, w = a.ImageWidth;
        int channels = a.BaseChannels;
        flops += Conv(a.ImageChannels, channels, 3, h, w);
        var skips = new Stack<int>();
        skips.Push(channels);
        int resolution = Math.Min(h, w);
        for (int level = 0; level < a.Levels; level++)
        {
            int outChannels = a.BaseChannels * a.ChannelMultipliers[level];
            for (int b = 0; b < a.ResBlocksPerLevel; b++)
            {
                flops += Res(channels, outChannels, width, h, w);
                if (a.AttentionResolutions.Contains(resolution)) flops += Attention(outChannels, h, w);
                channels = outChannels;
                skips.Push(channels);
            }
            if (level == a.Levels - 1) continue;
            h /= 2; w /= 2; resolution /= 2;
            flops += Conv(channels, channels, 3, h, w);   // stride-2 conv, counted at its output size
            skips.Push(channels);
        }
        flops += 2 * Res(channels, channels, width, h, w) + Attention(channels, h, w);
        for (int level = a.Levels - 1; level >= 0; level--)
        {
            int outChannels = a.BaseChannels * a.ChannelMultipliers[level];
            for (int b = 0; b <= a.ResBlocksPerLevel; b++)
            {
                flops += Res(channels + skips.Pop(), outChannels, width, h, w);
                if (a.AttentionResolutions.Contains(resolution)) flops += Attention(outChannels, h, w);
                channels = outChannels;
            }
            if (level == 0) continue;
            h *= 2; w *= 2; resolution *= 2;
            flops += Conv(channels, channels, 3, h, w);
        }
        flops += Conv(channels, a.ImageChannels, 3, h, w);
        return flops;
    }

    private static double Conv(int cin, int cout, int k, int h, int w) => 2.0 * cin * cout * k * k * h * w;

    private static double Linear(int input, int output) => 2.0 * input * output;

    private static double Res(int cin, int cout, int temb, int h, int w) =>
        Conv(cin, cout, 3, h, w) + Linear(temb, cout) + Conv(cout, cout, 3, h, w) + (cin != cout ? Conv(cin, cout, 1, h, w) : 0);

    private static double Attention(int c, int h, int w)
    {
        double hw = (double)h * w;
        return 4 * Conv(c, c, 1, h, w) + 2 * (2.0 * hw * hw * c);
    }
}
