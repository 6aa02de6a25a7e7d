namespace Microsoft.ML.Diffusion.Experiments;

/// <summary>What a trial's budget counts.</summary>
public enum TrialBudgetUnit
{
    /// <summary>Wall-clock seconds of training (<see cref="DiffusionEstimator.Options.TrainingTime"/>); realistic but machine- and load-dependent.</summary>
    Seconds = 0,

    /// <summary>Optimisation steps (<see cref="DiffusionEstimator.Options.MaxSteps"/>); deterministic, for tests and reproducible sweeps.</summary>
    Steps = 1,
}

/// <summary>How trials are scored (lower is better for both).</summary>
public enum DiffusionTrialMetric
{
    /// <summary>L_simple on the validation images at fixed noise and fixed noise levels (see <see cref="DiffusionTrialRunner"/>); cheap.</summary>
    ValidationLoss = 0,

    /// <summary>Fréchet distance of generated images to the validation images (the Fashion-MNIST feature network); costs a sampling run per trial.</summary>
    FrechetDistance = 1,
}

/// <summary>Settings of a diffusion experiment: the base options, what is swept, the budgets and the metric.</summary>
public sealed class DiffusionExperimentOptions
{
    /// <summary>The options every trial starts from (columns, architecture shape, schedule length…); the search space overrides its members, and the stopping limits are set per trial.</summary>
    public DiffusionEstimator.Options BaseOptions = new();

    /// <summary>What is swept; null for <c>new SearchSpace&lt;DiffusionSearchSpace&gt;()</c>. Member names must be fields of <see cref="DiffusionEstimator.Options"/>.</summary>
    public SearchSpace? SearchSpace;

    /// <summary>How trials are scored.</summary>
    public DiffusionTrialMetric Metric = DiffusionTrialMetric.ValidationLoss;

    /// <summary>What budgets count.</summary>
    public TrialBudgetUnit BudgetUnit = TrialBudgetUnit.Seconds;

    /// <summary>The last rung's budget; null derives it from the experiment's time (seconds only).</summary>
    public double? MaxTrialBudget;

    /// <summary>The smallest first-rung budget; null takes MaxTrialBudget / η^(Rungs − 1).</summary>
    public double? MinTrialBudget;

    /// <summary>η of successive halving.</summary>
    public double ReductionFactor = 3;

    /// <summary>Rungs per bracket when the budgets are derived.</summary>
    public int Rungs = 3;

    /// <summary>Time a trial spends outside training (reading data, building the network, scoring, checkpoints), used when deriving budgets from the experiment's time.</summary>
    public TimeSpan TrialOverhead = TimeSpan.FromSeconds(10);

    /// <summary>Validation images scored per trial (the first ones of the validation view).</summary>
    public int ValidationImages = 1000;

    /// <summary>Images generated per trial for <see cref="DiffusionTrialMetric.FrechetDistance"/>.</summary>
    public int FrechetSamples = 1000;

    /// <summary>Seed of the tuner, the validation noise and (unless BaseOptions.Seed is set) of every trial's training; null for the context's seed, then 1.</summary>
    public int? Seed;

    /// <summary>Where to save the best model as a model zip when the experiment ends, or null.</summary>
    public string? BestModelPath;

    /// <summary>Folder for the trials' resume checkpoints, or null for a new temporary folder (deleted on dispose).</summary>
    public string? WorkingFolder;
}
