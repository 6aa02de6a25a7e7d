using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Diffusion.Tests.Reparameterization;

/// <summary>Sample moments with standard errors taken from the sample itself, and the assertions built on them.</summary>
internal static class ReparameterizationTestKit
{
    /// <summary>How many standard errors a statistical check allows.</summary>
    public const double K = 5;

    /// <summary>Mean, unbiased variance, SE of the mean √(s²/n) and SE of the variance √((m₄ − s⁴)/n) of a 1-D sample.</summary>
    public static Moments MomentsOf(Tensor sample)
    {
        using var scope = NewDisposeScope();
        var x = sample.to(ScalarType.Float64).flatten();
        long n = x.shape[0];
        double mean = x.mean().ToDouble();
        double variance = x.var().ToDouble();
        double m4 = (x - mean).pow(4).mean().ToDouble();
        return new Moments(mean, variance, Math.Sqrt(variance / n), Math.Sqrt(Math.Max(m4 - variance * variance, 0) / n));
    }

    /// <summary>Column <paramref name="j"/> of per-draw gradients [N, …] flattened to [N, elements].</summary>
    public static Tensor Element(Tensor perDraw, int j) => perDraw.reshape(perDraw.shape[0], -1)[.., j];

    /// <summary>Asserts the sample mean is within K standard errors of <paramref name="expected"/>.</summary>
    public static void AssertMean(double expected, Moments m, string what) =>
        Assert.AreEqual(expected, m.Mean, K * m.MeanSe, $"{what}: mean {m.Mean:G6} ± {m.MeanSe:G3} (SE), expected {expected:G6}");

    /// <summary>Asserts the sample variance is within K standard errors of <paramref name="expected"/>.</summary>
    public static void AssertVariance(double expected, Moments m, string what) =>
        Assert.AreEqual(expected, m.Variance, K * m.VarianceSe, $"{what}: variance {m.Variance:G6} ± {m.VarianceSe:G3} (SE), expected {expected:G6}");

    /// <summary>The ratio of two independent sample variances and its delta-method standard error.</summary>
    public static (double Ratio, double Se) VarianceRatio(Moments numerator, Moments denominator)
    {
        double r = numerator.Variance / denominator.Variance;
        double relative = Math.Sqrt(Math.Pow(numerator.VarianceSe / numerator.Variance, 2) + Math.Pow(denominator.VarianceSe / denominator.Variance, 2));
        return (r, r * relative);
    }

    /// <summary>A float64 leaf tensor that requires gradients.</summary>
    public static Tensor Parameter(double[] values, params long[] shape) =>
        tensor(values, shape.Length == 0 ? [values.Length] : shape, ScalarType.Float64).requires_grad_(true);

    /// <summary>A float64 scalar leaf that requires gradients.</summary>
    public static Tensor Parameter(double value) => tensor(value, ScalarType.Float64).requires_grad_(true);
}

internal readonly record struct Moments(double Mean, double Variance, double MeanSe, double VarianceSe);
