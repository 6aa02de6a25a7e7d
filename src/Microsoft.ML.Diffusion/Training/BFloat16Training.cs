using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Diffusion;

/// <summary>
/// Mixed-precision training without autocast (TorchSharp 0.107 has none), for <see cref="TrainingPrecision.BFloat16"/>:
/// the float32 network stays the master copy that Adam, clipping, the EMA and checkpoints see; every step its weights
/// are copied into a bfloat16 twin, which runs forward and backward, and the twin's gradients come back as the master
/// parameters' float32 gradients. The twin is derived state: nothing of it is saved.
/// </summary>
internal sealed class BFloat16Training : IDisposable
{
    private readonly UNetModel _network;
    private readonly (Parameter master, Parameter work)[] _pairs;

    public BFloat16Training(UNetModel master)
    {
        // Building a network draws its initial weights from the default generator, which dropout draws from too; the
        // twin's weights are overwritten every step, so the generator is put back and a bfloat16 run draws what a
        // float32 run draws.
        using var rng = torch.random.get_rng_state();
        _network = new UNetModel(master.Architecture);
        torch.random.set_rng_state(rng);
        _network.to(ScalarType.BFloat16);
        _network.train(master.training);
        var masters = master.named_parameters().ToList();
        var works = _network.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        _pairs = masters.Select(p => (p.parameter, works[p.name])).ToArray();
    }

    /// <summary>The bfloat16 twin that a step runs forward and backward.</summary>
    public UNetModel Network => _network;

    /// <summary>Copies the master weights into the twin (rounded to bfloat16) and clears the twin's gradients.</summary>
    public void LoadMasterWeights()
    {
        using (no_grad())
            foreach (var (master, work) in _pairs)
                work.copy_(master);
        _network.zero_grad();
    }

    /// <summary>Sets every master parameter's gradient to the twin's, in float32.</summary>
    public void GradientsToMaster()
    {
        using (no_grad())
            foreach (var (master, work) in _pairs)
            {
                using var g = work.grad;
                if (g is null) continue;
                using var existing = master.grad;
                if (existing is null) master.grad = g.to(ScalarType.Float32);
                else existing.copy_(g);
            }
    }

    public void Dispose() => _network.Dispose();
}
