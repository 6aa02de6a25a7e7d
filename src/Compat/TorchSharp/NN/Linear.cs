using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace TorchSharp.Modules
{

/// <summary>A fully connected layer y = x·Wᵀ + b.</summary>
public sealed class Linear : torch.nn.Module<Tensor, Tensor>
{
    /// <summary>The weight, of shape (out, in).</summary>
    public Parameter weight;
    /// <summary>The bias, of shape (out), or null.</summary>
    public Parameter? bias;

    internal Linear(long inputSize, long outputSize, bool hasBias, Device? device, ScalarType? dtype) : base(nameof(Linear))
    {
        CheckDevice(device);
        // PyTorch's default: kaiming_uniform_(a = √5) and a bias bound of 1/√fan_in, both U(−1/√in, 1/√in).
        double bound = 1.0 / Math.Sqrt(inputSize);
        using (no_grad())
        {
            weight = new Parameter(empty([outputSize, inputSize], dtype).uniform_(-bound, bound));
            bias = hasBias ? new Parameter(empty([outputSize], dtype).uniform_(-bound, bound)) : null;
        }
        in_features = inputSize;
        out_features = outputSize;
        RegisterComponents();
    }

    /// <summary>The input width.</summary>
    public long in_features { get; set; }
    /// <summary>The output width.</summary>
    public long out_features { get; set; }

    /// <inheritdoc />
    public override Tensor forward(Tensor tensor) => F.linear(tensor, weight, bias);
}
}

namespace TorchSharp
{
using TorchSharp.Modules;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>A fully connected layer.</summary>
        public static Linear Linear(long inputSize, long outputSize, bool hasBias = true, Device? device = null, ScalarType? dtype = null)
            => new(inputSize, outputSize, hasBias, device, dtype);
    }
}
}
