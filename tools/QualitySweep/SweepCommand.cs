using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.Data;
using Microsoft.ML.Diffusion.Evaluation;

namespace Microsoft.ML.Diffusion.Tools;

/// <summary>
/// Trains each configuration on the full Fashion-MNIST train split for the same wall-clock budget, samples
/// DDIM-50 images from the EMA weights with the same seeds for every configuration (common random numbers make
/// differences between rows less noisy), and scores them against the test split.
/// </summary>
internal static class SweepCommand
{
    private const int SeedBase = 1_000_000;

    public static int Run(Arguments args)
    {
        var names = args.String("configs", "default").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        double minutes = args.Double("minutes", 10);
        int samples = args.Int("fd-samples", 1000);
        int seed = args.Int("seed", 1);
        string results = args.String("results", "out/quality-sweep.jsonl");
        string? data = args.OptionalString("data");
        string? holdLock = args.OptionalString("hold-lock");
        if (minutes <= 0) throw new ArgumentException($"--minutes must be positive, got {minutes}.");
        if (samples < 2) throw new ArgumentException($"--fd-samples must be at least 2, got {samples}.");
        var configurations = names.Select(n => (Name: n, Config: SweepConfigurations.Resolve(n))).ToList();

        var ml = new MLContext(seed: seed);
        ml.Log += (_, e) => { if (e.Kind >= Runtime.ChannelMessageKind.Info) Console.WriteLine($"  {e.RawMessage}"); };
        var train = FashionMnist.Load(ml, FashionMnistSplit.Train, data);
        Console.WriteLine("Computing the test split's feature statistics...");
        var reference = ml.Diffusion().ComputeReferenceStatistics(FashionMnist.Load(ml, FashionMnistSplit.Test, data));

        foreach (var (name, (description, apply)) in configurations)
        {
            var options = new DiffusionEstimator.Options { Seed = seed, SeedColumnName = SeedRow.ColumnName, MaxEpochs = null, TrainingTime = TimeSpan.FromMinutes(minutes), LogEveryNSteps = 500 };
            apply(options);
            options.Sampler = options.Sampler with { Kind = SamplerKind.Ddim, Steps = 50, Eta = 0, UseEma = true };
            Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] {name}: {description}; training {minutes} min");

            DiffusionSamplerTransformer trained;
            double loadBefore, loadAfter, trainSeconds;
            using (TrainingLock.Acquire(holdLock))
            {
                loadBefore = LoadAverage();
                var trainClock = Stopwatch.StartNew();
                trained = ml.Transforms.Diffusion(options).Fit(train);
                trainSeconds = trainClock.Elapsed.TotalSeconds;
                loadAfter = LoadAverage();
            }
            using var model = trained;
            var clock = Stopwatch.StartNew();
            var seeds = ml.Data.LoadFromEnumerable(Enumerable.Range(0, samples).Select(i => new SeedRow { Seed = SeedBase + seed * 10_000 + i }).ToList());
            var metrics = ml.Diffusion().Evaluate(model.Transform(seeds), reference, model.OutputColumnName);
            double sampleSeconds = clock.Elapsed.TotalSeconds;

            var history = model.LossHistory;
            int window = Math.Min(200, history.Count);
            var result = new SweepResult(name, description, DateTimeOffset.Now, minutes, model.TrainedSteps, trainSeconds,
                model.TrainedSteps * (double)options.BatchSize / trainSeconds, history.Skip(history.Count - window).Average(),
                metrics.FrechetDistance, metrics.ClassifierScore, metrics.SampleCount, sampleSeconds, loadBefore, loadAfter);
            result.AppendTo(results);
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture,
                "[{0:HH:mm:ss}] {1}: {2:N0} steps, {3:F0} images/s, loss {4:F4}, FD {5:F2}, classifier score {6:F2} ({7} samples, {8:F0} s); load {9:F1} → {10:F1}",
                DateTime.Now, name, result.Steps, result.ImagesPerSecond, result.RecentLoss, result.FrechetDistance, result.ClassifierScore,
                result.Samples, sampleSeconds, loadBefore, loadAfter));
        }
        return 0;
    }

    // The 1-minute load average of /proc/loadavg: above the core count, the budget bought fewer steps than on an
    // idle machine, which the table must show.
    private static double LoadAverage()
    {
        try { return double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture); }
        catch (IOException) { return double.NaN; }
    }

    private sealed class SeedRow
    {
        public const string ColumnName = "Seed";

        public int Seed { get; set; }
    }
}
