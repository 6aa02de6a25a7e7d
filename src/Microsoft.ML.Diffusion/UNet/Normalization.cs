using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Diffusion;

internal static class Normalization
{
    /// <summary>GroupNorm with the affine parameters PyTorch starts from: weight 1, bias 0.</summary>
    // TorchSharp 0.107's nn.GroupNorm leaves weight and bias as torch.empty (NaN or 1e26 seen), so they are set here.
    public static GroupNorm GroupNorm(int groups, int channels)
    {
        var norm = nn.GroupNorm(groups, channels);
        using (no_grad())
        {
            norm.weight!.fill_(1);
            norm.bias!.zero_();
        }
        return norm;
    }
}
