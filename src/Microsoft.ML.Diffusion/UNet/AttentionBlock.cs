using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Diffusion.Modules;

/// <summary>
/// Single-head self-attention over spatial positions, with a residual connection:
/// x + proj_out(v · softmax(qᵀk / √C)ᵀ), q, k, v by 1×1 convolutions of GroupNorm(x).
/// Written with bmm + softmax so it behaves the same on every backend.
/// </summary>
internal sealed class AttentionBlock : nn.Module<Tensor, Tensor>
{
    private readonly GroupNorm norm;
    private readonly Conv2d q;
    private readonly Conv2d k;
    private readonly Conv2d v;
    private readonly Conv2d proj_out;
    private readonly double _scale;

    public AttentionBlock(int channels, int groups) : base(nameof(AttentionBlock))
    {
        norm = Normalization.GroupNorm(groups, channels);
        q = nn.Conv2d(channels, channels, 1);
        k = nn.Conv2d(channels, channels, 1);
        v = nn.Conv2d(channels, channels, 1);
        proj_out = nn.Conv2d(channels, channels, 1);
        using (no_grad())
        {
            proj_out.weight.zero_();
            proj_out.bias?.zero_();
        }
        _scale = 1.0 / Math.Sqrt(channels);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var shape = x.shape;
        long b = shape[0], c = shape[1], hw = shape[2] * shape[3];
        var h = norm.call(x);
        var queries = q.call(h).reshape(b, c, hw).permute(0, 2, 1);          // (B, HW, C)
        var keys = k.call(h).reshape(b, c, hw);                              // (B, C, HW)
        var values = v.call(h).reshape(b, c, hw);                            // (B, C, HW)
        var weights = queries.bmm(keys).mul_(_scale).softmax(2);           // (B, HW_query, HW_key)
        var attended = values.bmm(weights.permute(0, 2, 1)).reshape(shape);  // (B, C, HW_query)
        return (x + proj_out.call(attended)).MoveToOuterDisposeScope();
    }
}
