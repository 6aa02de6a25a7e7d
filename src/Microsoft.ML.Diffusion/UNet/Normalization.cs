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
        // No Scalar argument: TorchSharp's fill_(Scalar) passes only the Scalar's handle to native code, so its finalizer can
        // free it mid-call (seen once: "toFloat … Expected false to be true" from fill_(1) under a busy GC).
        using (no_grad())
        using (var ones = ones_like(norm.weight!))
        {
            norm.weight!.copy_(ones);
            norm.bias!.zero_();
        }
        return norm;
    }
}
