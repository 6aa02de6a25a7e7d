namespace Microsoft.ML.Diffusion.Evaluation;

/// <summary>
/// Eigen-decomposition of a real symmetric matrix by the cyclic Jacobi method, in double precision.
/// </summary>
/// <remarks>
/// Jacobi is slower than tridiagonal QR for large matrices but it is simple, unconditionally stable and
/// computes small eigenvalues to high relative accuracy, which matters here: the Fréchet distance takes
/// square roots of eigenvalues, so an absolute error δ near zero becomes √δ. Feature dimensions are a few
/// hundred at most, where a sweep costs a few milliseconds.
/// </remarks>
internal static class SymmetricEigen
{
    private const int MaxSweeps = 100;

    /// <summary>Eigenvalues and (column) eigenvectors of the symmetric <paramref name="matrix"/>, which is not modified.</summary>
    /// <exception cref="ArgumentException">The matrix is not square, not symmetric or not finite.</exception>
    /// <exception cref="ArithmeticException">Jacobi did not converge (cannot happen for finite symmetric input in practice).</exception>
    public static (double[] values, double[,] vectors) Decompose(double[,] matrix, bool computeVectors = true)
    {
        int n = matrix.GetLength(0);
        if (matrix.GetLength(1) != n) throw new ArgumentException($"Expected a square matrix, got {n}×{matrix.GetLength(1)}.", nameof(matrix));
        var a = (double[,])matrix.Clone();
        CheckSymmetric(a);
        var v = new double[computeVectors ? n : 0, computeVectors ? n : 0];
        for (int i = 0; i < v.GetLength(0); i++) v[i, i] = 1;

        double frobenius2 = 0;
        foreach (var x in a) frobenius2 += x * x;
        // Converged when the off-diagonal mass is at round-off level of the whole matrix.
        double threshold2 = frobenius2 * 1e-32;
        for (int sweep = 0; sweep < MaxSweeps; sweep++)
        {
            if (OffDiagonal2(a) <= threshold2)
                return (Diagonal(a), v);
            for (int p = 0; p < n - 1; p++)
                for (int q = p + 1; q < n; q++)
                    Rotate(a, v, p, q, computeVectors);
        }
        if (OffDiagonal2(a) <= threshold2) return (Diagonal(a), v);
        throw new ArithmeticException($"The Jacobi eigen-decomposition of a {n}×{n} matrix did not converge in {MaxSweeps} sweeps.");
    }

    private static void Rotate(double[,] a, double[,] v, int p, int q, bool computeVectors)
    {
        double apq = a[p, q];
        if (apq == 0) return;
        double app = a[p, p], aqq = a[q, q];
        // Rutishauser's formulation: the smaller root of t² + 2θt − 1 = 0 keeps the rotation angle ≤ π/4.
        double theta = (aqq - app) / (2 * apq);
        double t = Math.Sign(theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
        if (theta == 0) t = 1;
        double c = 1 / Math.Sqrt(t * t + 1), s = t * c;
        int n = a.GetLength(0);
        for (int k = 0; k < n; k++)
        {
            double akp = a[k, p], akq = a[k, q];
            a[k, p] = c * akp - s * akq;
            a[k, q] = s * akp + c * akq;
        }
        for (int k = 0; k < n; k++)
        {
            double apk = a[p, k], aqk = a[q, k];
            a[p, k] = c * apk - s * aqk;
            a[q, k] = s * apk + c * aqk;
        }
        a[p, q] = a[q, p] = 0;
        if (!computeVectors) return;
        for (int k = 0; k < n; k++)
        {
            double vkp = v[k, p], vkq = v[k, q];
            v[k, p] = c * vkp - s * vkq;
            v[k, q] = s * vkp + c * vkq;
        }
    }

    private static double OffDiagonal2(double[,] a)
    {
        int n = a.GetLength(0);
        double sum = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                if (i != j) sum += a[i, j] * a[i, j];
        return sum;
    }

    private static double[] Diagonal(double[,] a)
    {
        var d = new double[a.GetLength(0)];
        for (int i = 0; i < d.Length; i++) d[i] = a[i, i];
        return d;
    }

    private static void CheckSymmetric(double[,] a)
    {
        int n = a.GetLength(0);
        double scale = 0;
        foreach (var x in a)
        {
            if (!double.IsFinite(x)) throw new ArgumentException("The matrix holds a non-finite value.", nameof(a));
            scale = Math.Max(scale, Math.Abs(x));
        }
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
            {
                if (Math.Abs(a[i, j] - a[j, i]) > 1e-12 * scale)
                    throw new ArgumentException($"The matrix is not symmetric: [{i},{j}] = {a[i, j]} but [{j},{i}] = {a[j, i]}.", nameof(a));
                // Average away round-off asymmetry so the rotations see an exactly symmetric matrix.
                a[i, j] = a[j, i] = 0.5 * (a[i, j] + a[j, i]);
            }
    }
}
