using Microsoft.ML.Data;
using Microsoft.ML.Diffusion;
using Microsoft.ML.Diffusion.Evaluation;

namespace FashionMnistDemo;

/// <summary>Classifies generated Fashion-MNIST images with the bundled feature network and scores them per class.</summary>
internal static class ClassAccuracy
{
    /// <summary>The most probable class (0…9) of each 28×28 gray image.</summary>
    public static int[] Predict(FashionMnistFeatureExtractor classifier, IReadOnlyList<MLImage> images)
    {
        const int size = FashionMnist.ImageSize * FashionMnist.ImageSize;
        var pixels = new float[images.Count * size];
        for (int k = 0; k < images.Count; k++)
        {
            // Generated gray images are BGRA with B = G = R; the network takes intensities in [0, 1].
            var bgra = images[k].Pixels;
            for (int i = 0; i < size; i++) pixels[k * size + i] = bgra[4 * i + 1] / 255f;
        }
        return classifier.Extract(pixels, images.Count).Probabilities!
            .Select(p => Array.IndexOf(p, p.Max())).ToArray();
    }

    /// <summary>The share of samples predicted as their own class, overall and per class (NaN for a class without samples).</summary>
    public static (double Overall, double[] PerClass) Score(int[] predicted, int[] classes, int classCount)
    {
        var hits = new int[classCount];
        var totals = new int[classCount];
        for (int i = 0; i < classes.Length; i++)
        {
            totals[classes[i]]++;
            if (predicted[i] == classes[i]) hits[classes[i]]++;
        }
        return ((double)hits.Sum() / classes.Length, hits.Select((h, c) => totals[c] == 0 ? double.NaN : (double)h / totals[c]).ToArray());
    }
}
