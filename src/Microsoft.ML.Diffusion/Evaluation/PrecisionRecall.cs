using static TorchSharp.torch;

namespace Microsoft.ML.Diffusion.Evaluation;

/// <summary>
/// Improved precision and recall (Kynkäänniemi et al., 2019): each set's support is the union of balls around
/// its points reaching their k-th nearest neighbour. Precision is the share of generated points inside the
/// reference support (fidelity); recall the share of reference points inside the generated support (coverage).
/// </summary>
internal static class PrecisionRecall
{
    private const int Chunk = 512;

    public static (double precision, double recall) Compute(IReadOnlyList<double[]> reference, IReadOnlyList<double[]> generated, int k)
    {
        using var scope = NewDisposeScope();
        using var mode = inference_mode();
        var real = ToTensor(reference);
        var fake = ToTensor(generated);
        var realRadii = KthNeighbourDistances2(real, k);
        var fakeRadii = KthNeighbourDistances2(fake, k);
        return (Coverage(fake, real, realRadii), Coverage(real, fake, fakeRadii));
    }

    private static Tensor ToTensor(IReadOnlyList<double[]> rows)
    {
        int d = rows[0].Length;
        var flat = new double[rows.Count * d];
        for (int i = 0; i < rows.Count; i++) rows[i].CopyTo(flat, i * d);
        return tensor(flat, [rows.Count, d]);
    }

    // Squared distances from each row of a to each row of b.
    private static Tensor Distances2(Tensor a, Tensor b)
    {
        var aa = a.pow(2).sum(1, keepdim: true);
        var bb = b.pow(2).sum(1).unsqueeze(0);
        return (aa + bb - 2 * a.mm(b.t())).clamp_min(0);
    }

    private static Tensor KthNeighbourDistances2(Tensor points, int k)
    {
        long n = points.shape[0];
        var radii = new double[n];
        for (long start = 0; start < n; start += Chunk)
        {
            using var scope = NewDisposeScope();
            long length = Math.Min(Chunk, n - start);
            var d = Distances2(points.narrow(0, start, length), points).data<double>().ToArray();
            for (int i = 0; i < length; i++)
                // The point itself is at distance 0, so the k-th neighbour is the (k+1)-th smallest.
                radii[start + i] = KthSmallest(d.AsSpan(i * (int)n, (int)n), Math.Min(k, (int)n - 1) + 1);
        }
        return tensor(radii);
    }

    private static double KthSmallest(ReadOnlySpan<double> values, int k)
    {
        Span<double> best = stackalloc double[k];
        best.Fill(double.PositiveInfinity);
        foreach (var v in values)
        {
            if (v >= best[k - 1]) continue;
            int j = k - 1;
            while (j > 0 && best[j - 1] > v) { best[j] = best[j - 1]; j--; }
            best[j] = v;
        }
        return best[k - 1];
    }

    // The share of queries within some support point's radius.
    private static double Coverage(Tensor queries, Tensor support, Tensor supportRadii2)
    {
        long n = queries.shape[0], inside = 0;
        for (long start = 0; start < n; start += Chunk)
        {
            using var scope = NewDisposeScope();
            long length = Math.Min(Chunk, n - start);
            var slack = Distances2(queries.narrow(0, start, length), support) - supportRadii2.unsqueeze(0);
            inside += slack.amin([1]).le(0).sum().item<long>();
        }
        return (double)inside / n;
    }
}
