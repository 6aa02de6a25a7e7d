using Microsoft.ML.Data;
using Microsoft.ML.Diffusion;

namespace Microsoft.ML.Diffusion.Tests;

/// <summary>Keeps the README's quick start compiling and running (a test checks both copies are the same code).</summary>
[TestClass]
public sealed class ReadmeQuickStartTests
{
    // ---- snippet start (kept identical to the README's quick start) ----
    public class ImageFile
    {
        public string ImagePath { get; set; } = "";
    }

    public class Request
    {
        public int Seed { get; set; }
    }

    public static void TrainAndGenerate(string imageFolder, string outputFolder, TimeSpan trainingTime)
    {
        var mlContext = new MLContext(seed: 1);
        mlContext.Log += (_, e) => { if (e.Kind == Runtime.ChannelMessageKind.Info) Console.WriteLine(e.RawMessage); };
        var files = Directory.GetFiles(imageFolder, "*.png").Select(f => new ImageFile { ImagePath = Path.GetFileName(f) });
        IDataView images = mlContext.Data.LoadFromEnumerable(files);

        var pipeline = mlContext.Transforms.LoadImages("Image", imageFolder, nameof(ImageFile.ImagePath))
            .Append(mlContext.Transforms.ResizeImages("Image", imageWidth: 28, imageHeight: 28))
            .Append(mlContext.Transforms.Diffusion(new DiffusionEstimator.Options
            {
                InputColumnName = "Image",
                OutputColumnName = "GeneratedImage",
                SeedColumnName = "Seed",
                TrainingTime = trainingTime,
                MaxEpochs = null,
            }));
        var model = pipeline.Fit(images);
        mlContext.Model.Save(model, images.Schema, Path.Combine(outputFolder, "model.zip"));

        // The last transformer generates one image per input row, determined by the row's seed.
        var loaded = (TransformerChain<ITransformer>)mlContext.Model.Load(Path.Combine(outputFolder, "model.zip"), out _);
        var generator = (DiffusionSamplerTransformer)loaded.LastTransformer;
        var requests = mlContext.Data.LoadFromEnumerable(Enumerable.Range(0, 16).Select(i => new Request { Seed = i }));
        // CreateEnumerable cannot read MLImage members; GetImages reads the image column row by row.
        int seed = 0;
        foreach (MLImage image in generator.Transform(requests).GetImages("GeneratedImage"))
            using (image) image.Save(Path.Combine(outputFolder, $"generated-{seed++}.png"));
    }
    // ---- snippet end ----

    [TestMethod]
    public void QuickStartTrainsSavesLoadsAndWritesImages()
    {
        var folder = Directory.CreateTempSubdirectory("quickstart-").FullName;
        try
        {
            var input = Directory.CreateDirectory(Path.Combine(folder, "in")).FullName;
            for (int i = 0; i < 6; i++)
            {
                var bgra = new byte[32 * 32 * 4];
                for (int p = 0; p < 32 * 32; p++) bgra[4 * p] = bgra[4 * p + 1] = bgra[4 * p + 2] = (byte)((p * (i + 1)) % 256);
                for (int p = 0; p < 32 * 32; p++) bgra[4 * p + 3] = 255;
                MLImage.CreateFromPixels(32, 32, MLPixelFormat.Bgra32, bgra).Save(Path.Combine(input, $"img{i}.png"));
            }

            TrainAndGenerate(input, folder, TimeSpan.FromSeconds(2));

            Assert.IsTrue(File.Exists(Path.Combine(folder, "model.zip")));
            for (int i = 0; i < 16; i++)
            {
                var image = MLImage.CreateFromFile(Path.Combine(folder, $"generated-{i}.png"));
                Assert.AreEqual(28, image.Width);
                Assert.AreEqual(28, image.Height);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [TestMethod]
    public void ReadmeShowsTheSameCode()
    {
        static string Normalise(IEnumerable<string> lines) => string.Join("\n", lines.Select(l => l.Trim()).Where(l => l.Length > 0));
        var source = ThisFile();
        var root = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(source)!, "..", ".."));
        var test = File.ReadAllLines(source);
        var readme = File.ReadAllLines(Path.Combine(root, "README.md"));
        var fromTest = test.SkipWhile(l => !l.Contains("---- snippet start")).Skip(1).TakeWhile(l => !l.Contains("---- snippet end"));
        var fromReadme = readme.SkipWhile(l => !l.Contains("<!-- quickstart:start -->")).Skip(2).TakeWhile(l => !l.StartsWith("```", StringComparison.Ordinal));
        Assert.AreEqual(Normalise(fromTest), Normalise(fromReadme));
    }

    private static string ThisFile([System.Runtime.CompilerServices.CallerFilePath] string path = "") => path;
}
