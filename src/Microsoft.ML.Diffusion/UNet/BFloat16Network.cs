using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Diffusion;

/// <summary>A bfloat16 copy of a trained U-Net for sampling (<see cref="SamplingPrecision.BFloat16"/>): inputs go in as bfloat16, outputs come back as float32.</summary>
internal sealed class BFloat16Network : IDisposable
{
    private readonly UNetModel _network;

    public BFloat16Network(UNetModel source)
    {
        Source = source;
        _network = new UNetModel(source.Architecture);
        _network.load_state_dict(source.state_dict());
        _network.to(ScalarType.BFloat16);
        _network.eval();
    }

    /// <summary>The float32 network this is a copy of.</summary>
    public UNetModel Source { get; }

    public Tensor Denoise(Tensor x, Tensor t, Tensor? classes = null)
    {
        using var scope = NewDisposeScope();
        var output = DiffusionSamplerTransformer.Denoise(_network, x.to(ScalarType.BFloat16), t, classes);
        return output.to(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    public void Dispose() => _network.Dispose();
}
