using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Diffusion.Tests;

/// <summary>
/// bfloat16 training (<see cref="TrainingPrecision.BFloat16"/>): float32 master weights that move as a float32 step moves
/// them, a loss that falls, and a resume from a checkpoint that ends where the straight run ends.
/// </summary>
[TestClass]
public sealed class TrainingPrecisionTests
{
    private static DiffusionEstimator.Options Options(int steps, TrainingPrecision precision, string? folder = null)
    {
        var o = CheckpointTestKit.Options(steps, folder);
        o.TrainingPrecision = precision;
        return o;
    }

    private static float[] Weights(DiffusionSamplerTransformer model)
    {
        model.SamplerOptions = model.SamplerOptions with { UseEma = false };
        return Flatten(model.SamplingNetwork.parameters());
    }

    private static float[] Flatten(IEnumerable<Tensor> tensors)
    {
        using var scope = NewDisposeScope();
        return cat(tensors.Select(t => t.detach().to(ScalarType.Float32).flatten()).ToList(), 0).data<float>().ToArray();
    }

    private static double Cosine(float[] a, float[] b)
    {
        double dot = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            aa += (double)a[i] * a[i];
            bb += (double)b[i] * b[i];
        }
        return dot / Math.Sqrt(aa * bb);
    }

    [TestMethod]
    public void ABFloat16StepMovesTheFloat32WeightsWhereAFloat32StepMovesThem()
    {
        // The same state and batch: a float32 run's checkpoint after 8 steps, resumed for one step in each precision
        // (the precision may change on resume; the checkpoint restores the generator, so both draw the same batch).
        var folder = CheckpointTestKit.NewFolder();
        try
        {
            float[] before;
            using (var first = CheckpointTestKit.Fit(Options(8, TrainingPrecision.Float32, folder)))
                before = Weights(first);
            float[] Step(TrainingPrecision precision)
            {
                var o = Options(9, precision, folder);
                o.ResumeFrom = Path.Combine(folder, "checkpoint-0000000008.zip");
                o.CheckpointFolder = null;
                using var model = CheckpointTestKit.Fit(o);
                Assert.AreEqual(9, model.TrainedSteps);
                return Weights(model).Select((w, i) => w - before[i]).ToArray();
            }
            var float32 = Step(TrainingPrecision.Float32);
            var bfloat16 = Step(TrainingPrecision.BFloat16);
            Assert.IsTrue(float32.Any(d => d != 0), "the float32 step changed nothing");
            CollectionAssert.AreNotEqual(float32, bfloat16, "the bfloat16 step is the float32 one: the bfloat16 network was not used");
            double cosine = Cosine(float32, bfloat16);
            Console.WriteLine($"cosine of the float32 and bfloat16 updates: {cosine:F5}");
            Assert.IsGreaterThan(0.9, cosine, $"cosine of the two updates {cosine:F4}");
        }
        finally
        {
            CheckpointTestKit.DeleteFolder(folder);
        }
    }

    [TestMethod]
    public void TheBFloat16GradientPointsWhereTheFloat32OneDoesAndLandsOnFloat32Masters()
    {
        // Without Adam's history, which would make any two updates look alike: the gradients themselves, from weights
        // a short run has moved away from their zero initialisation.
        using var trained = CheckpointTestKit.Fit(Options(10, TrainingPrecision.Float32));
        trained.SamplerOptions = trained.SamplerOptions with { UseEma = false };
        var source = trained.SamplingNetwork;
        using var master = new UNetModel(source.Architecture);
        master.load_state_dict(source.state_dict());
        master.train();
        using var generator = new Generator(3);
        using var x = randn([4, 1, 8, 8], generator: generator);
        using var target = randn([4, 1, 8, 8], generator: generator);
        using var t = randint(0, 100, [4], generator: generator);

        float[] Gradient(Func<Tensor> predict, Action? afterBackward = null)
        {
            master.zero_grad();
            using (var scope = NewDisposeScope())
                nn.functional.mse_loss(predict(), target).backward();
            afterBackward?.Invoke();
            return Flatten(master.parameters().Select(p => p.grad!));
        }
        var float32 = Gradient(() => master.forward(x, t, null));
        using var reduced = new BFloat16Training(master);
        var bfloat16 = Gradient(() =>
        {
            reduced.LoadMasterWeights();
            return reduced.Network.forward(x.to(ScalarType.BFloat16), t, null).to(ScalarType.Float32);
        }, reduced.GradientsToMaster);

        Assert.IsTrue(reduced.Network.parameters().All(p => p.dtype == ScalarType.BFloat16), "the twin runs in bfloat16");
        Assert.IsTrue(master.parameters().All(p => p.dtype == ScalarType.Float32), "the master weights stay float32");
        Assert.IsTrue(master.parameters().All(p => p.grad is { dtype: ScalarType.Float32 }), "the master gradients are float32");
        CollectionAssert.AreNotEqual(float32, bfloat16, "the bfloat16 gradient is the float32 one: the bfloat16 network was not used");
        double cosine = Cosine(float32, bfloat16);
        Console.WriteLine($"cosine of the float32 and bfloat16 gradients: {cosine:F5}");
        Assert.IsGreaterThan(0.97, cosine, $"cosine of the two gradients {cosine:F5}");
    }

    [TestMethod]
    public void AShortBFloat16RunLowersTheLossAndKeepsFloat32Weights()
    {
        using var model = CheckpointTestKit.Fit(Options(60, TrainingPrecision.BFloat16));
        var losses = model.LossHistory;
        Assert.HasCount(60, losses);
        double first = losses.Take(10).Average(), last = losses.TakeLast(10).Average();
        Console.WriteLine($"bfloat16 run: loss {first:F4} over the first 10 steps, {last:F4} over the last 10");
        Assert.IsLessThan(0.7 * first, last, $"loss {first:F4} over the first 10 steps, {last:F4} over the last 10");
        model.SamplerOptions = model.SamplerOptions with { UseEma = false };
        Assert.IsTrue(model.SamplingNetwork.parameters().All(p => p.dtype == ScalarType.Float32), "the trained network is float32");
        model.SamplerOptions = model.SamplerOptions with { UseEma = true };
        Assert.IsTrue(model.SamplingNetwork.parameters().All(p => p.dtype == ScalarType.Float32), "the EMA network is float32");
        Assert.IsTrue(model.Generate([1])[0].All(float.IsFinite));
    }

    [TestMethod]
    public void ABFloat16RunResumedFromACheckpointEndsBitIdenticalToAStraightRun()
    {
        const int N = 7; // 6 images in batches of 4: step 7 stops mid-epoch; dropout 0.1 makes the default generator matter
        var folder = CheckpointTestKit.NewFolder();
        try
        {
            byte[] straight;
            using (var model = CheckpointTestKit.Fit(Options(2 * N, TrainingPrecision.BFloat16)))
                straight = CheckpointTestKit.ModelZip(model);
            byte[] float32;
            using (var model = CheckpointTestKit.Fit(Options(2 * N, TrainingPrecision.Float32)))
                float32 = CheckpointTestKit.ModelZip(model);
            CollectionAssert.AreNotEqual(CheckpointTestKit.Entries(float32)["TransformerChain/UNet.dat"], CheckpointTestKit.Entries(straight)["TransformerChain/UNet.dat"],
                "the bfloat16 run trained exactly as the float32 one: the option did nothing");

            using (CheckpointTestKit.Fit(Options(N, TrainingPrecision.BFloat16, folder))) { }
            var resume = Options(2 * N, TrainingPrecision.BFloat16, folder);
            resume.ResumeFromLatest = true;
            byte[] resumed;
            using (var model = CheckpointTestKit.Fit(resume))
            {
                Assert.AreEqual(2 * N, model.TrainedSteps);
                resumed = CheckpointTestKit.ModelZip(model);
            }
            CheckpointTestKit.AssertSameTraining(straight, resumed);
        }
        finally
        {
            CheckpointTestKit.DeleteFolder(folder);
        }
    }
}
