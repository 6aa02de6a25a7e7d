using Microsoft.ML.Data;
using Microsoft.ML.Diffusion;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Diffusion.Tests;

[TestClass]
public class EndToEndTests
{
    [TestMethod]
    public void FitSaveLoadTransformEnumerate()
    {
        var ml = new MLContext(seed: 1);
        var messages = new List<string>();
        ml.Log += (_, e) => { if (e.Kind >= ChannelMessageKind.Info) messages.Add(e.RawMessage); };
        var data = ml.Data.LoadFromEnumerable(TinyData.Rows(6).ToList());
        var options = TinyData.Options();
        options.OutputVectorColumnName = "GeneratedPixels";
        using var model = ml.Transforms.Diffusion(options).Fit(data);

        Assert.AreEqual(40, model.TrainedSteps);
        Assert.AreEqual(40, model.LossHistory.Count);
        Assert.IsTrue(messages.Any(m => m.StartsWith("step 10 ", StringComparison.Ordinal)), string.Join("\n", messages));

        var path = Path.Combine(Path.GetTempPath(), $"diffusion-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(model, data.Schema, path);
            var loaded = (DiffusionSamplerTransformer)ml.Model.Load(path, out var schema);
            using (loaded)
            {
                Assert.AreEqual("Image", schema[0].Name);
                CollectionAssert.AreEqual(model.LossHistory.ToArray(), loaded.LossHistory.ToArray());
                var before = ml.Data.CreateEnumerable<TinyData.Generated>(model.Transform(data), reuseRowObject: false).ToList();
                var after = ml.Data.CreateEnumerable<TinyData.Generated>(loaded.Transform(data), reuseRowObject: false).ToList();
                var imagesBefore = model.Transform(data).GetImages("GeneratedImage").ToList();
                var imagesAfter = loaded.Transform(data).GetImages("GeneratedImage").ToList();
                Assert.AreEqual(6, after.Count);
                Assert.AreEqual(6, imagesAfter.Count);
                for (int i = 0; i < 6; i++)
                {
                    Assert.AreEqual(8, imagesAfter[i].Width);
                    Assert.AreEqual(8, imagesAfter[i].Height);
                    CollectionAssert.AreEqual(before[i].GeneratedPixels, after[i].GeneratedPixels, $"row {i} differs after save/load");
                    CollectionAssert.AreEqual(imagesBefore[i].Pixels.ToArray(), imagesAfter[i].Pixels.ToArray());
                    Assert.IsTrue(after[i].GeneratedPixels.All(v => v is >= 0 and <= 255), "vector output is in the input's 0…255 scale");
                }
                Assert.IsFalse(before[0].GeneratedPixels.SequenceEqual(before[1].GeneratedPixels), "different rows get different images");
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void SeededRowsDoNotDependOnBatchSizeOrOrder()
    {
        var ml = new MLContext(seed: 1);
        var rows = TinyData.Rows(8).ToList();
        var options = TinyData.Options(steps: 5);
        options.SeedColumnName = "Seed";
        options.OutputVectorColumnName = "GeneratedPixels";
        using var model = ml.Transforms.Diffusion(options).Fit(ml.Data.LoadFromEnumerable(rows));

        Dictionary<int, float[]> Generate(IEnumerable<TinyData.Row> input, int batch)
        {
            model.SamplerOptions = model.SamplerOptions with { BatchSize = batch };
            var output = model.Transform(ml.Data.LoadFromEnumerable(input.ToList()));
            return ml.Data.CreateEnumerable<TinyData.Generated>(output, reuseRowObject: false).ToDictionary(g => g.Seed, g => g.GeneratedPixels);
        }

        var one = Generate(rows, 1);
        var three = Generate(rows, 3);
        var eight = Generate(Enumerable.Reverse(rows), 8);
        foreach (var seed in one.Keys)
        {
            CollectionAssert.AreEqual(one[seed], three[seed], $"seed {seed}: batch 1 vs 3");
            CollectionAssert.AreEqual(one[seed], eight[seed], $"seed {seed}: batch 1 vs 8, reversed order");
        }
    }

    [TestMethod]
    public void CancellationReturnsTheModelTrainedSoFar()
    {
        var ml = new MLContext(seed: 1);
        using var cts = new CancellationTokenSource();
        var options = TinyData.Options(steps: 10_000);
        options.CancellationToken = cts.Token;
        options.Progress = new SynchronousProgress(p => { if (p.Step == 7) cts.Cancel(); });
        using var model = ml.Transforms.Diffusion(options).Fit(ml.Data.LoadFromEnumerable(TinyData.Rows(4).ToList()));
        Assert.AreEqual(7, model.TrainedSteps);
    }

    private sealed class SynchronousProgress(Action<DiffusionTrainingProgress> report) : IProgress<DiffusionTrainingProgress>
    {
        public void Report(DiffusionTrainingProgress value) => report(value);
    }
}
