using Microsoft.ML.Data;
using Microsoft.ML.Diffusion.Evaluation;
using Microsoft.ML.Runtime;
using Microsoft.ML.Transforms.Image;

namespace Microsoft.ML.Diffusion.Tests;

/// <summary>mlContext.Diffusion().Evaluate and the bundled Fashion-MNIST feature network on real data.</summary>
[TestClass]
public sealed class DiffusionEvaluationTests
{
    private static readonly MLContext Ml = new(seed: 1);
    private static IDataView _test = null!;
    private static IDataView _testVectors = null!;
    private static IDataView _train = null!;

    [ClassInitialize]
    public static void LoadData(TestContext _)
    {
        _test = FashionMnist.Load(Ml, FashionMnistSplit.Test);
        _testVectors = FashionMnist.Load(Ml, FashionMnistSplit.Test, imageKind: FashionMnistImageKind.Vector);
        _train = FashionMnist.Load(Ml, FashionMnistSplit.Train);
    }

    public sealed class VectorRow
    {
        [VectorType(1, 28, 28)]
        public float[] Image { get; set; } = [];
    }

    private static IDataView Take(IDataView data, int skip, int count) => count == 0
        ? Ml.Data.SkipRows(data, long.MaxValue)    // ML.NET refuses TakeRows(0); skipping every row leaves none
        : Ml.Data.TakeRows(skip == 0 ? data : Ml.Data.SkipRows(data, skip), count);

    private static IDataView Noise(int count, int seed)
    {
        var random = new Random(seed);
        return Ml.Data.LoadFromEnumerable(Enumerable.Range(0, count)
            .Select(_ => new VectorRow { Image = Enumerable.Range(0, 784).Select(_ => (float)random.Next(256)).ToArray() }).ToList());
    }

    [TestMethod]
    public void BundledNetworkClassifiesTheTestSplit()
    {
        using var extractor = FashionMnistFeatureExtractor.LoadBundled();
        Assert.AreEqual(128, extractor.FeatureDimension);
        Assert.AreEqual(10, extractor.ClassCount);
        StringAssert.StartsWith(extractor.Name, "fashion-mnist-cnn-v1/");
        var rows = Ml.Data.CreateEnumerable<FashionMnistLabelledVector>(Take(_testVectors, 0, 2000), reuseRowObject: false).ToList();
        var pixels = rows.SelectMany(r => r.Image.Select(v => v / 255f)).ToArray();
        var predicted = extractor.Predict(pixels, rows.Count);
        double accuracy = rows.Where((r, i) => predicted[i] == r.Label).Count() / (double)rows.Count;
        Assert.IsTrue(accuracy >= 0.9, $"test accuracy on the first 2,000 images is {accuracy:P2}");
    }

    public sealed class FashionMnistLabelledVector
    {
        public uint Label { get; set; }

        [VectorType(1, 28, 28)]
        public float[] Image { get; set; } = [];
    }

    [TestMethod]
    public void RealImagesAreMuchCloserThanNoise()
    {
        var reference = Take(_test, 0, 2000);
        var real = Ml.Diffusion().Evaluate(Take(_train, 0, 1000), reference, "Image", "Image");
        var noise = Ml.Diffusion().Evaluate(Noise(1000, seed: 2), reference, "Image", "Image");
        Assert.AreEqual(1000, real.SampleCount);
        Assert.AreEqual(2000, real.ReferenceCount);
        Assert.AreEqual(0, real.Warnings.Count, string.Join("; ", real.Warnings));
        Assert.IsTrue(real.FrechetDistance * 20 < noise.FrechetDistance, $"FD real {real.FrechetDistance:F2} vs noise {noise.FrechetDistance:F2}");
        Assert.IsTrue(real.ClassifierScore > 5 && real.ClassifierScore <= 10, $"classifier score of real images {real.ClassifierScore:F2}");
        // The network's softmax is float32.
        Assert.AreEqual(1, real.ClassDistribution.Sum(), 1e-5);
    }

    [TestMethod]
    public void ReusedReferenceStatisticsGiveTheSameDistance()
    {
        var reference = Take(_test, 0, 1500);
        var generated = Take(_train, 0, 1000);
        var direct = Ml.Diffusion().Evaluate(generated, reference, "Image", "Image");
        var statistics = Ml.Diffusion().ComputeReferenceStatistics(reference);
        var path = Path.Combine(Path.GetTempPath(), $"fmnist-stats-{Guid.NewGuid():N}.bin");
        try
        {
            statistics.Save(path);
            var reused = Ml.Diffusion().Evaluate(generated, FeatureStatistics.Load(path), "Image");
            Assert.AreEqual(direct.FrechetDistance, reused.FrechetDistance, 1e-9 * direct.FrechetDistance);
            Assert.AreEqual(direct.ClassifierScore, reused.ClassifierScore, 1e-12);
            Assert.AreEqual(1500, reused.ReferenceCount);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void ImageAndVectorColumnsGiveTheSameFeatures()
    {
        var asVectors = Ml.Diffusion().ComputeReferenceStatistics(Take(_testVectors, 0, 300));
        var asImages = Ml.Diffusion().ComputeReferenceStatistics(Take(_test, 0, 300));
        Assert.AreEqual(0, FrechetDistance.Compute(asVectors, asImages), 1e-9);
    }

    [TestMethod]
    public void FewSamplesWarnAndFewerThanTwoFail()
    {
        var warnings = new List<string>();
        var ml = new MLContext(seed: 1);
        ml.Log += (_, e) => { if (e.Kind == ChannelMessageKind.Warning) warnings.Add(e.RawMessage); };
        var metrics = ml.Diffusion().Evaluate(Take(_train, 0, 50), Take(_test, 0, 1000), "Image", "Image");
        Assert.AreEqual(50, metrics.SampleCount);
        Assert.AreEqual(1, metrics.Warnings.Count);
        StringAssert.Contains(metrics.Warnings[0], "only 50 generated images");
        CollectionAssert.AreEqual(metrics.Warnings.ToList(), warnings);

        var e = Assert.ThrowsExactly<ArgumentException>(() => ml.Diffusion().Evaluate(Take(_train, 0, 1), Take(_test, 0, 100), "Image", "Image"));
        StringAssert.Contains(e.Message, "generated data has 1 image(s) in column 'Image'");
        e = Assert.ThrowsExactly<ArgumentException>(() => ml.Diffusion().ComputeReferenceStatistics(Take(_test, 0, 0)));
        StringAssert.Contains(e.Message, "at least 2");
    }

    [TestMethod]
    public void PrecisionAndRecallSeparateRealImagesFromNoise()
    {
        var options = new DiffusionEvaluationOptions { ComputePrecisionRecall = true };
        var reference = Take(_test, 0, 1000);
        var real = Ml.Diffusion().Evaluate(Take(_train, 0, 1000), reference, "Image", "Image", options);
        var noise = Ml.Diffusion().Evaluate(Noise(1000, seed: 3), reference, "Image", "Image", options);
        Assert.IsTrue(real.Precision > 0.6 && real.Recall > 0.6, real.ToString());
        // Noise images collapse onto a few features near real outliers (whose k-NN balls are large), so precision
        // alone does not reach 0; recall, which needs the whole real manifold covered, does.
        Assert.IsTrue(noise.Precision < 0.5 * real.Precision && noise.Recall < 0.05, $"{noise} vs real {real}");
    }

    [TestMethod]
    public void BadColumnsAreNamed()
    {
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Ml.Diffusion().ComputeReferenceStatistics(_test, "Pixels"));
        StringAssert.Contains(e.Message, "Could not find image column 'Pixels'");
        e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Ml.Diffusion().ComputeReferenceStatistics(_test, "Label"));
        StringAssert.Contains(e.Message, "Schema mismatch for image column 'Label'");

        var small = Ml.Data.LoadFromEnumerable(Enumerable.Range(0, 3).Select(_ => new SmallImage { Image = MLImage.CreateFromPixels(8, 8, MLPixelFormat.Bgra32, new byte[256]) }).ToList());
        var size = Assert.ThrowsExactly<InvalidOperationException>(() => Ml.Diffusion().ComputeReferenceStatistics(small));
        StringAssert.Contains(size.Message, "image column 'Image' is 8×8");
        StringAssert.Contains(size.Message, "needs 28×28");

        var options = new DiffusionEvaluationOptions { InputScale = 1f, InputOffset = 0f };
        var range = Assert.ThrowsExactly<InvalidOperationException>(() => Ml.Diffusion().ComputeReferenceStatistics(Take(_testVectors, 0, 10), "Image", options));
        StringAssert.Contains(range.Message, "InputOffset");
    }

    public sealed class SmallImage
    {
        [ImageType(8, 8)]
        public MLImage? Image { get; set; }
    }

    [TestMethod]
    public void StatisticsOfAnotherFeatureNetworkAreRefused()
    {
        var foreign = FeatureStatistics.FromFeatures([[1.0, 2.0], [2.0, 1.0]], "someone-else");
        var e = Assert.ThrowsExactly<ArgumentException>(() => Ml.Diffusion().Evaluate(Take(_train, 0, 10), foreign, "Image"));
        StringAssert.Contains(e.Message, "'someone-else'");
    }

    [TestMethod]
    public void CustomFeatureExtractorsArePluggable()
    {
        // Mean and variance of intensity: a two-feature "network" without a classifier.
        var options = new DiffusionEvaluationOptions { FeatureExtractor = new IntensityMoments() };
        var metrics = Ml.Diffusion().Evaluate(Take(_train, 0, 200), Take(_test, 0, 200), "Image", "Image", options);
        Assert.AreEqual("intensity-moments", metrics.FeatureExtractorName);
        Assert.IsTrue(double.IsNaN(metrics.ClassifierScore));
        Assert.AreEqual(0, metrics.ClassDistribution.Count);
        Assert.IsTrue(metrics.FrechetDistance < 0.01, metrics.ToString());
    }

    private sealed class IntensityMoments : IFeatureExtractor
    {
        public string Name => "intensity-moments";
        public int ImageChannels => 1;
        public int ImageHeight => 28;
        public int ImageWidth => 28;
        public int FeatureDimension => 2;
        public int ClassCount => 0;

        public ExtractedFeatures Extract(ReadOnlySpan<float> pixels, int count)
        {
            var features = new double[count][];
            for (int i = 0; i < count; i++)
            {
                var image = pixels.Slice(i * 784, 784).ToArray();
                double mean = image.Average(p => (double)p);
                features[i] = [mean, image.Average(p => (p - mean) * (p - mean))];
            }
            return new ExtractedFeatures(features, null);
        }
    }
}
