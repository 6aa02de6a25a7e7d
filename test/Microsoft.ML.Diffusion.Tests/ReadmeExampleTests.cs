using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace Microsoft.ML.Diffusion.Tests;

/// <summary>Runs the pipeline of docs/ml-pipeline-example.md unchanged (a test checks the two copies stay identical).</summary>
[TestClass]
public sealed class ReadmeExampleTests
{
    // ---- snippet start (kept identical to docs/ml-pipeline-example.md) ----
    public class ImageFile
    {
        public string ImagePath { get; set; } = "";
    }

    public class Request
    {
        public int Seed { get; set; }
    }

    public class GeneratedPixels
    {
        public int Seed { get; set; }

        [VectorType(1, 28, 28)]
        public float[] Pixels { get; set; } = Array.Empty<float>();
    }

    public static List<GeneratedPixels> Run(string imageFolder, string modelPath)
    {
        var mlContext = new MLContext(seed: 1);
        var files = Directory.GetFiles(imageFolder, "*.png").Select(f => new ImageFile { ImagePath = Path.GetFileName(f) });
        IDataView data = mlContext.Data.LoadFromEnumerable(files);

        // Training: ML.NET's image transforms feed the diffusion estimator.
        var pipeline = mlContext.Transforms.LoadImages("Image", imageFolder, nameof(ImageFile.ImagePath))
            .Append(mlContext.Transforms.ResizeImages("Image", imageWidth: 28, imageHeight: 28))
            .Append(mlContext.Transforms.Diffusion(new DiffusionEstimator.Options
            {
                ImageChannels = 1,
                SeedColumnName = "Seed",
                MaxSteps = 20,
                MaxEpochs = null,
            }));
        var model = pipeline.Fit(data);
        mlContext.Model.Save(model, data.Schema, modelPath);

        // Generation: the chain's last transformer maps seed rows to images, and ML.NET's own
        // image transforms can follow it, here ExtractPixels to read them as [-1, 1] vectors.
        var loaded = (TransformerChain<ITransformer>)mlContext.Model.Load(modelPath, out _);
        var requests = mlContext.Data.LoadFromEnumerable(Enumerable.Range(0, 4).Select(i => new Request { Seed = i }));
        var generated = loaded.LastTransformer.Transform(requests);
        var pixels = mlContext.Transforms.ExtractPixels("Pixels", "GeneratedImage",
                colorsToExtract: ImagePixelExtractingEstimator.ColorBits.Red, offsetImage: 127.5f, scaleImage: 1 / 127.5f)
            .Fit(generated).Transform(generated);
        return mlContext.Data.CreateEnumerable<GeneratedPixels>(pixels, reuseRowObject: false).ToList();
    }
    // ---- snippet end ----

    [TestMethod]
    public void PipelineTrainsSavesReloadsAndReadsGeneratedPixels()
    {
        using var folder = new TempFolder();
        for (int i = 0; i < 4; i++) Images.Pattern(40 + 8 * i, 32).Save(folder.File($"image{i}.png"));
        string modelPath = Path.Combine(folder.Path, "pipeline.zip");

        var rows = Run(folder.Path, modelPath);

        CollectionAssert.AreEqual(new[] { 0, 1, 2, 3 }, rows.Select(r => r.Seed).ToArray());
        Assert.IsTrue(File.Exists(modelPath));
        foreach (var row in rows)
        {
            Assert.AreEqual(28 * 28, row.Pixels.Length);
            Assert.IsTrue(row.Pixels.All(v => v >= -1f && v <= 1f), $"seed {row.Seed}");
        }
        Assert.IsFalse(rows[0].Pixels.SequenceEqual(rows[1].Pixels), "different seeds give different images");

        // ExtractPixels' vectors are the generator's own images: compare with them read directly.
        var ml = new MLContext(seed: 1);
        var generator = ((TransformerChain<ITransformer>)ml.Model.Load(modelPath, out _)).LastTransformer;
        var requests = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 4).Select(i => new Request { Seed = i }));
        var images = generator.Transform(requests).GetImages("GeneratedImage").ToList();
        for (int p = 0; p < 28 * 28; p += 97)
            Assert.AreEqual((images[2].Pixels[4 * p + 2] - 127.5f) / 127.5f, rows[2].Pixels[p], 1e-6f, $"pixel {p}");
    }

    [TestMethod]
    public void DocsSnippetMatchesThisTest()
    {
        string Snippet(string text)
        {
            int start = text.IndexOf("public class ImageFile", StringComparison.Ordinal);
            int end = text.IndexOf("// ---- snippet end", start, StringComparison.Ordinal);
            if (end < 0)
                end = text.IndexOf("```", start, StringComparison.Ordinal);
            var lines = text[start..end].Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0);
            return string.Join("\n", lines);
        }

        // The source path, not the output folder: builds may place binaries outside the repository (DIFFUSION_BUILD_ROOT).
        string root = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(ThisFile())!, "..", ".."));
        string doc = File.ReadAllText(Path.Combine(root, "docs", "ml-pipeline-example.md"));
        Assert.AreEqual(Snippet(File.ReadAllText(ThisFile())), Snippet(doc));
    }

    private static string ThisFile([System.Runtime.CompilerServices.CallerFilePath] string path = "") => path;
}
