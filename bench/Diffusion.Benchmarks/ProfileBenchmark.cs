using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.ML.Diffusion;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Diffusion.Benchmarks;

/// <summary>
/// Where the time of FMNIST-S goes, by phase: a training step at batch 128 split into forward + loss, backward,
/// Adam and EMA, and a DDIM step for 64 images split into network evaluation and the sampler's update.
/// </summary>
/// <remarks>
/// TorchSharp 0.107 does not expose libtorch's profiler (torch.autograd.profiler), so this is a phase profile timed
/// with a stopwatch: libtorch on CPU runs every op synchronously, so a phase's wall time is its ops' time.
/// </remarks>
public static class ProfileBenchmark
{
    private const int Steps = 3;

    /// <summary>Runs the profile, prints the phases and returns them.</summary>
    public static JsonObject Run(BenchOptions bench)
    {
        var json = new JsonObject();
        manual_seed(1);
        using var schedule = NoiseSchedule.Create(NoiseScheduleKind.Linear);
        using var model = new UNetModel(UNetArchitecture.FmnistS);
        using var ema = new UNetModel(UNetArchitecture.FmnistS);
        var averager = new ExponentialMovingAverage(model, ema, 0.9999, warmup: false);
        using var optimizer = optim.Adam(model.parameters(), 2e-4);
        using var images = rand(256, 1, 28, 28) * 2 - 1;
        var phases = new Dictionary<string, double> { ["forward + loss"] = 0, ["backward"] = 0, ["Adam step"] = 0, ["EMA update"] = 0 };
        model.train();
        for (int step = 0; step < Steps + 2; step++)
        {
            bool timed = step >= 2;
            using var scope = NewDisposeScope();
            var clock = Stopwatch.StartNew();
            var x0 = images.narrow(0, 0, 128);
            var t = randint(0, schedule.Timesteps, [128]);
            var noise = randn_like(x0);
            var loss = nn.functional.mse_loss(model.call(ForwardProcess.Sample(schedule, x0, t, noise), t), noise);
            _ = loss.ToDouble();
            Add("forward + loss");
            optimizer.zero_grad();
            loss.backward();
            Add("backward");
            optimizer.step();
            Add("Adam step");
            averager.Update();
            Add("EMA update");

            void Add(string phase)
            {
                if (timed) phases[phase] += clock.Elapsed.TotalMilliseconds;
                clock.Restart();
            }
        }
        json["training_step_batch_128"] = Print($"training, mean of {Steps} steps of batch 128", phases, Steps);

        ema.eval();
        var sampler = new DdimSampler(50);
        var generators = Enumerable.Range(0, 64).Select(i => new Generator((ulong)i)).ToList();
        double network = 0, total = 0;
        const int SamplingSteps = 10;
        using (inference_mode())
        using (NewDisposeScope())
        {
            var x = randn([64, 1, 28, 28]);
            Tensor Timed(Tensor xt, Tensor t)
            {
                var clock = Stopwatch.StartNew();
                var result = DiffusionSamplerTransformer.Denoise(ema, xt, t);
                network += clock.Elapsed.TotalMilliseconds;
                return result;
            }
            x = sampler.Step(Timed, schedule, PredictionTarget.Epsilon, x, 999, 0.9, 64, generators);
            network = 0;
            var all = Stopwatch.StartNew();
            for (int k = 0; k < SamplingSteps; k++)
                x = sampler.Step(Timed, schedule, PredictionTarget.Epsilon, x, 979 - 20 * k, 0.9, 64, generators);
            total = all.Elapsed.TotalMilliseconds;
        }
        foreach (var g in generators) g.Dispose();
        json["ddim_step_64_images"] = Print($"sampling, mean of {SamplingSteps} DDIM steps of 64 images",
            new Dictionary<string, double> { ["U-Net evaluation"] = network, ["sampler update"] = total - network }, SamplingSteps);
        return json;
    }

    private static JsonArray Print(string title, Dictionary<string, double> phases, int count)
    {
        double total = phases.Values.Sum();
        Console.WriteLine($"-- {title}: {total / count:F0} ms");
        Console.WriteLine($"{"phase",-24} {"ms",10} {"share",7}");
        var array = new JsonArray();
        foreach (var (phase, ms) in phases)
        {
            Console.WriteLine($"{phase,-24} {ms / count,10:F1} {ms / total,7:P1}");
            array.Add(new JsonObject { ["phase"] = phase, ["ms"] = Math.Round(ms / count, 1) });
        }
        return array;
    }
}
