using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.ML.Data;

namespace Microsoft.ML.Diffusion.Tests;

/// <summary>The model zip with the real ML.NET: a chain of ML.NET image transforms ending in the generator.</summary>
[TestClass]
public sealed class ModelZipTests
{
    private sealed class FileRow
    {
        public string Path { get; set; } = "";
    }

    private sealed class SeedRow
    {
        public int Seed { get; set; }
    }

    [TestMethod]
    public void ImageChainLoadsInAFreshProcessWithoutRegistrationAndGivesBitIdenticalImages()
    {
        var folder = Directory.CreateTempSubdirectory("model-zip-").FullName;
        try
        {
            var ml = new MLContext(seed: 1);
            var patterns = TinyData.Patterns();
            for (int i = 0; i < 4; i++)
            {
                var bgra = patterns[i % 2].SelectMany(v => new[] { (byte)v, (byte)v, (byte)v, (byte)255 }).ToArray();
                MLImage.CreateFromPixels(8, 8, MLPixelFormat.Bgra32, bgra).Save(Path.Combine(folder, $"{i}.png"));
            }
            var files = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 4).Select(i => new FileRow { Path = $"{i}.png" }).ToList());
            var options = TinyData.Options(steps: 5);
            options.SeedColumnName = "Seed";
            var chain = ml.Transforms.LoadImages("Image", folder, "Path")
                .Append(ml.Transforms.ResizeImages("Image", imageWidth: 8, imageHeight: 8))
                .Append(ml.Transforms.Diffusion(options))
                .Fit(files);
            string zip = Path.Combine(folder, "model.zip");
            ml.Model.Save(chain, files.Schema, zip);
            var requests = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 5).Select(i => new SeedRow { Seed = i }).ToList());
            var expected = chain.LastTransformer.Transform(requests).GetImages()
                .Select(image => { using (image) return Convert.ToHexString(SHA256.HashData(image.Pixels)); }).ToList();
            chain.LastTransformer.Dispose();

            var lines = RunChild("generate", zip, "5");

            CollectionAssert.Contains(lines, "package loaded before Model.Load: False", string.Join("\n", lines));
            CollectionAssert.Contains(lines, $"generator: {typeof(DiffusionSamplerTransformer).FullName}");
            CollectionAssert.AreEqual(expected, lines.Where(l => l.StartsWith("image ", StringComparison.Ordinal)).Select(l => l[6..]).ToList(),
                "the same seeds give the same images in a fresh process");
            Assert.AreEqual(5, expected.Distinct().Count(), "different seeds give different images");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [TestMethod]
    public void DamagedModelNamesTheEntryBelowMlNetsReflectionWrapper()
    {
        byte[] zip;
        using (var model = CheckpointTestKit.Fit(TinyData.Options(steps: 2)))
            zip = CheckpointTestKit.ModelZip(model);
        var damaged = CheckpointTestKit.Rewrite(zip, "TransformerChain/LossHistory.bin", bytes => bytes[..6]);
        var thrown = Assert.Throws<Exception>(() => new MLContext(1).Model.Load(new MemoryStream(damaged), out _));
        var reason = ModelLoadErrors.Reason(thrown);
        Assert.IsInstanceOfType<InvalidDataException>(reason, thrown.ToString());
        StringAssert.Contains(reason.Message, "LossHistory.bin");
        // What a user sees first: ML.NET calls loaders by reflection, and the reason is in the exception's text.
        StringAssert.Contains(thrown.ToString(), "LossHistory.bin");
    }

    private static List<string> RunChild(params string[] args) =>
        ChildProcess.Run("dotnet", [Path.Combine(AppContext.BaseDirectory, "CrashTrainer.dll"), .. args], TimeSpan.FromMinutes(2));
}
