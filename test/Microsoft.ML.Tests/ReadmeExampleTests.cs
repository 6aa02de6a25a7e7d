using Microsoft.ML.Data;

namespace Microsoft.ML.Tests;

/// <summary>Runs the README pipeline snippet (docs/ml-pipeline-example.md) unchanged.</summary>
[TestClass]
public sealed class ReadmeExampleTests
{
    // ---- snippet start (kept identical to docs/ml-pipeline-example.md) ----
    public class ImageFile
    {
        public string ImagePath { get; set; } = "";
    }

    public class PixelRow
    {
        public string ImagePath { get; set; } = "";

        [VectorType(3, 32, 32)]
        public float[] Pixels { get; set; } = Array.Empty<float>();
    }

    public static List<PixelRow> Run(string imageFolder, string modelPath)
    {
        var mlContext = new MLContext(seed: 1);
        var files = Directory.GetFiles(imageFolder, "*.png").Select(f => new ImageFile { ImagePath = Path.GetFileName(f) });
        IDataView data = mlContext.Data.LoadFromEnumerable(files);

        var pipeline = mlContext.Transforms.LoadImages("Image", imageFolder, nameof(ImageFile.ImagePath))
            .Append(mlContext.Transforms.ResizeImages("Image", imageWidth: 32, imageHeight: 32))
            .Append(mlContext.Transforms.ExtractPixels("Pixels", "Image", offsetImage: 127.5f, scaleImage: 1 / 127.5f));

        ITransformer model = pipeline.Fit(data);
        mlContext.Model.Save(model, data.Schema, modelPath);

        ITransformer loaded = mlContext.Model.Load(modelPath, out DataViewSchema inputSchema);
        IDataView pixels = loaded.Transform(data);
        return mlContext.Data.CreateEnumerable<PixelRow>(pixels, reuseRowObject: false).ToList();
    }
    // ---- snippet end ----

    [TestMethod]
    public void ReadmePipelineLoadsResizesExtractsSavesAndReloads()
    {
        using var folder = new TempFolder();
        Images.Pattern(40, 20).Save(folder.File("wide.png"));
        Images.Pattern(32, 32).Save(folder.File("square.png"));
        string modelPath = Path.Combine(folder.Path, "pipeline.zip");

        var rows = Run(folder.Path, modelPath);

        Assert.AreEqual(2, rows.Count);
        Assert.IsTrue(File.Exists(modelPath));
        foreach (var row in rows)
        {
            Assert.AreEqual(3 * 32 * 32, row.Pixels.Length, row.ImagePath);
            Assert.IsTrue(row.Pixels.All(v => v >= -1f && v <= 1f), row.ImagePath);
        }
        // The square image needs no resizing, so its pixels map exactly: plane 0 is red = x * 3 + 50.
        var square = rows.Single(r => r.ImagePath == "square.png");
        Assert.AreEqual((5 * 3 + 50 - 127.5f) / 127.5f, square.Pixels[5], 1e-6f);
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
        string test = File.ReadAllText(Path.Combine(root, "test", "Microsoft.ML.Tests", "ReadmeExampleTests.cs"));
        Assert.AreEqual(Snippet(test), Snippet(doc));
    }

    private static string ThisFile([System.Runtime.CompilerServices.CallerFilePath] string path = "") => path;
}
