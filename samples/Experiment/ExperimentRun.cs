using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Diffusion.Experiments;
using Microsoft.ML.Diffusion;
using Microsoft.ML.Runtime;
using Microsoft.ML.SearchSpace;

namespace ExperimentSample;

/// <summary>Runs the sweep, prints the leaderboard, saves the best model and its sample grid, and optionally the default-options baseline.</summary>
internal sealed class ExperimentRun(ExperimentSettings s)
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public int Run()
    {
        if (s.Budget <= TimeSpan.Zero || s.Rungs < 1 || s.ValidationImages < 2)
        {
            Console.Error.WriteLine("--minutes must be positive, --rungs at least 1 and --validation-images at least 2.");
            return 2;
        }
        var ml = new MLContext(seed: s.Seed);
        ml.Log += (_, e) =>
        {
            if (e.Kind >= ChannelMessageKind.Info && e.Source.StartsWith("DiffusionExperiment", StringComparison.Ordinal))
                Console.WriteLine($"{DateTime.Now:HH:mm:ss} {e.RawMessage}");
        };
        IDataView train = FashionMnist.Load(ml, FashionMnistSplit.Train, s.DataFolder, FashionMnistImageKind.Vector);
        if (s.Limit is int n) train = ml.Data.TakeRows(train, n);
        var test = FashionMnist.Load(ml, FashionMnistSplit.Test, s.DataFolder, FashionMnistImageKind.Vector);
        Directory.CreateDirectory(s.Output);
        var options = new DiffusionExperimentOptions
        {
            BaseOptions = new DiffusionEstimator.Options { LogEveryNSteps = 0 },
            Rungs = s.Rungs,
            TrialOverhead = s.TrialOverhead,
            ValidationImages = s.ValidationImages,
            Seed = s.Seed,
            BestModelPath = Path.Combine(s.Output, "best-model.zip"),
        };

        using var experiment = ml.Diffusion().CreateExperiment(train, test, s.Budget, options);
        Console.WriteLine(string.Create(C, $"Budget {s.Budget.TotalMinutes:F1} min; trial budgets {experiment.MinTrialBudget:F0} s … {experiment.MaxTrialBudget:F0} s of training (η = 3, {s.Rungs} rungs); validation L_simple on {s.ValidationImages} test images."));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = experiment.RunAsync().GetAwaiter().GetResult();
        Console.WriteLine(string.Create(C, $"Experiment finished in {clock.Elapsed:mm\\:ss}."));
        using var best = result.BestModel;
        PrintLeaderboard(result.LeaderboardRows);
        WriteCsv(result.LeaderboardRows, Path.Combine(s.Output, "leaderboard.csv"));
        WriteGrid(ml, best, Path.Combine(s.Output, "samples.png"));
        var b = result.BestTrial;
        Console.WriteLine(string.Create(C, $"Best: trial {b.TrialSettings.TrialId}, validation L_simple {b.Metric:F5} after {b.TrainedSteps} steps; model {options.BestModelPath}."));
        if (s.CompareDefault) CompareWithDefault(experiment.Runner, b);
        return 0;
    }

    // The defaults run through the same runner, so they get the same seed, validation noise and noise levels as the trials.
    private static void CompareWithDefault(DiffusionTrialRunner runner, DiffusionTrialResult winner)
    {
        var budget = winner.Options.TrainingTime ?? throw new InvalidOperationException("The winner has no time budget.");
        var parameter = Parameter.FromObject(new DiffusionSearchSpace());   // its initial values are the package defaults
        parameter[SuccessiveHalvingTuner.BudgetKey] = Parameter.FromDouble(budget.TotalSeconds);
        parameter[SuccessiveHalvingTuner.ConfigurationKey] = Parameter.FromInt(-1);
        Console.WriteLine(string.Create(C, $"Training the default options for the winner's budget ({budget.TotalSeconds:F0} s): {parameter}"));
        var result = (DiffusionTrialResult)runner.RunAsync(new TrialSettings { TrialId = -1, Parameter = parameter }, CancellationToken.None).GetAwaiter().GetResult();
        Console.WriteLine(string.Create(C, $"Default options: validation L_simple {result.Metric:F5} after {result.TrainedSteps} steps; winner {winner.Metric:F5} after {winner.TrainedSteps} steps " +
            $"({(result.Metric > winner.Metric ? "the winner is better" : "the defaults are as good or better")}, {100 * (result.Metric - winner.Metric) / result.Metric:F1} % lower loss)."));
    }

    private static void PrintLeaderboard(IReadOnlyList<LeaderboardRow> rows)
    {
        Console.WriteLine();
        Console.WriteLine("| trial | config | rung | budget (s) | steps | train s | L_simple | status | reason | parameters |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---|---|---|");
        foreach (var r in rows)
            Console.WriteLine(string.Create(C, $"| {r.TrialId} | {r.Configuration} | {r.Rung} | {r.Budget:F0} | {r.TrainedSteps} | {r.TrainingSeconds:F0} | {r.Metric:F5} | {r.Status} | {r.Reason} | {r.Parameters} |"));
        Console.WriteLine();
    }

    private static void WriteCsv(IReadOnlyList<LeaderboardRow> rows, string path)
    {
        using var writer = new StreamWriter(path);
        writer.WriteLine("TrialId,Configuration,Rung,Budget,BudgetUnit,TrainedSteps,TrainingSeconds,Metric,Status,Reason,Parameters,DurationSeconds");
        foreach (var r in rows)
            writer.WriteLine(string.Create(C, $"{r.TrialId},{r.Configuration},{r.Rung},{r.Budget:R},{r.BudgetUnit},{r.TrainedSteps},{r.TrainingSeconds:F1},{r.Metric:R},{r.Status},\"{r.Reason}\",\"{r.Parameters}\",{r.DurationSeconds:F1}"));
    }

    private static void WriteGrid(MLContext ml, DiffusionSamplerTransformer model, string path)
    {
        model.SamplerOptions = model.SamplerOptions with { Kind = SamplerKind.Ddim, Steps = 50, UseEma = true };
        var seeds = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 64).Select(i => new SeedRow { Seed = 1000 + i }).ToList());
        ImageGrid.Create(model.Transform(seeds), model.OutputColumnName, columns: 8).Save(path);
        Console.WriteLine($"Samples of the best model: {Path.GetFullPath(path)}");
    }

    private sealed class SeedRow
    {
        public int Seed { get; set; }
    }
}
