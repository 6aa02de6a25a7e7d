using static TorchSharp.torch;

namespace Microsoft.ML.Diffusion.Reparameterization;

/// <summary>
/// The spread of an estimator: M independent N-draw estimates ĝ₁ … ĝ_M, summarised per parameter element by their
/// mean ḡ, their unbiased variance s² = Σ (ĝ_m − ḡ)² / (M − 1), the standard error of the mean √(s²/M), and the
/// standard error of the variance √((m₄ − s⁴)/M) with m₄ the fourth central moment (no normality assumed).
/// Arrays are per parameter, flattened in row-major order.
/// </summary>
public sealed class GradientStatistics
{
    private const long DrawsPerPass = 1 << 20;   // keeps one vectorised pass within a few tens of MB

    private GradientStatistics(string name, int estimates, int drawsPerEstimate, int evaluationsPerDraw,
        double[][] mean, double[][] variance, double[][] varianceStandardError)
    {
        Name = name;
        Estimates = estimates;
        DrawsPerEstimate = drawsPerEstimate;
        EvaluationsPerEstimate = (long)drawsPerEstimate * evaluationsPerDraw;
        Mean = mean;
        Variance = variance;
        VarianceStandardError = varianceStandardError;
        MeanStandardError = variance.Select(v => v.Select(x => Math.Sqrt(x / estimates)).ToArray()).ToArray();
    }

    /// <summary>The estimator's name.</summary>
    public string Name { get; }

    /// <summary>M, the number of independent estimates.</summary>
    public int Estimates { get; }

    /// <summary>N, the draws behind each estimate.</summary>
    public int DrawsPerEstimate { get; }

    /// <summary>N times the estimator's evaluations of f per draw.</summary>
    public long EvaluationsPerEstimate { get; }

    /// <summary>ḡ, the mean of the estimates, per parameter.</summary>
    public double[][] Mean { get; }

    /// <summary>s², the variance of one N-draw estimate, per parameter.</summary>
    public double[][] Variance { get; }

    /// <summary>√(s²/M), the standard error of <see cref="Mean"/>.</summary>
    public double[][] MeanStandardError { get; }

    /// <summary>√((m₄ − s⁴)/M), the standard error of <see cref="Variance"/>.</summary>
    public double[][] VarianceStandardError { get; }

    /// <summary>Runs <paramref name="estimates"/> independent <paramref name="drawsPerEstimate"/>-draw estimates, vectorised.</summary>
    /// <param name="estimator">The estimator.</param>
    /// <param name="f">The objective: a batch of draws [N, …] to values [N].</param>
    /// <param name="drawsPerEstimate">N ≥ 1.</param>
    /// <param name="estimates">M ≥ 2.</param>
    /// <param name="generator">The random source, or null for the global one.</param>
    public static GradientStatistics Of(GradientEstimator estimator, Func<Tensor, Tensor> f, int drawsPerEstimate, int estimates,
        Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(estimator);
        ArgumentNullException.ThrowIfNull(f);
        ArgumentOutOfRangeException.ThrowIfLessThan(drawsPerEstimate, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(estimates, 2);
        using var scope = NewDisposeScope();
        long elements = estimator.Parameters.Sum(p => Math.Max(1, p.numel()));
        int estimatesPerPass = (int)Math.Clamp(DrawsPerPass / (drawsPerEstimate * elements), 1, estimates);
        var perParameter = estimator.Parameters.Select(_ => new List<Tensor>()).ToArray();
        for (int done = 0; done < estimates; done += estimatesPerPass)
        {
            int count = Math.Min(estimatesPerPass, estimates - done);
            var grads = estimator.PerDrawGradients(f, count * drawsPerEstimate, generator);
            for (int p = 0; p < grads.Length; p++)
                perParameter[p].Add(grads[p].to(ScalarType.Float64).reshape(count, drawsPerEstimate, -1).mean([1]));
        }
        var mean = new double[perParameter.Length][];
        var variance = new double[perParameter.Length][];
        var varianceSe = new double[perParameter.Length][];
        for (int p = 0; p < perParameter.Length; p++)
        {
            var g = cat(perParameter[p], 0);                     // [M, elements]
            var centred = g - g.mean([0]);
            var s2 = g.var(0);                                     // unbiased
            var m4 = centred.pow(4).mean([0]);
            mean[p] = g.mean([0]).data<double>().ToArray();
            variance[p] = s2.data<double>().ToArray();
            varianceSe[p] = ((m4 - s2.pow(2)).clamp_min(0) / estimates).sqrt().data<double>().ToArray();
        }
        return new GradientStatistics(estimator.Name, estimates, drawsPerEstimate, estimator.EvaluationsPerDraw, mean, variance, varianceSe);
    }
}
