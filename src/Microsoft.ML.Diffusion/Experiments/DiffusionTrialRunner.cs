using System.Diagnostics;
using Microsoft.ML.Runtime;
using Microsoft.ML.SearchSpace;

namespace Microsoft.ML.Diffusion.Experiments;

/// <summary>
/// Trains a <see cref="DiffusionEstimator"/> with a trial's options and budget, then scores it on the validation data.
/// A configuration promoted to a later rung resumes from the checkpoint its previous rung left (exactly: the learning rate
/// and EMA depend on the step, not on the budget), so a rung costs only the budget it adds.
/// </summary>
/// <remarks>
/// Every trial trains with the same seed (common random numbers: the same initial weights and data order wherever the
/// options allow), so configurations differ by their options rather than by luck. Only the model of the best trial so far
/// is kept; the others are disposed as soon as they are scored, to bound memory. A trial whose cancellation token fires
/// stops training and throws <see cref="OperationCanceledException"/>.
/// </remarks>
public sealed class DiffusionTrialRunner : ITrialRunner
{
    private readonly MLContext _context;
    private readonly IDataView _train;
    private readonly IDataView _validation;
    private readonly DiffusionExperimentOptions _options;
    private readonly int _seed;
    private readonly string _workingFolder;
    private readonly bool _ownsFolder;
    private readonly Dictionary<int, double> _trainingSeconds = new();
    private ValidationLoss? _validationLoss;
    private Evaluation.FeatureStatistics? _reference;
    private DiffusionSamplerTransformer? _best;
    private double _bestLoss = double.MaxValue;

    /// <summary>A runner over <paramref name="train"/> and <paramref name="validation"/>.</summary>
    /// <param name="context">Trials train in this context and log to it.</param>
    /// <param name="train">Training images (the column of BaseOptions.InputColumnName).</param>
    /// <param name="validation">Validation images in the same column.</param>
    /// <param name="options">Base options, metric and budget unit; null for defaults.</param>
    /// <exception cref="ArgumentException">A view has no usable image column, or no rows.</exception>
    public DiffusionTrialRunner(MLContext context, IDataView train, IDataView validation, DiffusionExperimentOptions? options = null)
    {
        _context = context ?? throw new ArgumentNullException(nameof(context));
        _train = train ?? throw new ArgumentNullException(nameof(train));
        _validation = validation ?? throw new ArgumentNullException(nameof(validation));
        _options = options ?? new DiffusionExperimentOptions();
        if (_options.ValidationImages < 1) throw new ArgumentOutOfRangeException(nameof(options), _options.ValidationImages, "ValidationImages must be positive.");
        ExperimentData.Require(train, nameof(train), "training", _options.BaseOptions.InputColumnName);
        ExperimentData.Require(validation, nameof(validation), "validation", _options.BaseOptions.InputColumnName);
        _seed = _options.Seed ?? ((IHostEnvironment)context).GetSeed() ?? 1;
        _ownsFolder = _options.WorkingFolder is null;
        _workingFolder = _options.WorkingFolder ?? Path.Combine(Path.GetTempPath(), $"diffusion-experiment-{Guid.NewGuid():N}");
    }

    /// <summary>The model of the lowest-loss trial so far, or null; it belongs to the runner until <see cref="DetachBestModel"/>.</summary>
    public DiffusionSamplerTransformer? BestModel => _best;

    /// <summary>Hands the best model to the caller (who then disposes it) and forgets it.</summary>
    public DiffusionSamplerTransformer? DetachBestModel()
    {
        var best = _best;
        _best = null;
        return best;
    }

    /// <inheritdoc/>
    public Task<TrialResult> RunAsync(TrialSettings settings, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var parameter = settings.Parameter;
        PrepareScoring();
        int configuration = parameter.ContainsKey(SuccessiveHalvingTuner.ConfigurationKey) ? parameter[SuccessiveHalvingTuner.ConfigurationKey].AsType<int>() : settings.TrialId;
        var options = TrialOptions.Create(_options.BaseOptions, parameter);
        ApplyBudget(options, parameter);
        options.Seed = _options.BaseOptions.Seed ?? _seed;
        options.CancellationToken = ct;
        options.CheckpointFolder = Path.Combine(_workingFolder, $"configuration-{configuration}");
        options.CheckpointsToKeep = 1;
        options.ResumeFromLatest = true;
        options.ResumeFrom = null;

        var clock = Stopwatch.StartNew();
        var model = _context.Transforms.Diffusion(options).Fit(_train);
        double seconds = _trainingSeconds[configuration] = _trainingSeconds.GetValueOrDefault(configuration) + clock.Elapsed.TotalSeconds;
        try
        {
            if (ct.IsCancellationRequested)
                throw new OperationCanceledException($"Trial {settings.TrialId} was stopped at step {model.TrainedSteps}, before its budget.", ct);
            double metric = Score(model);
            if (!double.IsFinite(metric))
                throw new InvalidOperationException($"Trial {settings.TrialId} scored {metric} on the validation data; its weights are not usable.");
            var result = new DiffusionTrialResult
            {
                TrialSettings = settings,
                Loss = metric,
                Metric = metric,
                DurationInMilliseconds = clock.Elapsed.TotalMilliseconds,
                Options = options,
                TrainedSteps = model.TrainedSteps,
                TrainingSeconds = seconds,
            };
            if (metric < _bestLoss)
            {
                _best?.Dispose();
                (_best, _bestLoss, result.Model) = (model, metric, model);
                model = null;
            }
            return Task.FromResult<TrialResult>(result);
        }
        finally
        {
            model?.Dispose();
        }
    }

    /// <summary>Deletes the resume checkpoints (when the runner made their folder) and the best model it still holds.</summary>
    public void Dispose()
    {
        _best?.Dispose();
        _best = null;
        if (_ownsFolder && Directory.Exists(_workingFolder)) Directory.Delete(_workingFolder, recursive: true);
    }

    private void ApplyBudget(DiffusionEstimator.Options options, Parameter parameter)
    {
        if (!parameter.ContainsKey(SuccessiveHalvingTuner.BudgetKey)) return;   // a tuner without budgets: the base stopping limits stand
        double budget = parameter[SuccessiveHalvingTuner.BudgetKey].AsType<double>();
        options.MaxEpochs = null;
        if (_options.BudgetUnit == TrialBudgetUnit.Steps)
        {
            options.MaxSteps = Math.Max(1, (int)Math.Round(budget));
            options.TrainingTime = null;
        }
        else
        {
            options.TrainingTime = TimeSpan.FromSeconds(budget);
            options.MaxSteps = null;
        }
    }

    // The validation data is read before the first trial trains: a problem in it would otherwise surface only after
    // training, and again in every trial.
    private void PrepareScoring()
    {
        if (_validationLoss is not null || _reference is not null) return;
        try
        {
            if (_options.Metric == DiffusionTrialMetric.FrechetDistance)
                _reference = _context.Diffusion().ComputeReferenceStatistics(_validation, _options.BaseOptions.InputColumnName);
            else
                _validationLoss = CreateValidationLoss();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or InvalidDataException or FormatException or IOException)
        {
            throw ExperimentFailure.EveryTrial(new InvalidDataException($"The validation data cannot be scored, so no trial can be: {e.Message}", e));
        }
    }

    private double Score(DiffusionSamplerTransformer model)
    {
        if (_options.Metric == DiffusionTrialMetric.FrechetDistance)
        {
            var generated = model.Transform(_context.Data.TakeRows(_validation, _options.FrechetSamples));
            return _context.Diffusion().Evaluate(generated, _reference!, model.OutputColumnName).FrechetDistance;
        }
        return _validationLoss!.Evaluate(model);
    }

    // The reference noise levels come from the base options' schedule, so that every trial faces the same ones.
    private ValidationLoss CreateValidationLoss()
    {
        var o = _options.BaseOptions;
        var images = TrainingImageReader.Read(_context.Data.TakeRows(_validation, _options.ValidationImages), o);
        using var reference = NoiseSchedule.Create(o.Schedule, o.Timesteps, o.BetaStart, o.BetaEnd);
        return new ValidationLoss(images.Pixels, [images.Count, images.Channels, images.Height, images.Width], reference, _seed);
    }
}
