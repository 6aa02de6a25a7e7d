using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Diffusion;
using Microsoft.ML.Diffusion.Evaluation;
using Microsoft.ML.Runtime;
using Microsoft.ML.Transforms.Image;

namespace FashionMnistDemo;

/// <summary>Train (or load), save, sample and draw, through the public ML.NET API as a user would.</summary>
internal sealed class DemoRun
{
    private readonly DemoSettings _settings;
    private readonly Display _display;
    private readonly MLContext _ml;
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    private const int FashionMnistTrainRows = 60_000;

    public DemoRun(DemoSettings settings)
    {
        _settings = settings;
        _display = Display.Create(settings.Plain);
        _ml = _display.Context(settings.Seed);
    }

    public int Run()
    {
        try
        {
            Directory.CreateDirectory(_settings.Output);
            using var model = _settings.SampleOnly is string path ? Load(path) : Train();
            if (model is null) return 1;
            WriteSamples(model);
            WriteLossCurve(model);
            MeasureQuality(model);
            MeasureLikelihood(model);
            _display.Line($"Done in {Display.Time(_clock.Elapsed)}.");
            return 0;
        }
        catch (Exception e) when (Display.IsUsersError(e))
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
    }

    private DiffusionSamplerTransformer? Train()
    {
        var s = _settings;
        IDataView data = FashionMnist.Load(_ml, FashionMnistSplit.Train, s.DataDirectory);
        if (s.Limit is int limit) data = _ml.Data.TakeRows(data, limit);
        if (s.Conditional) data = WithClassNames(data);
        var options = s.CreateOptions();
        options.Progress = _display;
        options.LogEveryNSteps = _display.WantsStepLog ? 50 : 0;

        _display.Line($"Fashion-MNIST: training on {(s.Limit is int l ? $"the first {l:N0} of " : string.Empty)}{FashionMnistTrainRows:N0} images for up to {s.Minutes:0.##} min" +
                      (s.MaxSteps is int m ? $" or {m:N0} steps" : string.Empty) + ", Ctrl+C to stop early.");
        if (s.Conditional) _display.Line($"Class-conditional on the {FashionMnist.ClassNames.Count} labels ({options.ConditionDropout:P0} of them dropped, for classifier-free guidance).");
        _display.Line($"Configuration '{s.Preset}': base channels {options.BaseChannels} × [{string.Join(", ", options.ChannelMultipliers)}], " +
                      $"{options.ResBlocksPerLevel} res block(s)/level, attention at [{string.Join(", ", options.AttentionResolutions)}], " +
                      $"batch {options.BatchSize}, lr {options.LearningRate:G3}, EMA {options.EmaDecay}, {Environment.ProcessorCount} CPU core(s).");

        using var stop = new CancellationTokenSource();
        options.CancellationToken = stop.Token;
        bool training = true;
        ConsoleCancelEventHandler onCtrlC = (_, e) =>
        {
            // The first Ctrl+C during training ends it cleanly so the model is still saved and sampled;
            // any other Ctrl+C keeps its usual meaning.
            if (!training || stop.IsCancellationRequested) return;
            e.Cancel = true;
            stop.Cancel();
            _display.Stopping();
        };
        Console.CancelKeyPress += onCtrlC;
        DiffusionSamplerTransformer model;
        var trainClock = Stopwatch.StartNew();
        try
        {
            model = _display.Train(() => _ml.Transforms.Diffusion(options).Fit(data));
        }
        finally
        {
            training = false;
        }
        trainClock.Stop();

        if (model.TrainedSteps == 0)
        {
            model.Dispose();
            Console.Error.WriteLine("error: training stopped before the first step; there is no model to save or sample.");
            return null;
        }
        ReportTraining(model, options, trainClock.Elapsed, stop.IsCancellationRequested);

        _ml.Model.Save(model, data.Schema, s.ModelPath);
        _display.Line($"Model:   {Path.GetFullPath(s.ModelPath)}");
        return model;
    }

    // FashionMnist.Load gives UInt32 labels 0…9. Mapped to text and then to keys in the dataset's order, the label
    // column's KeyValues are the class names, which the model saves (ClassNames) and requests may use.
    private IDataView WithClassNames(IDataView data)
    {
        var names = FashionMnist.ClassNames;
        var keyOrder = _ml.Data.LoadFromEnumerable(names.Select(n => new ClassName { Name = n }).ToList());
        var pipeline = _ml.Transforms.Conversion.MapValue("ClassName", names.Select((n, i) => new KeyValuePair<uint, string>((uint)i, n)), "Label")
            .Append(_ml.Transforms.Conversion.MapValueToKey(DemoSettings.ClassColumn, "ClassName", keyData: keyOrder));
        return pipeline.Fit(data).Transform(data);
    }

    private sealed class ClassName
    {
        public string Name { get; set; } = "";
    }

    private void ReportTraining(DiffusionSamplerTransformer model, DiffusionEstimator.Options options, TimeSpan elapsed, bool cancelled)
    {
        var last = _display.Last;
        double loss = last?.SmoothedLoss ?? LossCurve.Smooth(model.LossHistory)[^1];
        // The trainer's smoothed loss (factor 0.98) lags far behind in runs of a few hundred steps, so also show
        // the recent raw loss over the window the loss curve smooths with.
        var history = model.LossHistory;
        int window = (int)Math.Round(1 / (1 - LossCurve.SmoothingFor(history.Count)));
        double recent = history.Skip(history.Count - window).Average();
        // Partial batches only occur at epoch ends (or with --limit below the batch size), so this is close.
        int rows = _settings.Limit is int limit ? Math.Min(limit, FashionMnistTrainRows) : FashionMnistTrainRows;
        double images = model.TrainedSteps * (double)Math.Min(options.BatchSize, rows);
        _display.Line($"Trained {model.TrainedSteps:N0} steps ({images / rows:F2} epochs) in {Display.Time(elapsed)}" +
                      $"{(cancelled ? ", stopped by Ctrl+C" : string.Empty)}: loss {recent:F4} ({(window == 1 ? "the last step" : $"mean of the last {window} steps")}; smoothed {loss:F4}), " +
                      $"{images / elapsed.TotalSeconds:F1} images/s on average.");
    }

    private DiffusionSamplerTransformer Load(string path)
    {
        if (Directory.Exists(path)) throw new FileNotFoundException($"--sample-only: '{path}' is a folder; pass the model file (such as {Path.Combine(path, "model.zip")}).", path);
        if (!File.Exists(path)) throw new FileNotFoundException($"--sample-only: the model file '{path}' does not exist.", path);
        // The diffusion loader registers itself in Microsoft.ML.Diffusion's module initializer, which only runs
        // once code of that assembly runs; a process that only loads a model must run it first.
        RuntimeHelpers.RunModuleConstructor(typeof(DiffusionSamplerTransformer).Module.ModuleHandle);
        var transformer = _ml.Model.Load(path, out _);
        if (transformer is not DiffusionSamplerTransformer model)
        {
            (transformer as IDisposable)?.Dispose();
            throw new InvalidDataException($"--sample-only: '{path}' holds a {transformer.GetType().Name}, not a diffusion model (DiffusionSamplerTransformer).");
        }
        var a = model.Architecture;
        _display.Line($"Loaded {path}: {a.ImageChannels}×{a.ImageHeight}×{a.ImageWidth} images, base channels {a.BaseChannels}, trained {model.TrainedSteps:N0} steps.");
        return model;
    }

    private void WriteSamples(DiffusionSamplerTransformer model)
    {
        var s = _settings;
        bool conditional = model.ClassCount > 0;
        model.SamplerOptions = s.SamplerOptions(model.SamplerOptions, conditional);
        MLImage grid;
        if (conditional)
        {
            // One row per class; image (c, j) comes from seed 1000·seed + 8c + j, so reruns reproduce it.
            var names = ClassNames(model);
            var requests = Enumerable.Range(0, model.ClassCount * GridColumns)
                .Select(i => new ClassSeedRow { Seed = s.Seed * 1000 + i, Class = i / GridColumns }).ToList();
            var images = Generate(model, _ml.Data.LoadFromEnumerable(requests), requests.Count, $"{GridColumns} images of each of the {model.ClassCount} classes");
            grid = ImageGrid.CreateLabeled(images, names, columns: GridColumns, padding: 2);
            foreach (var image in images) image.Dispose();
        }
        else
        {
            // One row per image to generate; the model's seed column makes image i depend only on its seed.
            var seeds = _ml.Data.LoadFromEnumerable(Enumerable.Range(0, s.Samples).Select(i => new SeedRow { Seed = s.Seed * 1000 + i }).ToList());
            var images = Generate(model, seeds, s.Samples, $"{s.Samples} images");
            grid = ImageGrid.Create(images, columns: GridColumns, padding: 2);
        }
        using (grid) grid.Save(s.GridPath);
        _display.Line($"Samples: {Path.GetFullPath(s.GridPath)}");
    }

    private const int GridColumns = 8;

    private List<MLImage> Generate(DiffusionSamplerTransformer model, IDataView requests, int count, string what)
    {
        var generated = model.Transform(requests);
        var clock = Stopwatch.StartNew();
        var images = _display.Sample(count, $"Sampling {what} with {_settings.SamplerName(model.ClassCount > 0)} (EMA weights)", done =>
        {
            var column = generated.Schema[model.OutputColumnName];
            var list = new List<MLImage>();
            using var cursor = generated.GetRowCursor([column]);
            var getImage = cursor.GetGetter<MLImage>(column);
            while (cursor.MoveNext())
            {
                MLImage image = null!;
                getImage(ref image);
                list.Add(image);
                done(list.Count);
            }
            return list;
        });
        _display.Line($"Sampled {images.Count} images in {Display.Time(clock.Elapsed)} ({images.Count / clock.Elapsed.TotalSeconds:F2} images/s).");
        return images;
    }

    private static IReadOnlyList<string> ClassNames(DiffusionSamplerTransformer model) =>
        model.ClassNames ?? Enumerable.Range(0, model.ClassCount).Select(c => $"class {c}").ToList();

    // The Fréchet distance needs about a thousand samples to mean something (docs/quality.md has the scale),
    // far more than the grid shows, so it gets its own seeds and its own pass.
    private void MeasureQuality(DiffusionSamplerTransformer model)
    {
        var s = _settings;
        if (s.FdSamples == 0) return;
        bool conditional = model.ClassCount > 0;
        _display.Line($"Measuring quality: sampling {s.FdSamples} images with {s.SamplerName(conditional)}" +
                      (conditional ? $", classes in turn ({s.FdSamples / model.ClassCount} or more each)," : string.Empty) + " and comparing them with the test split...");
        var clock = Stopwatch.StartNew();
        var testSplit = FashionMnist.Load(_ml, FashionMnistSplit.Test, s.DataDirectory);
        int Seed(int i) => 1_000_000 + s.Seed * 10_000 + i;
        if (!conditional)
        {
            var seeds = _ml.Data.LoadFromEnumerable(Enumerable.Range(0, s.FdSamples).Select(i => new SeedRow { Seed = Seed(i) }).ToList());
            Report(_ml.Diffusion().Evaluate(model.Transform(seeds), testSplit, generatedColumnName: model.OutputColumnName, referenceColumnName: "Image"), clock);
            return;
        }
        var requests = Enumerable.Range(0, s.FdSamples).Select(i => new ClassSeedRow { Seed = Seed(i), Class = i % model.ClassCount }).ToList();
        var images = Generate(model, _ml.Data.LoadFromEnumerable(requests), requests.Count, $"{requests.Count} images");
        try
        {
            var view = _ml.Data.LoadFromEnumerable(images.Select(image => new GeneratedRow { Image = image }).ToList());
            Report(_ml.Diffusion().Evaluate(view, testSplit, generatedColumnName: nameof(GeneratedRow.Image), referenceColumnName: "Image"), clock);
            ReportClassAccuracy(model, images, requests.Select(r => r.Class).ToArray());
        }
        finally
        {
            foreach (var image in images) image.Dispose();
        }
    }

    private void Report(DiffusionMetrics quality, Stopwatch clock)
    {
        _display.Line($"Fréchet distance vs the Fashion-MNIST test split: {quality.FrechetDistance:F2} ({quality.SampleCount} samples vs {quality.ReferenceCount:N0} test images; " +
                      $"classifier score {quality.ClassifierScore:F2}; {Display.Time(clock.Elapsed)}). Scale: docs/quality.md.");
        foreach (var warning in quality.Warnings) _display.Line($"  warning: {warning}");
    }

    // Whether a sample of class c looks like class c to the bundled Fashion-MNIST classifier (90.7 % accurate on the
    // real test images): how well the model follows its label, the thing guidance trades diversity for.
    private void ReportClassAccuracy(DiffusionSamplerTransformer model, List<MLImage> images, int[] classes)
    {
        if (model.ClassNames is not { } names || !names.SequenceEqual(FashionMnist.ClassNames))
        {
            _display.Line("Class accuracy: skipped (the model's classes are not Fashion-MNIST's, which the bundled classifier knows).");
            return;
        }
        using var classifier = FashionMnistFeatureExtractor.LoadBundled();
        var predicted = ClassAccuracy.Predict(classifier, images);
        var (overall, perClass) = ClassAccuracy.Score(predicted, classes, names.Count);
        _display.Line($"Class accuracy (bundled classifier): {overall:P1} of {classes.Length} samples are classified as their class; " +
                      string.Join(", ", names.Select((n, c) => $"{n} {perClass[c]:P0}")) + ".");
    }

    // The DDPM paper's other measure: the variational bound on held-out images, with 50 sampled timesteps per image.
    private void MeasureLikelihood(DiffusionSamplerTransformer model)
    {
        var s = _settings;
        if (s.BpdImages == 0) return;
        _display.Line($"Measuring likelihood: the variational bound on {s.BpdImages} test images...");
        var clock = Stopwatch.StartNew();
        var testSplit = FashionMnist.Load(_ml, FashionMnistSplit.Test, s.DataDirectory);
        var bound = _ml.Diffusion().EvaluateLikelihood(model, testSplit, new DiffusionLikelihoodOptions { MaxImages = s.BpdImages, TimestepSamples = s.BpdTimesteps == 0 ? null : s.BpdTimesteps, Seed = s.Seed });
        _display.Line($"Variational bound on the test split: {bound.BitsPerDim:F3} ± {bound.StandardError:F3} bits/dim " +
                      $"(L_T {bound.PriorBitsPerDim:F4}, Σ L_t-1 {bound.DiffusionBitsPerDim:F3}, L_0 {bound.DecoderBitsPerDim:F3}; {bound.ImageCount} images, " +
                      $"{(bound.IsExactSum ? "every timestep" : $"{bound.TimestepsPerImage} sampled timesteps each")}; {Display.Time(clock.Elapsed)}). A uniform 8-bit model: 8. Scale: docs/quality.md.");
        foreach (var warning in bound.Warnings) _display.Line($"  warning: {warning}");
    }

    private void WriteLossCurve(DiffusionSamplerTransformer model)
    {
        if (model.LossHistory.Count == 0)
        {
            _display.Line("No loss history in the model; loss.svg not written.");
            return;
        }
        LossCurve.WriteSvg(model.LossHistory, _settings.LossPath,
            title: $"Fashion-MNIST DDPM training loss ({model.TrainedSteps:N0} steps)");
        _display.Line($"Loss:    {Path.GetFullPath(_settings.LossPath)}");
    }
}

/// <summary>A generated image, to hand a list of them to Evaluate as a view.</summary>
internal sealed class GeneratedRow
{
    [ImageType(FashionMnist.ImageSize, FashionMnist.ImageSize)]
    public MLImage Image { get; set; } = null!;
}
