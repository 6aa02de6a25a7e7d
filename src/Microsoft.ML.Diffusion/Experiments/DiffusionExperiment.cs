using Microsoft.ML.Runtime;

namespace Microsoft.ML.Diffusion.Experiments;

/// <summary>
/// A ready sweep of <see cref="DiffusionEstimator.Options"/>: an <see cref="AutoMLExperiment"/> with a
/// <see cref="SuccessiveHalvingTuner"/>, a <see cref="DiffusionTrialRunner"/> and a <see cref="LeaderboardMonitor"/>.
/// Make it with <c>mlContext.Diffusion().CreateExperiment(train, validation, budget)</c>; adjust <see cref="Experiment"/>
/// with its Set* methods before <see cref="RunAsync"/> if needed; dispose it to delete the resume checkpoints.
/// </summary>
public sealed class DiffusionExperiment : IDisposable
{
    private readonly MLContext _context;
    private readonly DiffusionExperimentOptions _options;

    internal DiffusionExperiment(MLContext context, IDataView train, IDataView validation, TimeSpan budget, DiffusionExperimentOptions options)
    {
        if (!(budget > TimeSpan.Zero)) throw new ArgumentOutOfRangeException(nameof(budget), budget, "The experiment's time budget must be positive.");
        _context = context;
        _options = options;
        int seed = options.Seed ?? ((IHostEnvironment)context).GetSeed() ?? 1;
        (MinTrialBudget, MaxTrialBudget) = Budgets(budget, options);
        var searchSpace = options.SearchSpace ?? new SearchSpace<DiffusionSearchSpace>();
        TrialOptions.RequireApplicable(searchSpace, options.BaseOptions, nameof(options.SearchSpace));
        Runner = new DiffusionTrialRunner(context, train, validation, options);
        Monitor = new LeaderboardMonitor(context, options.BudgetUnit);
        Experiment = new AutoMLExperiment(context, new AutoMLExperiment.AutoMLExperimentSettings { Seed = seed, SearchSpace = searchSpace })
            .SetDataset(train, validation)
            .SetTrainingTimeInSeconds((uint)Math.Ceiling(budget.TotalSeconds))
            .SetTrialRunner(Runner)
            .SetMonitor(Monitor)
            .SetTuner(services =>
            {
                var settings = (AutoMLExperiment.AutoMLExperimentSettings)services.GetService(typeof(AutoMLExperiment.AutoMLExperimentSettings))!;
                return new SuccessiveHalvingTuner(settings.SearchSpace, MinTrialBudget, MaxTrialBudget, options.ReductionFactor, settings.Seed);
            });
    }

    /// <summary>The underlying experiment.</summary>
    public AutoMLExperiment Experiment { get; }

    /// <summary>Trains and scores the trials; holds the best model until the result takes it.</summary>
    public DiffusionTrialRunner Runner { get; }

    /// <summary>Logs the trials and keeps the leaderboard.</summary>
    public LeaderboardMonitor Monitor { get; }

    /// <summary>The first rung's budget (in the options' <see cref="DiffusionExperimentOptions.BudgetUnit"/>).</summary>
    public double MinTrialBudget { get; }

    /// <summary>The last rung's budget.</summary>
    public double MaxTrialBudget { get; }

    /// <summary>Runs the sweep; returns the best trial, its model (saved if BestModelPath is set) and the leaderboard.</summary>
    /// <exception cref="TimeoutException">No trial completed.</exception>
    /// <exception cref="InvalidDataException">The validation data cannot be scored (read before the first trial trains).</exception>
    /// <exception cref="InvalidOperationException">Three trials in a row failed with the same error before any completed.</exception>
    public async Task<DiffusionExperimentResult> RunAsync(CancellationToken ct = default)
    {
        var best = (DiffusionTrialResult)await Experiment.RunAsync(ct).ConfigureAwait(false);
        var model = Runner.DetachBestModel()
            ?? throw new InvalidOperationException("The trial runner no longer holds the best model; run each DiffusionExperiment once.");
        if (_options.BestModelPath is string path)
        {
            _context.Model.Save(model, null, path);
            using var ch = ((IChannelProvider)_context).Start("DiffusionExperiment");
            ch.Info($"Saved the best model (trial {best.TrialSettings.TrialId}) to '{path}'.");
        }
        return new DiffusionExperimentResult(best, model, Monitor.GetLeaderboardRows(), Monitor.GetLeaderboard());
    }

    /// <summary>Deletes the resume checkpoints and any model the runner still holds.</summary>
    public void Dispose() => Runner.Dispose();

    // With resume, a bracket of K rungs costs R·(1 + (K − 1)(1 − 1/η)) of training for a last-rung budget R; the rest of
    // the time goes to per-trial overhead and a 10 % margin, so the bracket ends inside the experiment's time.
    private static (double min, double max) Budgets(TimeSpan budget, DiffusionExperimentOptions o)
    {
        if (!(o.ReductionFactor >= 2)) throw new ArgumentOutOfRangeException(nameof(o.ReductionFactor), o.ReductionFactor, "ReductionFactor must be at least 2.");
        if (o.Rungs < 1) throw new ArgumentOutOfRangeException(nameof(o.Rungs), o.Rungs, "Rungs must be at least 1.");
        double max;
        if (o.MaxTrialBudget is double given)
        {
            max = given;
        }
        else
        {
            if (o.BudgetUnit == TrialBudgetUnit.Steps)
                throw new ArgumentException("With BudgetUnit = Steps, set MaxTrialBudget (steps cannot be derived from the experiment's time).", nameof(o.MaxTrialBudget));
            double eta = o.ReductionFactor;
            double trials = Enumerable.Range(0, o.Rungs).Sum(k => Math.Max(1, Math.Floor(Math.Pow(eta, o.Rungs - 1 - k) + 1e-9)));
            double cost = 1 + (o.Rungs - 1) * (1 - 1 / eta);
            max = (0.9 * budget.TotalSeconds - trials * o.TrialOverhead.TotalSeconds) / cost;
            if (!(max >= 1))
                throw new ArgumentOutOfRangeException(nameof(budget), budget,
                    $"A {budget.TotalSeconds:F0} s budget cannot fit {trials} trials of {o.Rungs} rungs with {o.TrialOverhead.TotalSeconds:F0} s overhead each; raise the budget or lower Rungs.");
        }
        double min = o.MinTrialBudget ?? max / Math.Pow(o.ReductionFactor, o.Rungs - 1);
        if (!(min > 0) || min > max)
            throw new ArgumentOutOfRangeException(nameof(o.MinTrialBudget), min, $"MinTrialBudget must be in (0, MaxTrialBudget = {max}].");
        return (min, max);
    }
}

/// <summary>The outcome of a <see cref="DiffusionExperiment"/>.</summary>
/// <param name="BestTrial">The trial of lowest metric.</param>
/// <param name="BestModel">Its model; the caller disposes it.</param>
/// <param name="LeaderboardRows">Every trial, best first.</param>
/// <param name="Leaderboard">The same rows as a data view.</param>
public sealed record DiffusionExperimentResult(DiffusionTrialResult BestTrial, DiffusionSamplerTransformer BestModel,
    IReadOnlyList<LeaderboardRow> LeaderboardRows, IDataView Leaderboard);
