// AutoML's experiment shapes (Microsoft.ML.AutoML is not served), kept so that an adapter to it stays a small step.

using System.Runtime.ExceptionServices;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Diffusion.Experiments;

/// <summary>
/// Runs trials one after another: the tuner proposes a parameter, the trial runner trains and evaluates it, the monitor
/// hears about it, until the time limit, the trial limit or cancellation. <see cref="RunAsync"/> returns the trial of
/// lowest <see cref="TrialResult.Loss"/>.
/// </summary>
/// <remarks>
/// Deliberate difference from upstream: a trial that throws is reported to the monitor and to the tuner (with
/// <see cref="TrialResult.Loss"/> = <see cref="double.MaxValue"/>) and the experiment goes on even before any trial has
/// succeeded; upstream rethrows the first failure in that case. Two failures stop it, because every further trial would
/// repeat them: an error the trial runner marks as independent of the trial (the diffusion runner's unusable data or an
/// unknown search-space option) is rethrown at once, and <see cref="RepeatedFailures.Limit"/> (3) trials in a row failing
/// with the same exception type and message before any trial has completed end it with an <see cref="InvalidOperationException"/>
/// whose InnerException is the first of them. A runner or monitor passed as an instance belongs to the
/// caller (it is not disposed); one made by a factory is made and disposed per trial (runners) or per run (monitors, tuners).
/// </remarks>
public class AutoMLExperiment
{
    private readonly MLContext _context;
    private readonly AutoMLExperimentSettings _settings;
    private Func<IServiceProvider, ITuner>? _tuner;
    private Func<IServiceProvider, ITrialRunner>? _runnerFactory;
    private ITrialRunner? _runner;
    private Func<IServiceProvider, IMonitor>? _monitor;

    /// <summary>An experiment in <paramref name="context"/>; a null <see cref="AutoMLExperimentSettings.Seed"/> takes the context's seed.</summary>
    public AutoMLExperiment(MLContext context, AutoMLExperimentSettings settings)
    {
        _context = context ?? throw new ArgumentNullException(nameof(context));
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _settings.Seed ??= ((IHostEnvironment)context).GetSeed();
        _settings.SearchSpace ??= new SearchSpace();
    }

    internal ITrainValidateDatasetManager? DatasetManager { get; set; }

    internal AutoMLExperimentSettings Settings => _settings;

    /// <summary>Starts no new trial after this many seconds, and stops a running one (once some trial has completed).</summary>
    public AutoMLExperiment SetTrainingTimeInSeconds(uint trainingTimeInSeconds)
    {
        if (trainingTimeInSeconds == 0) throw new ArgumentOutOfRangeException(nameof(trainingTimeInSeconds), "The training time must be at least one second.");
        _settings.MaxExperimentTimeInSeconds = trainingTimeInSeconds;
        return this;
    }

    /// <summary>Runs at most this many trials.</summary>
    public AutoMLExperiment SetMaxModelToExplore(int maxModel)
    {
        if (maxModel <= 0) throw new ArgumentOutOfRangeException(nameof(maxModel), maxModel, "maxModel has to be greater than 0.");
        _settings.MaxModels = maxModel;
        return this;
    }

    /// <summary>Adds a search space under <paramref name="key"/> of the experiment's search space, which tuner factories read from the settings.</summary>
    public AutoMLExperiment AddSearchSpace(string key, SearchSpace searchSpace)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        _settings.SearchSpace[key] = searchSpace ?? throw new ArgumentNullException(nameof(searchSpace));
        return this;
    }

    /// <summary>Reports progress to <paramref name="monitor"/>.</summary>
    public AutoMLExperiment SetMonitor<TMonitor>(TMonitor monitor) where TMonitor : class, IMonitor
    {
        ArgumentNullException.ThrowIfNull(monitor);
        _monitor = _ => monitor;
        return this;
    }

    /// <summary>Reports progress to the monitor <paramref name="factory"/> makes when the run starts.</summary>
    public AutoMLExperiment SetMonitor<TMonitor>(Func<IServiceProvider, TMonitor> factory) where TMonitor : class, IMonitor
    {
        ArgumentNullException.ThrowIfNull(factory);
        _monitor = factory;
        return this;
    }

    /// <summary>Runs every trial with <paramref name="runner"/> (which the caller disposes).</summary>
    public AutoMLExperiment SetTrialRunner<TTrialRunner>(TTrialRunner runner) where TTrialRunner : class, ITrialRunner
    {
        _runner = runner ?? throw new ArgumentNullException(nameof(runner));
        _runnerFactory = null;
        return this;
    }

    /// <summary>Runs each trial with a new runner from <paramref name="factory"/>, disposed after the trial.</summary>
    public AutoMLExperiment SetTrialRunner<TTrialRunner>(Func<IServiceProvider, TTrialRunner> factory) where TTrialRunner : class, ITrialRunner
    {
        _runnerFactory = factory ?? throw new ArgumentNullException(nameof(factory));
        _runner = null;
        return this;
    }

    /// <summary>Proposes trials with <paramref name="proposer"/>.</summary>
    public AutoMLExperiment SetTuner<TTuner>(TTuner proposer) where TTuner : class, ITuner
    {
        ArgumentNullException.ThrowIfNull(proposer);
        _tuner = _ => proposer;
        return this;
    }

    /// <summary>Proposes trials with the tuner <paramref name="factory"/> makes when the run starts (it can read the seed and search space from the settings).</summary>
    public AutoMLExperiment SetTuner<TTuner>(Func<IServiceProvider, TTuner> factory) where TTuner : class, ITuner
    {
        _tuner = factory ?? throw new ArgumentNullException(nameof(factory));
        return this;
    }

    /// <summary>Runs the experiment and returns the best trial.</summary>
    public TrialResult Run() => RunAsync().GetAwaiter().GetResult();

    /// <summary>
    /// Runs trials until the time limit, the trial limit or <paramref name="ct"/>, and returns the trial of lowest loss.
    /// Cancellation stops the running trial once some trial has completed, and returns the best so far.
    /// </summary>
    /// <exception cref="InvalidOperationException">No tuner or no trial runner was set.</exception>
    /// <exception cref="TimeoutException">The experiment ended without a completed trial.</exception>
    /// <exception cref="InvalidOperationException">Trials failed in a way every further trial would repeat (see the remarks of the class).</exception>
    public async Task<TrialResult> RunAsync(CancellationToken ct = default)
    {
        if (_tuner is null) throw new InvalidOperationException("Set a tuner with SetTuner before running the experiment.");
        if (_runner is null && _runnerFactory is null) throw new InvalidOperationException("Set a trial runner with SetTrialRunner before running the experiment.");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct, _settings.CancellationToken);
        stop.CancelAfter(TimeSpan.FromSeconds(_settings.MaxExperimentTimeInSeconds));
        using var logger = ((IChannelProvider)_context).Start(nameof(AutoMLExperiment));
        var services = new ExperimentServices(_context, this, logger);
        var tuner = _tuner(services);
        var monitor = _monitor?.Invoke(services);

        TrialResult? best = null;
        Exception? lastFailure = null;
        int failures = 0;
        var repeated = new RepeatedFailures();
        bool anyCompleted = false;
        for (int trialId = 0; !stop.IsCancellationRequested && trialId < _settings.MaxModels; trialId++)
        {
            var settings = new TrialSettings { TrialId = trialId, StartedAtUtc = DateTime.UtcNow };
            settings.Parameter = tuner.Propose(settings);
            monitor?.ReportRunningTrial(settings);
            using var trialStop = new CancellationTokenSource();
            // Until a trial has completed there is nothing to return, so the first one may run past the limit.
            using var relay = stop.Token.Register(() => { if (best is not null) trialStop.Cancel(); });
            var runner = _runner ?? _runnerFactory!(services);
            try
            {
                var result = await runner.RunAsync(settings, trialStop.Token).ConfigureAwait(false);
                settings.EndedAtUtc = DateTime.UtcNow;
                result.TrialSettings = settings;
                monitor?.ReportCompletedTrial(result);
                tuner.Update(result);
                repeated.Complete();
                anyCompleted = true;
                if (result.Loss < (best?.Loss ?? double.MaxValue))
                {
                    best = result;
                    monitor?.ReportBestTrial(result);
                }
            }
            catch (OperationCanceledException e) when (stop.IsCancellationRequested)
            {
                settings.EndedAtUtc = DateTime.UtcNow;
                monitor?.ReportFailTrial(settings, e);
                break;
            }
            catch (Exception e)
            {
                settings.EndedAtUtc = DateTime.UtcNow;
                failures++;
                lastFailure = e;
                logger.Trace($"trial {trialId} failed: {e.Message}");
                monitor?.ReportFailTrial(settings, e);
                tuner.Update(new TrialResult { TrialSettings = settings, Loss = double.MaxValue, Metric = double.NaN });
                if (ExperimentFailure.FailsEveryTrial(e))
                {
                    logger.Warning($"Trial {trialId} failed with an error every trial would repeat; the experiment stops: {e.Message}");
                    ExceptionDispatchInfo.Throw(e);
                }
                if (repeated.Fail(e, anyCompleted) is Exception stopping)
                {
                    logger.Warning(stopping.Message);
                    throw stopping;
                }
            }
            finally
            {
                if (_runner is null) runner.Dispose();
            }
        }
        return best ?? throw new TimeoutException(
            "Training time finished without completing a trial run" + (failures > 0 ? $"; {failures} trial(s) failed, the last with: {lastFailure!.Message}" : "."),
            lastFailure);
    }

    /// <summary>Settings of an <see cref="AutoMLExperiment"/>.</summary>
    public class AutoMLExperimentSettings : ExperimentSettings
    {
        /// <summary>The seed tuners use; null takes the context's seed.</summary>
        public int? Seed { get; set; }

        /// <summary>The search space tuner factories read.</summary>
        public SearchSpace SearchSpace { get; set; } = new();
    }
}
