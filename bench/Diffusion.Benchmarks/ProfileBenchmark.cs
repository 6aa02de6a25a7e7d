using System.Text.Json.Nodes;
using Microsoft.ML;
using Microsoft.ML.Diffusion;
using TorchSharp;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Diffusion.Benchmarks;

/// <summary>
/// A per-op profile of FMNIST-S: three training steps at batch 128 (after two warm-up steps) and ten DDIM
/// steps for 64 images, from libtorch's own profiler. It tells which operation dominates, not a guess.
/// </summary>
public static class ProfileBenchmark
{
    /// <summary>Runs the profile, prints the top ops and returns them.</summary>
    public static JsonObject Run(BenchOptions bench)
    {
        var json = new JsonObject();
        var traceFolder = Path.GetDirectoryName(Path.GetFullPath(bench.JsonPath)) ?? ".";
        Directory.CreateDirectory(traceFolder);

        var images = tensor(new float[256 * 784].Select((_, i) => (i % 97) / 48.5f - 1f).ToArray(), [256, 1, 28, 28]);
        OpProfiler? profiler = null;
        IReadOnlyList<(string op, double ms, long calls)> training = [];
        var options = new DiffusionEstimator.Options
        {
            BaseChannels = 64, ChannelMultipliers = [1, 2, 2], ResBlocksPerLevel = 2, AttentionResolutions = [7], Dropout = 0.1,
            GroupNormGroups = 32, TimeEmbeddingWidth = 256, LearningRate = 2e-4, WarmupSteps = 0, GradientClipNorm = null,
            BatchSize = 128, EmaDecay = 0.9999, EmaWarmup = false, MaxSteps = 5, MaxEpochs = null, LogEveryNSteps = 0,
        };
        options.Progress = new SynchronousProgress<DiffusionTrainingProgress>(p =>
        {
            if (p.Step == 2) profiler = OpProfiler.Start(Path.Combine(traceFolder, "trace-train.json"));
            if (p.Step == 5) training = profiler!.Stop();
        });
        using var schedule = NoiseSchedule.Create(NoiseScheduleKind.Linear);
        var result = new DiffusionTrainer(options, schedule, 1, _ => { }).Train(images, UNetArchitecture.FmnistS);
        json["training_3_steps"] = Print("training, 3 steps of batch 128 (self time)", training);

        var sampler = new DdimSampler(50);
        var generators = Enumerable.Range(0, 64).Select(i => new Generator((ulong)i)).ToList();
        IReadOnlyList<(string op, double ms, long calls)> sampling;
        using (inference_mode())
        using (NewDisposeScope())
        {
            var x = randn([64, 1, 28, 28]);
            var warm = sampler.Step((xt, t) => DiffusionSamplerTransformer.Denoise(result.Ema, xt, t), schedule, PredictionTarget.Epsilon, x, 999, 0.9, 64, generators);
            var sampleProfiler = OpProfiler.Start(Path.Combine(traceFolder, "trace-sample.json"));
            for (int k = 0; k < 10; k++)
                x = sampler.Step((xt, t) => DiffusionSamplerTransformer.Denoise(result.Ema, xt, t), schedule, PredictionTarget.Epsilon, x, 999 - 20 * k, 0.9, 64, generators);
            sampling = sampleProfiler.Stop();
        }
        json["ddim_10_steps_64_images"] = Print("sampling, 10 DDIM steps of 64 images (self time)", sampling);
        result.Model.Dispose();
        result.Ema.Dispose();
        return json;
    }

    private static JsonArray Print(string title, IReadOnlyList<(string op, double ms, long calls)> rows)
    {
        double total = rows.Sum(r => r.ms);
        Console.WriteLine($"-- {title}: {total:F0} ms in ops");
        Console.WriteLine($"{"op",-44} {"self ms",10} {"share",7} {"calls",7}");
        var array = new JsonArray();
        foreach (var (op, ms, calls) in rows.Take(15))
        {
            Console.WriteLine($"{op,-44} {ms,10:F1} {ms / total,7:P1} {calls,7}");
            array.Add(new JsonObject { ["op"] = op, ["self_ms"] = Math.Round(ms, 1), ["calls"] = calls });
        }
        return array;
    }
}
