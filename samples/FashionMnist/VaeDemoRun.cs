using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Diffusion;
using Microsoft.ML.Diffusion.Evaluation;
using Microsoft.ML.Runtime;

namespace FashionMnistDemo;

/// <summary>
/// <c>--vae</c>: the simpler generator beside the diffusion model, through the same API. Trains a VAE for the same budget,
/// saves it, writes a grid of decoded prior samples and one of test images over their reconstructions, and measures the
/// Fréchet distance, the bound in bits/dim and the sampling time, as the diffusion demo does (docs/quality.md compares them).
/// </summary>
internal sealed class VaeDemoRun
{
    private readonly DemoSettings _settings;
    private readonly Display _display;
    private readonly MLContext _ml;
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public VaeDemoRun(DemoSettings settings)
    {
        _settings = settings;
        _display = Display.Create(settings.Plain);
        _ml = _display.Context(settings.Seed);
    }

    public int Run()
    {
        try
        {
            var s = _settings;
            Directory.CreateDirectory(s.Output);
            IDataView data = FashionMnist.Load(_ml, FashionMnistSplit.Train, s.DataDirectory);
            if (s.Limit is int limit) data = _ml.Data.TakeRows(data, limit);
            var options = new VariationalAutoencoderEstimator.Options
            {
                InputColumnName = "Image",
                SeedColumnName = SeedRow.ColumnName,
                LatentColumnName = "Latent",
                ReconstructionColumnName = "Reconstruction",
                TrainingTime = TimeSpan.FromMinutes(s.Minutes),
                MaxSteps = s.MaxSteps,
                MaxEpochs = null,
                Seed = s.Seed,
                Progress = _display,
                LogEveryNSteps = _display.WantsStepLog ? 50 : 500,
            };
            if (s.BatchSize is int batch) options.BatchSize = batch;
            if (s.LearningRate is double lr) options.LearningRate = lr;
            if (s.BaseChannels is int channels) options.BaseChannels = channels;
            _display.Line($"Fashion-MNIST VAE: {options.LatentDimensions}-dimensional latent, {options.Decoder} decoder, base channels {options.BaseChannels} × " +
                          $"[{string.Join(", ", options.ChannelMultipliers)}], batch {options.BatchSize}, lr {options.LearningRate:G3}, up to {s.Minutes:0.##} min.");
            var trainClock = Stopwatch.StartNew();
            using var model = _display.Train(() => _ml.Transforms.VariationalAutoencoder(options).Fit(data));
            trainClock.Stop();
            double images = model.TrainedSteps * (double)options.BatchSize;
            _display.Line($"Trained {model.TrainedSteps:N0} steps in {Display.Time(trainClock.Elapsed)} ({images / trainClock.Elapsed.TotalSeconds:F0} images/s); " +
                          $"last objective {model.LossHistory.Skip(Math.Max(0, model.LossHistory.Count - 100)).Average():F4} bits/dim (mean of the last 100 steps).");
            _ml.Model.Save(model, data.Schema, s.VaeModelPath);
            _display.Line($"Model:   {Path.GetFullPath(s.VaeModelPath)}");

            WriteSamples(model);
            var testSplit = FashionMnist.Load(_ml, FashionMnistSplit.Test, s.DataDirectory);
            WriteReconstructions(model, testSplit);
            if (s.FdSamples > 0)
            {
                var clock = Stopwatch.StartNew();
                var seeds = _ml.Data.LoadFromEnumerable(Enumerable.Range(0, s.FdSamples).Select(i => new SeedRow { Seed = 1_000_000 + s.Seed * 10_000 + i }).ToList());
                var quality = _ml.Diffusion().Evaluate(model.Transform(seeds), testSplit, generatedColumnName: model.OutputColumnName, referenceColumnName: "Image");
                _display.Line($"Fréchet distance vs the Fashion-MNIST test split: {quality.FrechetDistance:F2} ({quality.SampleCount} samples; classifier score {quality.ClassifierScore:F2}; {Display.Time(clock.Elapsed)}).");
            }
            if (s.BpdImages > 0)
            {
                var clock = Stopwatch.StartNew();
                var bound = _ml.Diffusion().EvaluateLikelihood(model, testSplit, new VaeLikelihoodOptions { MaxImages = s.BpdImages, Seed = s.Seed });
                var tighter = _ml.Diffusion().EvaluateLikelihood(model, testSplit, new VaeLikelihoodOptions { MaxImages = s.BpdImages, Seed = s.Seed, Samples = 100 });
                _display.Line($"−ELBO on the test split: {bound.ElboBitsPerDim:F3} ± {bound.StandardError:F3} bits/dim (reconstruction {bound.ReconstructionBitsPerDim:F3}, " +
                              $"KL {bound.KlBitsPerDim:F3}); importance-weighted with K = 100: {tighter.BitsPerDim:F3} ± {tighter.StandardError:F3}; {bound.ImageCount} images, {Display.Time(clock.Elapsed)}.");
            }
            _display.Line($"Done in {Display.Time(_clock.Elapsed)}.");
            return 0;
        }
        catch (Exception e) when (Display.IsUsersError(e))
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
    }

    private void WriteSamples(VariationalAutoencoderTransformer model)
    {
        var s = _settings;
        var seeds = _ml.Data.LoadFromEnumerable(Enumerable.Range(0, s.Samples).Select(i => new SeedRow { Seed = s.Seed * 1000 + i }).ToList());
        var clock = Stopwatch.StartNew();
        var images = Read(model.Transform(seeds), model.OutputColumnName);
        clock.Stop();
        _display.Line($"Sampled {images.Count} images in {clock.Elapsed.TotalMilliseconds:F0} ms ({clock.Elapsed.TotalMilliseconds / images.Count:F2} ms per image, one decoder call each).");
        using (var grid = ImageGrid.Create(images, columns: 8, padding: 2)) grid.Save(s.VaeGridPath);
        foreach (var image in images) image.Dispose();
        _display.Line($"Samples: {Path.GetFullPath(s.VaeGridPath)}");
    }

    // Rows of 8 test images, each followed by a row of their reconstructions from the posterior mean.
    private void WriteReconstructions(VariationalAutoencoderTransformer model, IDataView testSplit)
    {
        var s = _settings;
        var transformed = model.Transform(_ml.Data.TakeRows(testSplit, 32));
        var originals = Read(transformed, "Image");
        var reconstructions = Read(transformed, "Reconstruction");
        var ordered = Enumerable.Range(0, 4).SelectMany(r => originals.Skip(8 * r).Take(8).Concat(reconstructions.Skip(8 * r).Take(8))).ToList();
        using (var grid = ImageGrid.Create(ordered, columns: 8, padding: 2)) grid.Save(s.VaeReconstructionPath);
        foreach (var image in originals.Concat(reconstructions)) image.Dispose();
        _display.Line($"Reconstructions: {Path.GetFullPath(s.VaeReconstructionPath)} (rows of test images, each over its reconstruction)");
    }

    private static List<MLImage> Read(IDataView view, string columnName)
    {
        var column = view.Schema[columnName];
        var list = new List<MLImage>();
        using var cursor = view.GetRowCursor([column]);
        var get = cursor.GetGetter<MLImage>(column);
        while (cursor.MoveNext())
        {
            MLImage image = null!;
            get(ref image);
            list.Add(image);
        }
        return list;
    }
}
