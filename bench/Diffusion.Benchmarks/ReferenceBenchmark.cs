using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.ML;
using Microsoft.ML.Diffusion;
using static TorchSharp.torch;

namespace Diffusion.Benchmarks;

/// <summary>
/// FMNIST-S against PyTorch eager (bench/reference/fmnist_s.py, Debian's python3-torch) in the same run. Every
/// measurement is its own child process, ours and PyTorch's alternating, so each peak resident set (VmHWM, which is
/// getrusage's ru_maxrss) belongs to one job and neither side runs warm on the other's caches. Figures are the median
/// over the rounds; the ratios are the targets of issue #15.
/// </summary>
public static class ReferenceBenchmark
{
    private const int WarmupSteps = 5;
    private static readonly int[] s_batchSizes = [1, 4, 8, 16, 32, 64, 128];

    /// <summary>Runs the rounds, prints the comparison and returns it.</summary>
    public static JsonObject Run(BenchOptions bench)
    {
        string script = FindScript();
        int rounds = bench.Quick ? 1 : 2, steps = bench.Quick ? 5 : 20;
        var (_, convGflops) = MicroBenchmarks.ConvForwardBackward(bench.Quick ? 3 : 10);
        double forwardFlops = UNetFlops.Forward(UNetArchitecture.FmnistS);

        var ours = new List<JsonObject>();
        var theirs = new List<JsonObject>();
        for (int r = 0; r < rounds; r++)
        {
            Console.WriteLine($"round {r + 1}/{rounds}: training (ours, PyTorch, ours in bfloat16), DDIM-50 x 64 (ours, PyTorch)");
            var o = OurChild("train", steps.ToString(CultureInfo.InvariantCulture));
            var t = Python(script, "train", "--steps", steps.ToString(CultureInfo.InvariantCulture));
            var ob = OurChild("train", steps.ToString(CultureInfo.InvariantCulture), "bfloat16");
            o["train_images_per_second_bfloat16"] = ob["train_images_per_second"]!.DeepClone();
            o["peak_rss_train_mib_bfloat16"] = ob["peak_rss_train_mib"]!.DeepClone();
            Merge(o, OurChild("sample", "64", "50"));
            Merge(t, Python(script, "sample", "--batch", "64", "--steps", "50"));
            o["ddim_seconds_bfloat16"] = OurChild("sample", "64", "50", "bfloat16")["ddim_seconds"]!.DeepClone();
            t["ddim_seconds_bfloat16"] = Python(script, "sample", "--batch", "64", "--steps", "50", "--dtype", "bfloat16")["ddim_seconds"]!.DeepClone();
            ours.Add(o);
            theirs.Add(t);
        }

        // Throughput against batch size: 10 DDIM steps per batch, images/s; once per side (the shape, not the last percent).
        var scaling = new JsonArray();
        foreach (int b in s_batchSizes)
        {
            double oursSeconds = (double)OurChild("sample", b.ToString(CultureInfo.InvariantCulture), "10")["ddim_seconds"]!;
            double theirSeconds = (double)Python(script, "sample", "--batch", b.ToString(CultureInfo.InvariantCulture), "--steps", "10")["ddim_seconds"]!;
            scaling.Add(new JsonObject { ["batch"] = b, ["ours_images_per_second"] = Math.Round(b / oursSeconds, 2), ["pytorch_images_per_second"] = Math.Round(b / theirSeconds, 2) });
        }

        double Median(List<JsonObject> runs, string key)
        {
            var v = runs.Select(j => (double)j[key]!).Order().ToList();
            return v.Count % 2 == 1 ? v[v.Count / 2] : (v[v.Count / 2 - 1] + v[v.Count / 2]) / 2;
        }
        double trainOurs = Median(ours, "train_images_per_second"), trainTheirs = Median(theirs, "train_images_per_second");
        double trainOursBf16 = Median(ours, "train_images_per_second_bfloat16"), rssTrainOursBf16 = Median(ours, "peak_rss_train_mib_bfloat16");
        double ddimOurs = Median(ours, "ddim_seconds"), ddimTheirs = Median(theirs, "ddim_seconds");
        double ddimOursBf16 = Median(ours, "ddim_seconds_bfloat16"), ddimTheirsBf16 = Median(theirs, "ddim_seconds_bfloat16");
        double rssTrainOurs = Median(ours, "peak_rss_train_mib"), rssTrainTheirs = Median(theirs, "peak_rss_train_mib");
        double rssSampleOurs = Median(ours, "peak_rss_sample_mib"), rssSampleTheirs = Median(theirs, "peak_rss_sample_mib");
        double mfuOurs = 3 * forwardFlops * trainOurs / (convGflops * 1e9), mfuTheirs = 3 * forwardFlops * trainTheirs / (convGflops * 1e9);

        var rows = new List<(string, string, string, string, string)>
        {
            ("training images/s (batch 128)", $"{trainOurs:F1}", $"{trainTheirs:F1}", $"{trainOurs / trainTheirs:F2}x", ">= 1.5x"),
            ("training images/s, bfloat16", $"{trainOursBf16:F1}", $"{trainTheirs:F1}", $"{trainOursBf16 / trainTheirs:F2}x", "vs PyTorch float32"),
            ("DDIM-50, 64 images", $"{ddimOurs:F1} s", $"{ddimTheirs:F1} s", $"{ddimOurs / ddimTheirs:F2}x", "<= 0.5x"),
            ("DDIM-50, 64 images, bfloat16", $"{ddimOursBf16:F1} s", $"{ddimTheirsBf16:F1} s", $"{ddimOursBf16 / ddimTheirs:F2}x", "vs PyTorch float32"),
            ("peak RSS, training", $"{rssTrainOurs:F0} MiB", $"{rssTrainTheirs:F0} MiB", $"{rssTrainOurs / rssTrainTheirs:F2}x", "<= 1x"),
            ("peak RSS, training, bfloat16", $"{rssTrainOursBf16:F0} MiB", $"{rssTrainTheirs:F0} MiB", $"{rssTrainOursBf16 / rssTrainTheirs:F2}x", "vs PyTorch float32"),
            ("peak RSS, sampling", $"{rssSampleOurs:F0} MiB", $"{rssSampleTheirs:F0} MiB", $"{rssSampleOurs / rssSampleTheirs:F2}x", "<= 1x"),
            ("MFU vs conv peak (training)", $"{mfuOurs:P1}", $"{mfuTheirs:P1}", "", ">= 65% (ours)"),
        };
        Console.WriteLine($"peak conv 64->64 3x3 b32 f+b: {convGflops:F1} GFLOP/s; PyTorch {theirs[0]["torch"]}, {theirs[0]["threads"]} threads; ours {get_num_threads()} threads; median of {rounds} round(s)");
        Console.WriteLine($"{"figure",-30} {"ours",12} {"PyTorch",12} {"ratio",8}  target");
        foreach (var (name, a, b, ratio, target) in rows) Console.WriteLine($"{name,-30} {a,12} {b,12} {ratio,8}  {target}");
        Console.WriteLine($"{"DDIM-10 images/s by batch",-30} {"ours",12} {"PyTorch",12}");
        foreach (var row in scaling) Console.WriteLine($"{"  batch " + row!["batch"],-30} {row["ours_images_per_second"],12} {row["pytorch_images_per_second"],12}");

        return new JsonObject
        {
            ["rounds"] = rounds,
            ["peak_conv_gflops"] = Math.Round(convGflops, 1),
            ["ours"] = new JsonArray([.. ours]),
            ["pytorch"] = new JsonArray([.. theirs]),
            ["ratio_train_images_per_second"] = Math.Round(trainOurs / trainTheirs, 3),
            ["ratio_train_images_per_second_bfloat16_vs_pytorch_float32"] = Math.Round(trainOursBf16 / trainTheirs, 3),
            ["ratio_peak_rss_train_bfloat16_vs_pytorch_float32"] = Math.Round(rssTrainOursBf16 / rssTrainTheirs, 3),
            ["ratio_ddim50_seconds"] = Math.Round(ddimOurs / ddimTheirs, 3),
            ["ratio_ddim50_seconds_bfloat16_vs_pytorch_float32"] = Math.Round(ddimOursBf16 / ddimTheirs, 3),
            ["ratio_peak_rss_train"] = Math.Round(rssTrainOurs / rssTrainTheirs, 3),
            ["ratio_peak_rss_sample"] = Math.Round(rssSampleOurs / rssSampleTheirs, 3),
            ["mfu_conv_ours"] = Math.Round(mfuOurs, 4),
            ["mfu_conv_pytorch"] = Math.Round(mfuTheirs, 4),
            ["sampling_scaling"] = scaling,
        };
    }

    /// <summary>The child side: <c>child train STEPS [bfloat16]</c> or <c>child sample BATCH STEPS [bfloat16]</c>; prints one JSON line.</summary>
    public static int RunChild(string[] args)
    {
        JsonObject result;
        if (args[0] == "probe")
        {
            result = PrecisionProbe.Run(args[1..]);
        }
        else if (args[0] == "train")
        {
            int steps = int.Parse(args[1], CultureInfo.InvariantCulture);
            var options = FmnistSBenchmark.TrainingOptions(WarmupSteps + steps);
            if (args.Length > 2 && args[2] == "bfloat16") options.TrainingPrecision = TrainingPrecision.BFloat16;
            var times = new List<double>();
            TimeSpan last = TimeSpan.Zero;
            options.Progress = new SynchronousProgress<DiffusionTrainingProgress>(p => { times.Add((p.Elapsed - last).TotalSeconds); last = p.Elapsed; });
            var data = FmnistSBenchmark.LoadTrainingTensor(new MLContext(seed: 1));
            using var schedule = NoiseSchedule.Create(NoiseScheduleKind.Linear);
            var trained = new DiffusionTrainer(options, schedule, 1, _ => { }).Train(data, null, UNetArchitecture.FmnistS);
            var timed = times.Skip(WarmupSteps).Order().ToList();
            double median = timed[timed.Count / 2];
            result = new JsonObject
            {
                ["parameters"] = trained.Model.ParameterCount,
                ["training_precision"] = options.TrainingPrecision.ToString(),
                ["train_step_ms"] = Math.Round(median * 1e3, 1),
                ["train_images_per_second"] = Math.Round(options.BatchSize / median, 2),
                ["peak_rss_train_mib"] = Math.Round(ResidentMemory.HighWaterMarkBytes() / 1048576.0),
            };
        }
        else
        {
            int batch = int.Parse(args[1], CultureInfo.InvariantCulture), steps = int.Parse(args[2], CultureInfo.InvariantCulture);
            var precision = args.Length > 3 && args[3] == "bfloat16" ? SamplingPrecision.BFloat16 : SamplingPrecision.Float32;
            using var schedule = NoiseSchedule.Create(NoiseScheduleKind.Linear);
            using var model = new UNetModel(UNetArchitecture.FmnistS);
            model.eval();
            double seconds = FmnistSBenchmark.TimeDdim(model, schedule, batch, steps, precision);
            result = new JsonObject
            {
                ["ddim_steps"] = steps, ["batch"] = batch, ["ddim_seconds"] = Math.Round(seconds, 3),
                ["peak_rss_sample_mib"] = Math.Round(ResidentMemory.HighWaterMarkBytes() / 1048576.0),
            };
        }
        Console.WriteLine(result.ToJsonString());
        return 0;
    }

    private static void Merge(JsonObject into, JsonObject from)
    {
        foreach (var (k, v) in from.ToList()) into[k] = v?.DeepClone();
    }

    private static JsonObject OurChild(params string[] args) =>
        RunJson(ChildProcessDotnet(), [typeof(ReferenceBenchmark).Assembly.Location, "child", .. args]);

    private static JsonObject Python(string script, params string[] args) => RunJson("/usr/bin/python3", [script, .. args]);

    private static string ChildProcessDotnet() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    private static JsonObject RunJson(string program, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {program}");
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', info.ArgumentList)} exited with {process.ExitCode}:\n{stdout}{stderr.Result}");
        var line = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last();
        return JsonNode.Parse(line)!.AsObject();
    }

    private static string FindScript()
    {
        if (!File.Exists("/usr/bin/python3"))
            throw new InvalidOperationException("the reference needs /usr/bin/python3 with Debian's python3-torch (./build.sh bench --reference installs it)");
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "bench", "reference", "fmnist_s.py");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException("bench/reference/fmnist_s.py not found above the benchmark's folder");
    }
}
