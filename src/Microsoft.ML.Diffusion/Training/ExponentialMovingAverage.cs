using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Diffusion;

/// <summary>
/// An exponential moving average of a model's weights, kept in a second model of the same shape:
/// θ_ema ← d·θ_ema + (1 − d)·θ. With warmup, d = min(decay, (1 + n)/(10 + n)) after n updates, so a
/// short run does not sample from weights dominated by their initial values.
/// </summary>
internal sealed class ExponentialMovingAverage
{
    private readonly IReadOnlyList<(Tensor shadow, Tensor source)> _pairs;

    public ExponentialMovingAverage(nn.Module source, nn.Module shadow, double decay, bool warmup)
    {
        if (decay is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(decay), decay, "The EMA decay must be in [0, 1).");
        Decay = decay;
        Warmup = warmup;
        var src = source.state_dict();
        var dst = shadow.state_dict();
        _pairs = dst.Select(kv => (kv.Value, src[kv.Key])).ToList();
        using (no_grad())
            foreach (var (s, p) in _pairs) s.copy_(p);
        foreach (var p in shadow.parameters()) p.requires_grad = false;
    }

    public double Decay { get; }

    public bool Warmup { get; }

    /// <summary>Updates taken so far.</summary>
    public long Updates { get; set; }

    /// <summary>The decay the next update will use.</summary>
    public double CurrentDecay => Warmup ? Math.Min(Decay, (1.0 + Updates) / (10.0 + Updates)) : Decay;

    public void Update()
    {
        double d = CurrentDecay;
        using (no_grad())
            foreach (var (shadow, source) in _pairs) shadow.mul_(d).add_(source, 1 - d);
        Updates++;
    }
}
