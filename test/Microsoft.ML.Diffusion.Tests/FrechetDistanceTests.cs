using Microsoft.ML.Diffusion.Evaluation;

namespace Microsoft.ML.Diffusion.Tests;

/// <summary>The Fréchet distance and its matrix square roots against closed forms.</summary>
[TestClass]
public class FrechetDistanceTests
{
    // The accuracy docs/quality.md states for well-conditioned inputs, relative to the covariance traces.
    private const double Tolerance = 1e-10;

    [TestMethod]
    public void IdenticalGaussiansAreAtDistanceZero()
    {
        var (mean, cov) = RandomGaussian(32, seed: 1);
        Assert.AreEqual(0, FrechetDistance.Compute(mean, cov, mean, cov), Tolerance * Trace(cov));
    }

    [TestMethod]
    public void OneDimensionalCase()
    {
        double fd = FrechetDistance.Compute([1.5], new double[,] { { 4 } }, [-0.5], new double[,] { { 9 } });
        Assert.AreEqual(2.0 * 2.0 + (2.0 - 3.0) * (2.0 - 3.0), fd, 1e-12);
    }

    [TestMethod]
    public void DiagonalCovariances()
    {
        double[] a = [1, 4, 0.25, 9, 0], b = [2, 1, 0.5, 16, 3];
        double[] m1 = [0, 1, 2, 3, 4], m2 = [1, 1, 0, 3, 4];
        double expected = 1 + 4;
        for (int i = 0; i < a.Length; i++) expected += Math.Pow(Math.Sqrt(a[i]) - Math.Sqrt(b[i]), 2);
        Assert.AreEqual(expected, FrechetDistance.Compute(m1, Diagonal(a), m2, Diagonal(b)), Tolerance * (a.Sum() + b.Sum()));
    }

    [TestMethod]
    public void RotatingBothSetsChangesNothing()
    {
        double[] a = [1, 4, 0.25, 9], b = [2, 1, 0.5, 16];
        var r = RandomRotation(4, seed: 3);
        double expected = 0;
        for (int i = 0; i < a.Length; i++) expected += Math.Pow(Math.Sqrt(a[i]) - Math.Sqrt(b[i]), 2);
        var zero = new double[4];
        double fd = FrechetDistance.Compute(zero, Conjugate(r, Diagonal(a)), zero, Conjugate(r, Diagonal(b)));
        Assert.AreEqual(expected, fd, Tolerance * (a.Sum() + b.Sum()));
    }

    [TestMethod]
    public void NonCommutingTwoByTwoClosedForm()
    {
        // For 2×2 positive semi-definite M, Tr √M = √(Tr M + 2√det M), and Tr(Σ₁^½Σ₂Σ₁^½) = Tr(Σ₁Σ₂).
        var s1 = new double[,] { { 2, 0 }, { 0, 0.5 } };
        var s2 = Conjugate(RandomRotation(2, seed: 5), new double[,] { { 3, 0 }, { 0, 0.2 } });
        double trProduct = s1[0, 0] * s2[0, 0] + s1[0, 1] * s2[1, 0] + s1[1, 0] * s2[0, 1] + s1[1, 1] * s2[1, 1];
        double det1 = s1[0, 0] * s1[1, 1] - s1[0, 1] * s1[1, 0], det2 = s2[0, 0] * s2[1, 1] - s2[0, 1] * s2[1, 0];
        double expected = s1[0, 0] + s1[1, 1] + s2[0, 0] + s2[1, 1] - 2 * Math.Sqrt(trProduct + 2 * Math.Sqrt(det1 * det2));
        Assert.AreEqual(expected, FrechetDistance.Compute([0, 0], s1, [0, 0], s2), 1e-12);
    }

    [TestMethod]
    public void SquareRootSquaresBackToTheMatrix()
    {
        var (_, cov) = RandomGaussian(64, seed: 7);
        var root = FrechetDistance.SquareRoot(cov, "cov");
        double worst = 0, scale = 0;
        for (int i = 0; i < 64; i++)
            for (int j = 0; j < 64; j++)
            {
                double sum = 0;
                for (int k = 0; k < 64; k++) sum += root[i, k] * root[k, j];
                worst = Math.Max(worst, Math.Abs(sum - cov[i, j]));
                scale = Math.Max(scale, Math.Abs(cov[i, j]));
            }
        Assert.IsTrue(worst <= 1e-12 * scale, $"max |S·S − A| = {worst:G3} for max |A| = {scale:G3}");
    }

    [TestMethod]
    public void EigenDecompositionReconstructsTheMatrix()
    {
        var (_, a) = RandomGaussian(40, seed: 9);
        var (values, v) = SymmetricEigen.Decompose(a);
        double worst = 0;
        for (int i = 0; i < 40; i++)
            for (int j = 0; j < 40; j++)
            {
                double sum = 0, orthogonality = 0;
                for (int k = 0; k < 40; k++)
                {
                    sum += v[i, k] * values[k] * v[j, k];
                    orthogonality += v[k, i] * v[k, j];
                }
                worst = Math.Max(worst, Math.Max(Math.Abs(sum - a[i, j]), Math.Abs(orthogonality - (i == j ? 1 : 0))));
            }
        Assert.IsTrue(worst < 1e-12, $"worst reconstruction/orthogonality error {worst:G3}");
    }

    [TestMethod]
    public void RankDeficientCovarianceIsAcceptedAndClearlyNegativeIsRejected()
    {
        // Five samples in ten dimensions: a singular covariance whose zero eigenvalues come out as ±round-off.
        var random = new Random(11);
        var features = Enumerable.Range(0, 5).Select(_ => Enumerable.Range(0, 10).Select(_ => random.NextDouble()).ToArray()).ToList();
        var stats = FeatureStatistics.FromFeatures(features, "test");
        Assert.AreEqual(0, FrechetDistance.Compute(stats, stats), 1e-6);

        var indefinite = new double[,] { { 1, 0 }, { 0, -0.01 } };
        var e = Assert.ThrowsExactly<ArgumentException>(() => FrechetDistance.Compute([0, 0], indefinite, [0, 0], Diagonal([1, 1])));
        StringAssert.Contains(e.Message, "positive semi-definite");
    }

    [TestMethod]
    public void StatisticsAreTheUnbiasedMeanAndCovarianceAndRoundTrip()
    {
        var stats = FeatureStatistics.FromFeatures([[1, 2], [3, 6], [5, 4]], "test");
        CollectionAssert.AreEqual(new[] { 3.0, 4.0 }, stats.Mean.ToArray());
        Assert.AreEqual(4.0, stats.Covariance(0, 0), 1e-12);
        Assert.AreEqual(2.0, stats.Covariance(0, 1), 1e-12);
        Assert.AreEqual(4.0, stats.Covariance(1, 1), 1e-12);

        using var stream = new MemoryStream();
        stats.Save(stream);
        stream.Position = 0;
        var loaded = FeatureStatistics.Load(stream);
        Assert.AreEqual("test", loaded.FeatureExtractorName);
        Assert.AreEqual(3, loaded.Count);
        CollectionAssert.AreEqual(stats.MeanArray, loaded.MeanArray);
        CollectionAssert.AreEqual(stats.CovarianceMatrix, loaded.CovarianceMatrix);
        Assert.ThrowsExactly<InvalidDataException>(() => FeatureStatistics.Load(new MemoryStream([1, 2, 3])));
        Assert.ThrowsExactly<ArgumentException>(() => FeatureStatistics.FromFeatures([[1.0, 2.0]], "test"));
    }

    [TestMethod]
    public void ClassifierScoreBounds()
    {
        double[][] same = Enumerable.Repeat(new[] { 0.7, 0.2, 0.1 }, 50).ToArray();
        Assert.AreEqual(1, ClassifierScore.Compute(same, out _), 1e-12);

        double[][] confidentUniform = Enumerable.Range(0, 40).Select(i => Enumerable.Range(0, 4).Select(k => k == i % 4 ? 1.0 : 0.0).ToArray()).ToArray();
        Assert.AreEqual(4, ClassifierScore.Compute(confidentUniform, out var marginal), 1e-12);
        CollectionAssert.AreEqual(new[] { 0.25, 0.25, 0.25, 0.25 }, marginal);

        var random = new Random(13);
        for (int trial = 0; trial < 20; trial++)
        {
            var p = Enumerable.Range(0, 30).Select(_ =>
            {
                var row = Enumerable.Range(0, 5).Select(_ => Math.Pow(random.NextDouble(), 4)).ToArray();
                double sum = row.Sum();
                return row.Select(x => x / sum).ToArray();
            }).ToArray();
            double score = ClassifierScore.Compute(p, out _);
            Assert.IsTrue(score is >= 1 and <= 5, $"score {score} outside [1, 5]");
        }
    }

    private static double[,] Diagonal(double[] values)
    {
        var m = new double[values.Length, values.Length];
        for (int i = 0; i < values.Length; i++) m[i, i] = values[i];
        return m;
    }

    private static double Trace(double[,] m) => Enumerable.Range(0, m.GetLength(0)).Sum(i => m[i, i]);

    private static (double[] mean, double[,] covariance) RandomGaussian(int d, int seed)
    {
        var random = new Random(seed);
        var features = Enumerable.Range(0, 4 * d).Select(_ => Enumerable.Range(0, d).Select(_ => random.NextDouble() * 2 - 1).ToArray()).ToList();
        var stats = FeatureStatistics.FromFeatures(features, "test");
        return (stats.MeanArray, stats.CovarianceMatrix);
    }

    // A random orthogonal matrix: Gram–Schmidt on random columns.
    private static double[,] RandomRotation(int d, int seed)
    {
        var random = new Random(seed);
        var q = new double[d, d];
        for (int j = 0; j < d; j++)
        {
            var v = Enumerable.Range(0, d).Select(_ => random.NextDouble() - 0.5).ToArray();
            for (int k = 0; k < j; k++)
            {
                double dot = 0;
                for (int i = 0; i < d; i++) dot += v[i] * q[i, k];
                for (int i = 0; i < d; i++) v[i] -= dot * q[i, k];
            }
            double norm = Math.Sqrt(v.Sum(x => x * x));
            for (int i = 0; i < d; i++) q[i, j] = v[i] / norm;
        }
        return q;
    }

    // R·A·Rᵀ
    private static double[,] Conjugate(double[,] r, double[,] a)
    {
        int d = a.GetLength(0);
        var result = new double[d, d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
            {
                double sum = 0;
                for (int k = 0; k < d; k++)
                    for (int l = 0; l < d; l++) sum += r[i, k] * a[k, l] * r[j, l];
                result[i, j] = sum;
            }
        return result;
    }
}
