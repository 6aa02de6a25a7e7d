using Microsoft.ML.Diffusion;

namespace Microsoft.ML.Diffusion.Tests;

[TestClass]
public class OverfitTests
{
    [TestMethod]
    public void TinyUNetMemorisesTwoImages()
    {
        var ml = new MLContext(seed: 1);
        var options = TinyData.Options(steps: 1200);
        options.BaseChannels = 16;
        options.BatchSize = 16;
        options.LearningRate = 3e-3;
        options.WarmupSteps = 20;
        options.EmaDecay = 0.99;
        options.OutputVectorColumnName = "GeneratedPixels";
        options.Sampler = new DiffusionSamplerOptions { Kind = SamplerKind.Ddim, Steps = 25, BatchSize = 8 };
        var rows = TinyData.Rows(16).ToList();
        using var model = ml.Transforms.Diffusion(options).Fit(ml.Data.LoadFromEnumerable(rows));

        double first = model.LossHistory.Take(20).Average(), last = model.LossHistory.TakeLast(50).Average();
        Assert.IsTrue(first / last >= 10, $"L_simple fell only from {first:F4} to {last:F4}");

        var samples = ml.Data.CreateEnumerable<TinyData.Generated>(model.Transform(ml.Data.LoadFromEnumerable(rows.Take(8).ToList())), false).ToList();
        var patterns = TinyData.Patterns();
        // Mean absolute pixel error of each sample to the nearest training image, on the 0…255 scale.
        var nearest = samples.Select(s => patterns.Min(p => p.Zip(s.GeneratedPixels, (a, b) => Math.Abs(a - b)).Average())).ToList();
        // Deterministic DDIM maps a few noise draws between the two modes, so the bound is on the typical sample.
        string report = $"samples are {string.Join(", ", nearest.Select(d => d.ToString("F1")))} grey levels from the nearest training image";
        Assert.IsTrue(nearest.Average() < 15, report);
        Assert.IsTrue(nearest.Count(d => d < 15) >= 6, report);
    }
}
