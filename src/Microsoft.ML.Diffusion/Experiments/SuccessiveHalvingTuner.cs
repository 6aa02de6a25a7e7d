using Microsoft.ML.SearchSpace;

namespace Microsoft.ML.Diffusion.Experiments;

/// <summary>
/// Successive halving (Jamieson and Talwalkar 2016) over a training budget, with random search for new configurations.
/// A bracket samples <see cref="ConfigurationsPerBracket"/> configurations and trains each for the first rung's budget; the
/// best 1/η of each rung (by loss; failures never) go on to the next rung with η times the budget, up to the maximum budget.
/// When a bracket ends a new one starts, so the tuner proposes until the experiment stops it.
/// </summary>
/// <remarks>
/// Proposals carry the sampled options plus reserved keys: <see cref="BudgetKey"/> (the rung's budget, in the runner's unit),
/// <see cref="RungKey"/>, <see cref="ConfigurationKey"/> (the same number at every rung, so a runner can resume a promoted
/// configuration), <see cref="BracketKey"/> and <see cref="FinalRungKey"/>. Trials run one at a time, as AutoMLExperiment runs them;
/// the same seed gives the same proposals for the same results.
/// </remarks>
public sealed class SuccessiveHalvingTuner : ITuner
{
    /// <summary>The trial's budget: the total the configuration should have trained for when the trial ends.</summary>
    public const string BudgetKey = "_budget_";

    /// <summary>The rung, from 0.</summary>
    public const string RungKey = "_rung_";

    /// <summary>The configuration's number, unique across brackets.</summary>
    public const string ConfigurationKey = "_configuration_";

    /// <summary>The bracket, from 0.</summary>
    public const string BracketKey = "_bracket_";

    /// <summary>Whether this rung is the bracket's last (budget = the maximum).</summary>
    public const string FinalRungKey = "_final_rung_";

    private readonly SearchSpace _searchSpace;
    private readonly Random _random;
    private readonly double _reductionFactor;
    private readonly Dictionary<int, (int configuration, int rung)> _trials = new();
    private readonly Dictionary<int, Parameter> _configurations = new();
    private readonly Dictionary<int, double> _rungLosses = new();
    private readonly Queue<int> _queue = new();
    private int _bracket = -1;
    private int _rung;
    private int _nextConfiguration;

    /// <summary>A tuner over <paramref name="searchSpace"/> with rung budgets from <paramref name="minBudget"/> up to <paramref name="maxBudget"/>.</summary>
    /// <param name="searchSpace">Where new configurations are sampled, uniformly in its feature space.</param>
    /// <param name="minBudget">The smallest first-rung budget; the first rung gets maxBudget / η^k for the largest k that stays at or above it.</param>
    /// <param name="maxBudget">The last rung's budget.</param>
    /// <param name="reductionFactor">η: each rung keeps 1/η of the configurations and gives them η times the budget.</param>
    /// <param name="seed">Seed of the random search; null for 0.</param>
    public SuccessiveHalvingTuner(SearchSpace searchSpace, double minBudget, double maxBudget, double reductionFactor = 3, int? seed = null)
    {
        _searchSpace = searchSpace ?? throw new ArgumentNullException(nameof(searchSpace));
        if (!(minBudget > 0) || !double.IsFinite(maxBudget) || maxBudget < minBudget)
            throw new ArgumentOutOfRangeException(nameof(maxBudget), $"Budgets must satisfy 0 < minBudget ≤ maxBudget < ∞, got minBudget = {minBudget}, maxBudget = {maxBudget}.");
        if (!(reductionFactor >= 2) || !double.IsFinite(reductionFactor))
            throw new ArgumentOutOfRangeException(nameof(reductionFactor), reductionFactor, "The reduction factor η must be at least 2.");
        _reductionFactor = reductionFactor;
        _random = new Random(seed ?? 0);
        // A small epsilon keeps exact powers (e.g. 81/9 with η = 3) from losing a rung to rounding.
        int rungs = (int)Math.Floor(Math.Log(maxBudget / minBudget) / Math.Log(reductionFactor) + 1e-9) + 1;
        RungBudgets = Enumerable.Range(0, rungs).Select(k => maxBudget / Math.Pow(reductionFactor, rungs - 1 - k)).ToArray();
        ConfigurationsPerBracket = (int)Math.Round(Math.Pow(reductionFactor, rungs - 1));
    }

    /// <summary>The budget of each rung, smallest first; the last is the maximum budget.</summary>
    public IReadOnlyList<double> RungBudgets { get; }

    /// <summary>Configurations sampled per bracket (η^(rungs − 1)).</summary>
    public int ConfigurationsPerBracket { get; }

    /// <summary>How many configurations rung <paramref name="rung"/> trains when no trial fails.</summary>
    public int ConfigurationsAtRung(int rung) => Math.Max(1, (int)Math.Floor(ConfigurationsPerBracket / Math.Pow(_reductionFactor, rung) + 1e-9));

    /// <inheritdoc/>
    public Parameter Propose(TrialSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (_queue.Count == 0) Advance();
        int configuration = _queue.Dequeue();
        _trials[settings.TrialId] = (configuration, _rung);
        var parameter = Parameter.CreateNestedParameter(_configurations[configuration].Keys.Select(k => KeyValuePair.Create(k, _configurations[configuration][k])).ToArray());
        parameter[BudgetKey] = Parameter.FromDouble(RungBudgets[_rung]);
        parameter[RungKey] = Parameter.FromInt(_rung);
        parameter[ConfigurationKey] = Parameter.FromInt(configuration);
        parameter[BracketKey] = Parameter.FromInt(_bracket);
        parameter[FinalRungKey] = Parameter.FromBool(_rung == RungBudgets.Count - 1);
        return parameter;
    }

    /// <inheritdoc/>
    public void Update(TrialResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (!_trials.Remove(result.TrialSettings.TrialId, out var trial))
            throw new ArgumentException($"Trial {result.TrialSettings.TrialId} was not proposed by this tuner, or was already updated.", nameof(result));
        if (trial.rung != _rung) return;                // a straggler from a rung already decided
        _rungLosses[trial.configuration] = double.IsNaN(result.Loss) ? double.MaxValue : result.Loss;
    }

    private void Advance()
    {
        if (_trials.Count > 0)
            throw new InvalidOperationException("The rung is not decided yet: SuccessiveHalvingTuner needs each trial's result (Update) before proposing the next rung.");
        var survivors = _bracket < 0 || _rung == RungBudgets.Count - 1 ? [] : Promote();
        if (survivors.Count == 0)
        {
            StartBracket();
            return;
        }
        _rung++;
        _rungLosses.Clear();
        foreach (var c in survivors) _queue.Enqueue(c);
    }

    // Ties go to the older configuration, so the choice never depends on dictionary order.
    private List<int> Promote() => _rungLosses
        .Where(kv => kv.Value < double.MaxValue && double.IsFinite(kv.Value))
        .OrderBy(kv => kv.Value).ThenBy(kv => kv.Key)
        .Take(ConfigurationsAtRung(_rung + 1))
        .Select(kv => kv.Key).OrderBy(c => c).ToList();

    private void StartBracket()
    {
        _bracket++;
        _rung = 0;
        _rungLosses.Clear();
        for (int i = 0; i < ConfigurationsPerBracket; i++)
        {
            var feature = new double[_searchSpace.FeatureSpaceDim];
            for (int d = 0; d < feature.Length; d++) feature[d] = _random.NextDouble();
            int id = _nextConfiguration++;
            _configurations[id] = _searchSpace.SampleFromFeatureSpace(feature);
            _queue.Enqueue(id);
        }
    }
}
