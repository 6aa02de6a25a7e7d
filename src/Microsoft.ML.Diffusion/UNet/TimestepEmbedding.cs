using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Diffusion.Modules;

/// <summary>
/// The Transformer sinusoidal embedding of integer timesteps followed by a two-layer MLP:
/// sin/cos(t · 10000^(−i/(d/2 − 1))) → Linear(d, w) → SiLU → Linear(w, w), as in the DDPM reference.
/// </summary>
internal sealed class TimestepEmbedding : nn.Module<Tensor, Tensor>
{
    private readonly Linear dense0;
    private readonly Linear dense1;
    private readonly Tensor frequencies;
    // The float32 values of the buffer above: a reduced-precision copy of the network converts the buffer too, and
    // t · frequency for t up to T needs float32 (bfloat16's 8-bit mantissa would misplace the angles by radians).
    private readonly float[] _frequencies;

    public TimestepEmbedding(int dimension, int width) : base(nameof(TimestepEmbedding))
    {
        if (dimension % 2 != 0 || dimension < 4) throw new ArgumentException($"The sinusoidal dimension must be even and at least 4, got {dimension}.", nameof(dimension));
        int half = dimension / 2;
        var freq = new float[half];
        double scale = Math.Log(10000.0) / (half - 1);
        for (int i = 0; i < half; i++) freq[i] = (float)Math.Exp(-scale * i);
        _frequencies = freq;
        frequencies = tensor(freq).DetachFromDisposeScope();
        dense0 = nn.Linear(dimension, width);
        dense1 = nn.Linear(width, width);
        RegisterComponents();
    }

    /// <summary>The sinusoidal embedding alone, (B) → (B, d).</summary>
    public Tensor Sinusoidal(Tensor t)
    {
        using var scope = NewDisposeScope();
        var f = frequencies.dtype == ScalarType.Float32 ? frequencies : tensor(_frequencies);
        var angles = t.to(ScalarType.Float32).unsqueeze(1) * f.unsqueeze(0);
        return cat([angles.sin(), angles.cos()], 1).MoveToOuterDisposeScope();
    }

    public override Tensor forward(Tensor t)
    {
        using var scope = NewDisposeScope();
        var h = dense0.call(Sinusoidal(t).to(dense0.weight!.dtype));
        return dense1.call(nn.functional.silu(h)).MoveToOuterDisposeScope();
    }
}
