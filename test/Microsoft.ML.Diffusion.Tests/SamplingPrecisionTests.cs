namespace Microsoft.ML.Diffusion.Tests;

/// <summary>Sampling with the network in bfloat16: close to float32, deterministic per row, kept through save and load.</summary>
[TestClass]
public sealed class SamplingPrecisionTests
{
    private static DiffusionSamplerTransformer Model() => CheckpointTestKit.Fit(TinyData.Options(steps: 20), rows: 6);

    [TestMethod]
    public void BFloat16ImagesAreCloseToFloat32OnesAndDeterministicPerRow()
    {
        using var model = Model();
        long[] seeds = [5, 6, 7, 8, 9];
        var float32 = model.Generate(seeds);
        model.SamplerOptions = model.SamplerOptions with { Precision = SamplingPrecision.BFloat16, BatchSize = 2 };
        var bfloat16 = model.Generate(seeds);
        // bfloat16 keeps 8 bits of mantissa: per-step errors of ~0.4 % that the sampler carries along, not pixels
        // that jump. Images in [−1, 1]; a mean absolute difference above 0.05 would be visible.
        for (int i = 0; i < seeds.Length; i++)
        {
            double difference = float32[i].Zip(bfloat16[i], (a, b) => Math.Abs(a - b)).Average();
            Assert.IsLessThan(0.05, difference, $"seed {seeds[i]}");
            Assert.IsTrue(bfloat16[i].Where((v, k) => v != float32[i][k]).Any(), "the bfloat16 network was not used");
        }
        // A row's image depends on its seed only, also in bfloat16: another batch size and other neighbours.
        model.SamplerOptions = model.SamplerOptions with { BatchSize = 16 };
        var alone = model.Generate([7]);
        CollectionAssert.AreEqual(bfloat16[2], alone[0]);
    }

    [TestMethod]
    public void PrecisionSurvivesSaveAndLoadAndAnUndefinedOneIsRefused()
    {
        using var model = Model();
        model.SamplerOptions = model.SamplerOptions with { Precision = SamplingPrecision.BFloat16 };
        var ml = new MLContext(seed: 1);
        using var loaded = (DiffusionSamplerTransformer)ml.Model.Load(new MemoryStream(CheckpointTestKit.ModelZip(model)), out _);
        Assert.AreEqual(SamplingPrecision.BFloat16, loaded.SamplerOptions.Precision);
        CollectionAssert.AreEqual(model.Generate([3])[0], loaded.Generate([3])[0]);
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => model.SamplerOptions = model.SamplerOptions with { Precision = (SamplingPrecision)7 });
        StringAssert.Contains(e.Message, "Precision");
    }
}
