using System.Globalization;
using Microsoft.ML.Runtime;
using Microsoft.ML.SearchSpace;
using Keys = Microsoft.ML.Diffusion.Experiments.SuccessiveHalvingTuner;

namespace Microsoft.ML.Diffusion.Experiments;

/// <summary>
/// An <see cref="IMonitor"/> that writes a log line to MLContext.Log as each trial starts, at each new rung, and as each
/// trial ends, and keeps every trial for <see cref="GetLeaderboard"/>.
/// </summary>
public sealed class LeaderboardMonitor : IMonitor
{
    private readonly MLContext _context;
    private readonly IHost _host;
    private readonly TrialBudgetUnit _unit;
    private readonly List<Entry> _entries = new();
    private (int bracket, int rung)? _currentRung;

    /// <summary>A monitor logging to <paramref name="context"/> (source "DiffusionExperiment").</summary>
    /// <param name="context">The context whose log receives the lines.</param>
    /// <param name="budgetUnit">What the tuner's budgets count, for the log and the leaderboard.</param>
    public LeaderboardMonitor(MLContext context, TrialBudgetUnit budgetUnit)
    {
        _context = context ?? throw new ArgumentNullException(nameof(context));
        _host = ((IHostEnvironment)context).Register("DiffusionExperiment");
        _unit = budgetUnit;
    }

    /// <summary>The trials so far, in start order.</summary>
    public int TrialCount => _entries.Count;

    /// <inheritdoc/>
    public void ReportRunningTrial(TrialSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var p = settings.Parameter;
        var entry = new Entry(settings.TrialId, Read(p, Keys.ConfigurationKey, -1), Read(p, Keys.RungKey, 0), Read(p, Keys.BracketKey, 0),
            Read(p, Keys.BudgetKey, double.NaN), Read(p, Keys.FinalRungKey, true), TrialOptions.Describe(p));
        _entries.Add(entry);
        using var ch = _host.Start("Trial");
        if (_currentRung != (entry.Bracket, entry.Rung) && !double.IsNaN(entry.Budget))
        {
            _currentRung = (entry.Bracket, entry.Rung);
            ch.Info(F($"Bracket {entry.Bracket}, rung {entry.Rung}: budget {entry.Budget:G4} {Unit} per configuration."));
        }
        ch.Info(F($"Trial {entry.TrialId} starts: configuration {entry.Configuration}, rung {entry.Rung}, budget {entry.Budget:G4} {Unit}; {entry.Parameters}"));
    }

    /// <inheritdoc/>
    public void ReportCompletedTrial(TrialResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var entry = Find(result.TrialSettings);
        entry.Result = result;
        entry.Status = TrialStatus.Finished;
        using var ch = _host.Start("Trial");
        var steps = result is DiffusionTrialResult d ? F($" after {d.TrainedSteps} steps ({d.TrainingSeconds:F0} s of training)") : string.Empty;
        ch.Info(F($"Trial {entry.TrialId} finished: metric {result.Metric:G5}{steps}, {result.DurationInMilliseconds / 1000:F0} s in all."));
    }

    /// <inheritdoc/>
    public void ReportBestTrial(TrialResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        using var ch = _host.Start("Trial");
        ch.Info(F($"Trial {result.TrialSettings.TrialId} is the best so far: metric {result.Metric:G5}."));
    }

    /// <inheritdoc/>
    public void ReportFailTrial(TrialSettings settings, Exception? exception = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var entry = Find(settings);
        entry.Status = exception is OperationCanceledException ? TrialStatus.StoppedEarly : TrialStatus.Failed;
        entry.Reason = exception is null ? "no reason given" : exception.Message;
        entry.Duration = (settings.EndedAtUtc ?? DateTime.UtcNow) - settings.StartedAtUtc;
        using var ch = _host.Start("Trial");
        if (entry.Status == TrialStatus.Failed) ch.Warning(F($"Trial {entry.TrialId} failed ({exception?.GetType().Name}): {entry.Reason} The experiment goes on."));
        else ch.Info(F($"Trial {entry.TrialId} stopped early: {entry.Reason}"));
    }

    /// <summary>
    /// One row per trial, best metric first (unscored trials last, by trial number). A finished trial below the final rung
    /// is StoppedEarly when its rung was decided without promoting it.
    /// </summary>
    public IReadOnlyList<LeaderboardRow> GetLeaderboardRows()
    {
        var rows = _entries.Select(e => ToRow(e)).ToList();
        return rows.OrderBy(r => double.IsNaN(r.Metric) ? 1 : 0).ThenBy(r => double.IsNaN(r.Metric) ? 0 : r.Metric).ThenBy(r => r.TrialId).ToList();
    }

    /// <summary>The leaderboard as a data view (columns of <see cref="LeaderboardRow"/>).</summary>
    public IDataView GetLeaderboard() => _context.Data.LoadFromEnumerable(GetLeaderboardRows());

    private LeaderboardRow ToRow(Entry e)
    {
        var d = e.Result as DiffusionTrialResult;
        var (status, reason) = (e.Status, e.Reason);
        if (status == TrialStatus.Finished && !e.FinalRung)
        {
            bool promoted = _entries.Any(o => o.Configuration == e.Configuration && o.Bracket == e.Bracket && o.Rung == e.Rung + 1);
            bool decided = _entries.Any(o => o.Bracket == e.Bracket && o.Rung == e.Rung + 1) || _entries.Any(o => o.Bracket > e.Bracket);
            (status, reason) = promoted ? (TrialStatus.Finished, $"promoted to rung {e.Rung + 1}")
                : decided ? (TrialStatus.StoppedEarly, $"not promoted past rung {e.Rung}")
                : (TrialStatus.Finished, $"the experiment ended before rung {e.Rung + 1}");
        }
        else if (status == TrialStatus.Finished)
        {
            reason = "trained for the full budget";
        }
        return new LeaderboardRow
        {
            TrialId = e.TrialId,
            Configuration = e.Configuration,
            Rung = e.Rung,
            Parameters = e.Parameters,
            Budget = e.Budget,
            BudgetUnit = _unit.ToString(),
            TrainedSteps = d?.TrainedSteps ?? 0,
            TrainingSeconds = d?.TrainingSeconds ?? double.NaN,
            Metric = e.Result?.Metric ?? double.NaN,
            Status = status.ToString(),
            Reason = reason,
            DurationSeconds = e.Result is { } r ? r.DurationInMilliseconds / 1000 : e.Duration.TotalSeconds,
        };
    }

    private string Unit => _unit == TrialBudgetUnit.Steps ? "steps" : "s";

    private Entry Find(TrialSettings settings)
        => _entries.LastOrDefault(e => e.TrialId == settings.TrialId)
           ?? throw new InvalidOperationException($"Trial {settings.TrialId} was reported without ReportRunningTrial first.");

    private static T Read<T>(Parameter p, string key, T fallback) => p.ContainsKey(key) ? p[key].AsType<T>() : fallback;

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private sealed class Entry(int trialId, int configuration, int rung, int bracket, double budget, bool finalRung, string parameters)
    {
        public int TrialId { get; } = trialId;
        public int Configuration { get; } = configuration;
        public int Rung { get; } = rung;
        public int Bracket { get; } = bracket;
        public double Budget { get; } = budget;
        public bool FinalRung { get; } = finalRung;
        public string Parameters { get; } = parameters;
        public TrialResult? Result { get; set; }
        public TrialStatus Status { get; set; } = TrialStatus.StoppedEarly;
        public string Reason { get; set; } = "did not end";
        public TimeSpan Duration { get; set; }
    }
}
