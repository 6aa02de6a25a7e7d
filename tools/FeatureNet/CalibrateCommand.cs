using System.Globalization;
using Microsoft.ML.Data;
using Microsoft.ML.Diffusion.Evaluation;

namespace Microsoft.ML.Diffusion.Tools;

/// <summary>
/// Prints the calibration table of docs/quality.md: the Fréchet distance to the test split of real images,
/// of degraded images and of noise, through the public evaluation API.
/// </summary>
internal static class CalibrateCommand
{
    private const int Size = FashionMnist.ImageSize;
    private const int Seed = 1;

    public static int Run(Arguments args)
    {
        string? data = args.OptionalString("data");
        string? weights = args.OptionalString("weights");
        var ml = new MLContext(seed: Seed);
        using var extractor = weights is null ? FashionMnistFeatureExtractor.LoadBundled() : FashionMnistFeatureExtractor.LoadFromFile(weights);
        // Pixels here are intensities in [0, 1]: (v − 0.5)·2 maps them onto [−1, 1].
        var options = new DiffusionEvaluationOptions { FeatureExtractor = extractor, InputScale = 2f, InputOffset = 0.5f };
        var train = FashionMnistArrays.Load(data, FashionMnistSplit.Train);
        var test = FashionMnistArrays.Load(data, FashionMnistSplit.Test);
        var reference = ml.Diffusion().ComputeReferenceStatistics(View(ml, test.Pixels), "Image", options);
        var random = new Random(Seed);

        var rows = new List<(string name, float[] pixels)>
        {
            ("Test split itself (10,000)", test.Pixels),
            ("Train split, first 10,000", train.Images(0, 10_000).ToArray()),
            ("Train split, all 60,000", train.Pixels),
            ("Train split, first 1,000", train.Images(0, 1_000).ToArray()),
            ("Train split, first 100", train.Images(0, 100).ToArray()),
            ("Train split, class 0 (T-shirt/top) only (6,000)", OneClass(train, 0)),
            ("Test + Gaussian noise σ = 0.05 (10,000)", AddNoise(test.Pixels, 0.05, random)),
            ("Test + Gaussian noise σ = 0.1 (10,000)", AddNoise(test.Pixels, 0.1, random)),
            ("Test + Gaussian noise σ = 0.2 (10,000)", AddNoise(test.Pixels, 0.2, random)),
            ("Test blurred, Gaussian σ = 0.5 px (10,000)", Blur(test.Pixels, 0.5)),
            ("Test blurred, Gaussian σ = 1 px (10,000)", Blur(test.Pixels, 1.0)),
            ("Test blurred, Gaussian σ = 2 px (10,000)", Blur(test.Pixels, 2.0)),
            ("Pure Gaussian noise, test pixel mean/std (10,000)", PureNoise(test.Pixels, 10_000, random)),
        };

        var c = CultureInfo.InvariantCulture;
        Console.WriteLine($"Feature network: {extractor.Name}; reference: Fashion-MNIST test split ({reference.Count:N0} images, {reference.Dimension}-d features)");
        Console.WriteLine();
        Console.WriteLine("| Images compared with the test split | FD | Classifier score |");
        Console.WriteLine("|---|---:|---:|");
        foreach (var (name, pixels) in rows)
        {
            var metrics = ml.Diffusion().Evaluate(View(ml, pixels), reference, "Image", options);
            Console.WriteLine(string.Format(c, "| {0} | {1:F2} | {2:F2} |", name, metrics.FrechetDistance, metrics.ClassifierScore));
        }
        return 0;
    }

    private sealed class Row
    {
        [VectorType(1, Size, Size)]
        public float[] Image { get; set; } = [];
    }

    private static IDataView View(MLContext ml, float[] pixels)
    {
        const int n = Size * Size;
        var rows = new List<Row>(pixels.Length / n);
        for (int i = 0; i < pixels.Length / n; i++) rows.Add(new Row { Image = pixels.AsSpan(i * n, n).ToArray() });
        return ml.Data.LoadFromEnumerable(rows);
    }

    private static float[] OneClass(FashionMnistArrays set, int label) =>
        Enumerable.Range(0, set.Count).Where(i => set.Labels[i] == label).SelectMany(i => set.Images(i, 1).ToArray()).ToArray();

    private static float Gaussian(Random random) =>
        (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));

    private static float[] AddNoise(float[] pixels, double sigma, Random random) =>
        pixels.Select(p => Math.Clamp(p + (float)sigma * Gaussian(random), 0f, 1f)).ToArray();

    private static float[] PureNoise(float[] like, int count, Random random)
    {
        double mean = like.Average(p => (double)p);
        double std = Math.Sqrt(like.Average(p => (p - mean) * (p - mean)));
        return Enumerable.Range(0, count * Size * Size).Select(_ => Math.Clamp((float)(mean + std * Gaussian(random)), 0f, 1f)).ToArray();
    }

    // Separable Gaussian blur with edge pixels repeated beyond the border.
    private static float[] Blur(float[] pixels, double sigma)
    {
        int radius = (int)Math.Ceiling(3 * sigma);
        var kernel = Enumerable.Range(-radius, 2 * radius + 1).Select(k => Math.Exp(-k * k / (2 * sigma * sigma))).ToArray();
        double total = kernel.Sum();
        var weights = kernel.Select(k => (float)(k / total)).ToArray();
        var result = new float[pixels.Length];
        var row = new float[Size * Size];
        for (int start = 0; start < pixels.Length; start += Size * Size)
        {
            for (int y = 0; y < Size; y++)
                for (int x = 0; x < Size; x++)
                {
                    float sum = 0;
                    for (int k = -radius; k <= radius; k++) sum += weights[k + radius] * pixels[start + y * Size + Math.Clamp(x + k, 0, Size - 1)];
                    row[y * Size + x] = sum;
                }
            for (int y = 0; y < Size; y++)
                for (int x = 0; x < Size; x++)
                {
                    float sum = 0;
                    for (int k = -radius; k <= radius; k++) sum += weights[k + radius] * row[Math.Clamp(y + k, 0, Size - 1) * Size + x];
                    result[start + y * Size + x] = sum;
                }
        }
        return result;
    }
}
