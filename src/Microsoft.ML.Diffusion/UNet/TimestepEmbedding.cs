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

    public TimestepEmbedding(int dimension, int width) : base(nameof(TimestepEmbedding))
    {
        if (dimension % 2 != 0 || dimension < 4) throw new ArgumentException($"The sinusoidal dimension must be even and at least 4, got {dimension}.", nameof(dimension));
        int half = dimension / 2;
        var freq = new float[half];
        double scale = Math.Log(10000.0) / (half - 1);
        for (int i = 0; i < half; i++) freq[i] = (float)Math.Exp(-scale * i);
        frequencies = tensor(freq).DetachFromDisposeScope();
        dense0 = nn.Linear(dimension, width);
        dense1 = nn.Linear(width, width);
        RegisterComponents();
    }

    /// <summary>The sinusoidal embedding alone, (B) → (B, d).</summary>
    public Tensor Sinusoidal(Tensor t)
    {
        using var scope = NewDisposeScope();
        var angles = t.to(ScalarType.Float32).unsqueeze(1) * frequencies.unsqueeze(0);
        return cat([angles.sin(), angles.cos()], 1).MoveToOuterDisposeScope();
    }

    public override Tensor forward(Tensor t)
    {
        using var scope = NewDisposeScope();
        var h = dense0.call(Sinusoidal(t));
        return dense1.call(nn.functional.silu(h)).MoveToOuterDisposeScope();
    }
}
