namespace Microsoft.ML.Diffusion.Experiments;

/// <summary>One trial of a diffusion experiment, as a row of the leaderboard view.</summary>
public sealed class LeaderboardRow
{
    /// <summary>The trial's number, in start order.</summary>
    public int TrialId { get; set; }

    /// <summary>The configuration (the same at every rung it reaches), or −1 without a multi-fidelity tuner.</summary>
    public int Configuration { get; set; }

    /// <summary>The successive-halving rung, from 0.</summary>
    public int Rung { get; set; }

    /// <summary>The swept options, as "Name=value" pairs.</summary>
    public string Parameters { get; set; } = string.Empty;

    /// <summary>The budget the tuner gave the trial, in <see cref="BudgetUnit"/> (NaN without a budget).</summary>
    public double Budget { get; set; }

    /// <summary>"Seconds" or "Steps".</summary>
    public string BudgetUnit { get; set; } = string.Empty;

    /// <summary>Steps the configuration had trained for when the trial ended (0 when unknown).</summary>
    public long TrainedSteps { get; set; }

    /// <summary>Seconds the configuration had spent training when the trial ended (NaN when unknown).</summary>
    public double TrainingSeconds { get; set; }

    /// <summary>The metric (lower is better), NaN for a trial that did not finish.</summary>
    public double Metric { get; set; }

    /// <summary>Finished, StoppedEarly or Failed.</summary>
    public string Status { get; set; } = string.Empty;

    /// <summary>Why: promoted or not, where a trial stopped, or the failure's message.</summary>
    public string Reason { get; set; } = string.Empty;

    /// <summary>Wall-clock seconds of the whole trial (training, scoring, checkpoints).</summary>
    public double DurationSeconds { get; set; }
}

/// <summary>How a trial ended.</summary>
public enum TrialStatus
{
    /// <summary>Trained for its budget and scored.</summary>
    Finished = 0,

    /// <summary>Stopped before its budget (the experiment's time ran out, or it was cancelled), or not promoted past its rung.</summary>
    StoppedEarly = 1,

    /// <summary>Threw; the reason is the exception's message.</summary>
    Failed = 2,
}
