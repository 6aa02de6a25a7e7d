using static TorchSharp.torch;

namespace Microsoft.ML.Diffusion;

/// <summary>
/// Evaluates a network on fixed-size chunks of rows, padding the last one. BLAS and oneDNN pick kernels by batch size and
/// different kernels round differently, so this makes a row's result independent of how many rows are evaluated with it.
/// </summary>
internal static class FixedChunks
{
    /// <summary>Rows the network always sees at once.</summary>
    public const int Rows = 8;

    public static Tensor Apply(Tensor x, Func<Tensor, Tensor> f) => Apply([x], chunk => f(chunk[0]));

    /// <summary>Applies <paramref name="f"/> to aligned chunks of every input (rows first), each padded with zeros of its type.</summary>
    public static Tensor Apply(Tensor[] inputs, Func<Tensor[], Tensor> f)
    {
        long rows = inputs[0].shape[0];
        using var scope = NewDisposeScope();
        var outputs = new List<Tensor>();
        for (long start = 0; start < rows; start += Rows)
        {
            long length = Math.Min(Rows, rows - start);
            var chunk = inputs.Select(x => Pad(x.narrow(0, start, length))).ToArray();
            outputs.Add(f(chunk).narrow(0, 0, length));
        }
        return cat(outputs, 0).MoveToOuterDisposeScope();
    }

    private static Tensor Pad(Tensor chunk)
    {
        if (chunk.shape[0] == Rows) return chunk;
        var padShape = chunk.shape;
        padShape[0] = Rows - chunk.shape[0];
        return cat([chunk, zeros(padShape, chunk.dtype)], 0);
    }
}
