using Microsoft.ML.Data;
using Microsoft.ML.Diffusion;

namespace Microsoft.ML.Diffusion.Tests;

[TestClass]
public class BadInputTests
{
    private sealed class TextRow
    {
        public string Image { get; set; } = "";
    }

    private sealed class FlatRow
    {
        [VectorType(64)]
        public float[] Image { get; set; } = [];
    }

    private sealed class SizedRow
    {
        [VectorType(1, 10, 10)]
        public float[] Image { get; set; } = [];
    }

    private static Exception Fit<T>(IEnumerable<T> rows, Action<DiffusionEstimator.Options>? configure = null) where T : class
    {
        var ml = new MLContext(seed: 1);
        var options = TinyData.Options(steps: 1);
        configure?.Invoke(options);
        return Assert.Throws<Exception>(() => ml.Transforms.Diffusion(options).Fit(ml.Data.LoadFromEnumerable(rows.ToList())));
    }

    [TestMethod]
    public void WrongColumnTypeNamesTheColumn()
    {
        var e = Fit(new[] { new TextRow { Image = "x.png" } });
        StringAssert.Contains(e.Message, "input column 'Image'");
        StringAssert.Contains(e.Message, "expected Image or Vector<Single>");
    }

    [TestMethod]
    public void MissingColumnNamesTheColumn()
    {
        var e = Fit(TinyData.Rows(2), o => o.InputColumnName = "Pixels");
        StringAssert.Contains(e.Message, "'Pixels'");
    }

    [TestMethod]
    public void EmptyDataIsRefused()
    {
        var e = Fit(Array.Empty<TinyData.Row>());
        StringAssert.Contains(e.Message, "'Image' has no rows");
    }

    [TestMethod]
    public void NaNPixelsNameTheRowAndColumn()
    {
        var rows = TinyData.Rows(3).ToList();
        rows[2].Image = (float[])rows[2].Image.Clone();
        rows[2].Image[5] = float.NaN;
        var e = Fit(rows);
        StringAssert.Contains(e.Message, "Row 2 of input column 'Image'");
        StringAssert.Contains(e.Message, "NaN");
    }

    [TestMethod]
    public void OutOfRangePixelsPointAtTheScaling()
    {
        var rows = TinyData.Rows(2).ToList();
        rows[1].Image = rows[1].Image.Select(v => v * 2).ToArray();
        var e = Fit(rows);
        StringAssert.Contains(e.Message, "InputOffset");
    }

    [TestMethod]
    public void MixedImageSizesNameTheRow()
    {
        var ml = new MLContext(seed: 1);
        var small = MLImage.CreateFromPixels(8, 8, MLPixelFormat.Bgra32, new byte[8 * 8 * 4]);
        var large = MLImage.CreateFromPixels(16, 8, MLPixelFormat.Bgra32, new byte[16 * 8 * 4]);
        var data = ml.Data.LoadFromEnumerable(new[] { new ImageRow { Image = small }, new ImageRow { Image = large } }.ToList());
        var e = Assert.Throws<Exception>(() => ml.Transforms.Diffusion(TinyData.Options(steps: 1)).Fit(data));
        StringAssert.Contains(e.Message, "Row 1 of input column 'Image' is 16×8 but row 0 is 8×8");
    }

    [TestMethod]
    public void SizesNotDivisibleByTheDownsamplingNameTheColumn()
    {
        var rows = new[] { new SizedRow { Image = new float[100] } };
        var e = Fit(rows, o => o.ChannelMultipliers = [1, 2, 2]);
        StringAssert.Contains(e.Message, "Input column 'Image' holds 10×10 images");
        StringAssert.Contains(e.Message, "divisible by 4");
    }

    [TestMethod]
    public void FlatVectorsNeedHeightAndWidth()
    {
        var e = Fit(new[] { new FlatRow { Image = new float[64] } });
        StringAssert.Contains(e.Message, "ImageHeight and ImageWidth");
    }

    [TestMethod]
    public void CudaDeviceFailsClearly()
    {
        var e = Fit(TinyData.Rows(2), o => o.Device = "cuda");
        Assert.IsInstanceOfType<NotSupportedException>(e);
        StringAssert.Contains(e.Message, "CPU-only");
        StringAssert.Contains(e.Message, "TorchSharp-cuda-linux");
    }

    [TestMethod]
    public void CorruptImageFileIsNamed()
    {
        var ml = new MLContext(seed: 1);
        var folder = Directory.CreateTempSubdirectory("corrupt-image-").FullName;
        try
        {
            var good = new byte[8 * 8 * 4];
            Array.Fill(good, (byte)200);
            MLImage.CreateFromPixels(8, 8, MLPixelFormat.Bgra32, good).Save(Path.Combine(folder, "good.png"));
            var png = File.ReadAllBytes(Path.Combine(folder, "good.png"));
            File.WriteAllBytes(Path.Combine(folder, "truncated.png"), png[..20]);
            var files = ml.Data.LoadFromEnumerable(new[] { new TextRow { Image = "good.png" }, new TextRow { Image = "truncated.png" } });
            var pipeline = ml.Transforms.LoadImages("Pixels", folder, "Image")
                .Append(ml.Transforms.Diffusion(TinyDataOptionsFor("Pixels")));
            var e = Assert.ThrowsExactly<InvalidDataException>(() => pipeline.Fit(files));
            StringAssert.Contains(e.Message, "Row 1 of image column 'Pixels'");
            StringAssert.Contains(e.Message, "Image = 'truncated.png'");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static DiffusionEstimator.Options TinyDataOptionsFor(string column)
    {
        var options = TinyData.Options(steps: 1);
        options.InputColumnName = column;
        return options;
    }

    [TestMethod]
    public void OptionsWithoutAStoppingRuleAreRefused()
    {
        var ml = new MLContext();
        var options = TinyData.Options();
        options.MaxSteps = null;
        var e = Assert.ThrowsExactly<ArgumentException>(() => ml.Transforms.Diffusion(options));
        StringAssert.Contains(e.Message, "MaxSteps, MaxEpochs and TrainingTime");
    }

    [TestMethod]
    public void DivergingTrainingNamesTheStep()
    {
        var e = Fit(TinyData.Rows(4), o => { o.LearningRate = 1e12; o.GradientClipNorm = null; o.MaxSteps = 50; });
        StringAssert.Contains(e.Message, "Training diverged: the loss at step");
    }

    private sealed class ImageRow
    {
        [Microsoft.ML.Transforms.Image.ImageType(8, 8)]
        public MLImage Image { get; set; } = null!;
    }
}
