using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Diffusion;
using TorchSharp;

namespace Diffusion.Benchmarks;

/// <summary>
/// The memory soak (<c>--soak</c>): 10 minutes of sampling, then 10 minutes of training with checkpoints, recording
/// the resident set every 30 s. Within each phase, growth from minute 2 to the end must stay under 5%, and the
/// live tensor count must return to its value before the phase. <c>--quick</c> shortens each phase to 2.5 minutes;
/// <c>--soak-minutes 60</c> makes the sampling phase an hour (the 1-hour sampling soak of issue #15).
/// </summary>
public static class SoakBenchmark
{
    private const double MaxGrowth = 0.05;
    private static readonly TimeSpan s_interval = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan s_settle = TimeSpan.FromMinutes(2);

    /// <summary>Runs the soak when <see cref="BenchOptions.Soak"/> is set; otherwise reports it as skipped.</summary>
    public static JsonObject Run(BenchOptions options)
    {
        if (!options.Soak)
        {
            Console.WriteLine("  skipped: pass --soak (20 minutes)");
            return new JsonObject { ["skipped"] = "pass --soak" };
        }
        var phase = options.Quick ? TimeSpan.FromMinutes(2.5) : TimeSpan.FromMinutes(10);
        var samplingPhase = options.SoakSamplingMinutes is double m ? TimeSpan.FromMinutes(m) : phase;
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(SyntheticImages(256));
        var folder = Path.Combine(Path.GetTempPath(), $"diffusion-soak-{Environment.ProcessId}");
        try
        {
            using var model = ml.Transforms.Diffusion(TrainOptions(TimeSpan.Zero, null, steps: 20)).Fit(data);
            var sampling = Measure("sampling", samplingPhase, () =>
            {
                var generated = model.Transform(ml.Data.LoadFromEnumerable(SyntheticImages(16)));
                using var cursor = generated.GetRowCursor(generated.Schema);
                var getter = cursor.GetGetter<MLImage>(generated.Schema["GeneratedImage"]);
                MLImage image = null!;
                while (cursor.MoveNext()) { getter(ref image); image.Dispose(); }
                return false;
            });
            var training = Measure("training", phase, () =>
            {
                using var trained = ml.Transforms.Diffusion(TrainOptions(phase, folder, steps: null)).Fit(data);
                return true;
            });
            var result = new JsonObject
            {
                ["phase_minutes"] = phase.TotalMinutes,
                ["sampling_minutes"] = samplingPhase.TotalMinutes,
                ["max_growth"] = MaxGrowth,
                ["sampling"] = sampling,
                ["training"] = training,
                ["passed"] = sampling["passed"]!.GetValue<bool>() && training["passed"]!.GetValue<bool>(),
            };
            Console.WriteLine($"  soak {(result["passed"]!.GetValue<bool>() ? "passed" : "FAILED")}");
            return result;
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    // Repeats `work` for `duration` (once when it returns true: it runs for the duration itself), sampling RSS.
    private static JsonObject Measure(string name, TimeSpan duration, Func<bool> work)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long tensorsBefore = torch.Tensor.TotalCount;
        var samples = new List<(double minutes, long rss, long tensors)>();
        var clock = Stopwatch.StartNew();
        using var timer = new Timer(_ =>
        {
            lock (samples) samples.Add((clock.Elapsed.TotalMinutes, ResidentBytes(), torch.Tensor.TotalCount));
        }, null, TimeSpan.Zero, s_interval);
        int rounds = 0;
        while (clock.Elapsed < duration)
        {
            rounds++;
            if (work()) break;
        }
        timer.Dispose();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long tensorsAfter = torch.Tensor.TotalCount;
        lock (samples) samples.Add((clock.Elapsed.TotalMinutes, ResidentBytes(), tensorsAfter));

        var settled = samples.First(s => s.minutes >= s_settle.TotalMinutes - 0.01);
        var end = samples[^1];
        double growth = (end.rss - settled.rss) / (double)settled.rss;
        bool passed = growth < MaxGrowth && tensorsAfter == tensorsBefore;
        Console.WriteLine($"  {name}: {rounds} rounds in {clock.Elapsed.TotalMinutes:F1} min; RSS {Mb(settled.rss)} MB at {settled.minutes:F1} min → {Mb(end.rss)} MB at end ({growth:P2}); " +
                          $"peak {Mb(samples.Max(s => s.rss))} MB; live tensors {tensorsBefore} before, {tensorsAfter} after — {(passed ? "ok" : "FAILED")}");
        foreach (var s in samples) Console.WriteLine($"    {s.minutes,5:F1} min  {Mb(s.rss),7} MB  {s.tensors,6} tensors");
        return new JsonObject
        {
            ["rounds"] = rounds,
            ["rss_mb_at_2min"] = Mb(settled.rss),
            ["rss_mb_at_end"] = Mb(end.rss),
            ["growth"] = Math.Round(growth, 5),
            ["peak_rss_mb"] = Mb(samples.Max(s => s.rss)),
            ["live_tensors_before"] = tensorsBefore,
            ["live_tensors_after"] = tensorsAfter,
            ["passed"] = passed,
            ["samples"] = new JsonArray(samples.Select(s => (JsonNode)new JsonObject { ["minutes"] = Math.Round(s.minutes, 2), ["rss_mb"] = Mb(s.rss), ["tensors"] = s.tensors }).ToArray()),
        };
    }

    private static DiffusionEstimator.Options TrainOptions(TimeSpan time, string? folder, int? steps) => new()
    {
        InputColumnName = "Image",
        BaseChannels = 32,
        ChannelMultipliers = [1, 2, 2],
        AttentionResolutions = [7],
        BatchSize = 32,
        MaxSteps = steps,
        MaxEpochs = null,
        TrainingTime = steps is null ? time : null,
        LogEveryNSteps = 0,
        CheckpointFolder = folder,
        CheckpointEveryMinutes = folder is null ? null : 2,
        CheckpointsToKeep = 2,
        Sampler = new DiffusionSamplerOptions { Steps = 10, BatchSize = 16 },
    };

    private sealed class Row
    {
        [VectorType(1, 28, 28)]
        public float[] Image { get; set; } = [];
    }

    private static List<Row> SyntheticImages(int count)
    {
        var rng = new Random(7);
        return Enumerable.Range(0, count).Select(_ =>
        {
            var pixels = new float[28 * 28];
            int x0 = rng.Next(20), y0 = rng.Next(20), size = 4 + rng.Next(8);
            for (int y = y0; y < Math.Min(28, y0 + size); y++)
                for (int x = x0; x < Math.Min(28, x0 + size); x++)
                    pixels[28 * y + x] = 255f;
            return new Row { Image = pixels };
        }).ToList();
    }

    private static long ResidentBytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        return 0;
    }

    private static long Mb(long bytes) => bytes >> 20;
}
