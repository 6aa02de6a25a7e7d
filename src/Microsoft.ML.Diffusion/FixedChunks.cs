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

    public static Tensor Apply(Tensor x, Func<Tensor, Tensor> f)
    {
        long rows = x.shape[0];
        using var scope = NewDisposeScope();
        var outputs = new List<Tensor>();
        for (long start = 0; start < rows; start += Rows)
        {
            long length = Math.Min(Rows, rows - start);
            var chunk = x.narrow(0, start, length);
            if (length < Rows)
            {
                var padShape = chunk.shape;
                padShape[0] = Rows - length;
                chunk = cat([chunk, zeros(padShape, chunk.dtype)], 0);
            }
            outputs.Add(f(chunk).narrow(0, 0, length));
        }
        return cat(outputs, 0).MoveToOuterDisposeScope();
    }
}
