namespace Microsoft.ML.Diffusion.Evaluation;

/// <summary>
/// The Fréchet distance between two Gaussians N(μ₁, Σ₁) and N(μ₂, Σ₂):
/// ‖μ₁ − μ₂‖² + Tr(Σ₁ + Σ₂ − 2 (Σ₁^½ Σ₂ Σ₁^½)^½), the quantity FID reports for Inception features.
/// </summary>
/// <remarks>
/// Both square roots come from symmetric eigen-decompositions in double precision (Σ₁^½ Σ₂ Σ₁^½ is symmetric
/// positive semi-definite, unlike the product Σ₁Σ₂ that scipy's <c>sqrtm</c> is usually applied to, so no
/// complex parts have to be discarded). Eigenvalues that are negative by no more than
/// <see cref="NegativeEigenvalueTolerance"/> × the largest eigenvalue are round-off and are clamped to 0;
/// more negative ones mean the input is not a covariance matrix and raise an error. With well-conditioned
/// inputs the result agrees with closed forms to about 1e-12 relative to Tr Σ₁ + Tr Σ₂; eigenvalues at
/// round-off level contribute at most about √(1e-16·λmax) each.
/// </remarks>
public static class FrechetDistance
{
    /// <summary>The relative size of negative eigenvalues accepted as round-off (and clamped to 0).</summary>
    public const double NegativeEigenvalueTolerance = 1e-9;

    /// <summary>The Fréchet distance between the Gaussians fitted to two feature sets.</summary>
    /// <exception cref="ArgumentException">The statistics come from different feature extractors or dimensions.</exception>
    public static double Compute(FeatureStatistics first, FeatureStatistics second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (first.FeatureExtractorName != second.FeatureExtractorName)
            throw new ArgumentException(
                $"The statistics come from different feature extractors ('{first.FeatureExtractorName}' and '{second.FeatureExtractorName}'); " +
                "recompute the reference statistics with the extractor used for evaluation.", nameof(second));
        return Compute(first.MeanArray, first.CovarianceMatrix, second.MeanArray, second.CovarianceMatrix);
    }

    /// <summary>The Fréchet distance between N(<paramref name="mean1"/>, <paramref name="covariance1"/>) and N(<paramref name="mean2"/>, <paramref name="covariance2"/>).</summary>
    /// <exception cref="ArgumentException">Dimensions disagree, a matrix is not symmetric, or it is clearly not positive semi-definite.</exception>
    public static double Compute(double[] mean1, double[,] covariance1, double[] mean2, double[,] covariance2)
    {
        ArgumentNullException.ThrowIfNull(mean1);
        ArgumentNullException.ThrowIfNull(mean2);
        ArgumentNullException.ThrowIfNull(covariance1);
        ArgumentNullException.ThrowIfNull(covariance2);
        int d = mean1.Length;
        if (mean2.Length != d || covariance1.GetLength(0) != d || covariance1.GetLength(1) != d
            || covariance2.GetLength(0) != d || covariance2.GetLength(1) != d)
            throw new ArgumentException(
                $"Dimensions disagree: means of {mean1.Length} and {mean2.Length}, covariances {covariance1.GetLength(0)}×{covariance1.GetLength(1)} and {covariance2.GetLength(0)}×{covariance2.GetLength(1)}.");

        double meanTerm = 0;
        for (int i = 0; i < d; i++) meanTerm += (mean1[i] - mean2[i]) * (mean1[i] - mean2[i]);
        double traces = 0;
        for (int i = 0; i < d; i++) traces += covariance1[i, i] + covariance2[i, i];

        var root1 = SquareRoot(covariance1, nameof(covariance1));
        var middle = Symmetrize(Multiply(Multiply(root1, covariance2), root1));
        var (values, _) = SymmetricEigen.Decompose(middle, computeVectors: false);
        double crossTrace = 0;
        foreach (var v in ClampRoundOff(values, "Σ₁^½ Σ₂ Σ₁^½")) crossTrace += Math.Sqrt(v);

        // Round-off can push a distance of two identical sets a hair below zero.
        return Math.Max(0, meanTerm + traces - 2 * crossTrace);
    }

    /// <summary>The symmetric positive semi-definite square root of a covariance matrix, V·diag(√λ)·Vᵀ.</summary>
    internal static double[,] SquareRoot(double[,] covariance, string name)
    {
        var (values, vectors) = SymmetricEigen.Decompose(covariance);
        values = ClampRoundOff(values, name);
        int d = values.Length;
        var root = new double[d, d];
        for (int i = 0; i < d; i++)
            for (int j = i; j < d; j++)
            {
                double sum = 0;
                for (int k = 0; k < d; k++) sum += vectors[i, k] * Math.Sqrt(values[k]) * vectors[j, k];
                root[i, j] = root[j, i] = sum;
            }
        return root;
    }

    internal static double[] ClampRoundOff(double[] values, string name)
    {
        double largest = values.Length == 0 ? 0 : values.Max(Math.Abs);
        var clamped = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] < -NegativeEigenvalueTolerance * largest)
                throw new ArgumentException(
                    $"{name} has eigenvalue {values[i]:G6} (largest magnitude {largest:G6}); a covariance matrix must be positive semi-definite.", name);
            clamped[i] = Math.Max(0, values[i]);
        }
        return clamped;
    }

    private static double[,] Multiply(double[,] a, double[,] b)
    {
        int n = a.GetLength(0), m = b.GetLength(1), inner = a.GetLength(1);
        var c = new double[n, m];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < inner; k++)
            {
                double aik = a[i, k];
                if (aik == 0) continue;
                for (int j = 0; j < m; j++) c[i, j] += aik * b[k, j];
            }
        return c;
    }

    // The product of symmetric factors is symmetric only up to round-off.
    private static double[,] Symmetrize(double[,] a)
    {
        int n = a.GetLength(0);
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
                a[i, j] = a[j, i] = 0.5 * (a[i, j] + a[j, i]);
        return a;
    }
}
