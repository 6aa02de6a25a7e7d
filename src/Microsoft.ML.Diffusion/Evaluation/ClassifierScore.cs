namespace Microsoft.ML.Diffusion.Evaluation;

/// <summary>
/// The Inception-Score analogue of a classifier: exp E_x[KL(p(y|x) ‖ p(y))], with p(y) the mean prediction
/// over the set. 1 when every image gets the same distribution; the class count when predictions are
/// confident and spread evenly over the classes.
/// </summary>
internal static class ClassifierScore
{
    public static double Compute(IReadOnlyList<double[]> probabilities, out double[] marginal)
    {
        int n = probabilities.Count, k = probabilities[0].Length;
        marginal = new double[k];
        foreach (var p in probabilities)
            for (int y = 0; y < k; y++) marginal[y] += p[y];
        for (int y = 0; y < k; y++) marginal[y] /= n;

        double meanKl = 0;
        foreach (var p in probabilities)
        {
            double kl = 0;
            for (int y = 0; y < k; y++)
                if (p[y] > 0) kl += p[y] * (Math.Log(p[y]) - Math.Log(marginal[y]));
            meanKl += kl;
        }
        meanKl /= n;
        // KL ≥ 0 exactly; a tiny negative mean is round-off.
        return Math.Exp(Math.Max(0, meanKl));
    }
}
