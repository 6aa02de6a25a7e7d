using System.Globalization;
using System.Reflection;
using System.Text;
using Microsoft.ML.Diffusion.Evaluation;

namespace Microsoft.ML.Diffusion.Tests;

/// <summary>
/// Options a user can get wrong, each refused before training starts with a message that names the option, the
/// value given and what is accepted; and the limits of training agree with the limits of loading.
/// </summary>
[TestClass]
public class OptionValidationTests
{
    private static ArgumentException Refused(Action<DiffusionEstimator.Options> change, string option)
    {
        var options = TinyData.Options(steps: 2);
        change(options);
        var e = Assert.Throws<ArgumentException>(() => new MLContext(1).Transforms.Diffusion(options));
        Assert.AreEqual(option, e.ParamName, e.Message);
        StringAssert.Contains(e.Message, $"'{option}'");
        return e;
    }

    // Refusals that need the image size happen in Fit, still before the first training step.
    private static ArgumentException RefusedByFit(Action<DiffusionEstimator.Options> change, string option)
    {
        var ml = new MLContext(1);
        var options = TinyData.Options(steps: 2);
        change(options);
        int steps = 0;
        options.Progress = new Progress(() => steps++);
        var estimator = ml.Transforms.Diffusion(options);
        var e = Assert.Throws<ArgumentException>(() => estimator.Fit(ml.Data.LoadFromEnumerable(TinyData.Rows(4).ToList())));
        Assert.AreEqual(option, e.ParamName, e.Message);
        StringAssert.Contains(e.Message, $"'{option}'");
        Assert.AreEqual(0, steps, "training started before the option was refused");
        return e;
    }

    private sealed class Progress(Action report) : IProgress<DiffusionTrainingProgress>
    {
        public void Report(DiffusionTrainingProgress value) => report();
    }

    private static readonly (string Option, Action<DiffusionEstimator.Options, double> Set)[] s_floatingOptions =
    [
        ("LearningRate", (o, v) => o.LearningRate = v),
        ("WeightDecay", (o, v) => o.WeightDecay = v),
        ("GradientClipNorm", (o, v) => o.GradientClipNorm = v),
        ("EmaDecay", (o, v) => o.EmaDecay = v),
        ("Dropout", (o, v) => o.Dropout = v),
        ("BetaStart", (o, v) => o.BetaStart = v),
        ("BetaEnd", (o, v) => o.BetaEnd = v),
        ("MinSnrGamma", (o, v) => o.MinSnrGamma = v),
        ("InputScale", (o, v) => o.InputScale = (float)v),
        ("InputOffset", (o, v) => o.InputOffset = (float)v),
        ("CheckpointEveryMinutes", (o, v) => { o.CheckpointFolder = "unused"; o.CheckpointEveryMinutes = v; }),
    ];

    [TestMethod]
    public void EveryFloatingOptionRefusesNaNAndInfinity()
    {
        foreach (var (option, set) in s_floatingOptions)
            foreach (double bad in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity })
            {
                var e = Refused(o => set(o, bad), option);
                StringAssert.Contains(e.Message, $"'{option}' is {bad.ToString(CultureInfo.InvariantCulture)};", option);
                StringAssert.Contains(e.Message, "a finite number", option);
            }
    }

    [TestMethod]
    public void RangeChecksNameTheOptionTheValueAndTheRange()
    {
        StringAssert.Contains(Refused(o => o.LearningRate = 0, "LearningRate").Message, "Option 'LearningRate' is 0; it must be a finite number > 0.");
        StringAssert.Contains(Refused(o => o.EmaDecay = 1, "EmaDecay").Message, "[0, 1)");
        StringAssert.Contains(Refused(o => o.Dropout = -0.1, "Dropout").Message, "[0, 1)");
        StringAssert.Contains(Refused(o => o.WeightDecay = -1, "WeightDecay").Message, "≥ 0");
        StringAssert.Contains(Refused(o => o.BetaEnd = 1, "BetaEnd").Message, "'BetaEnd' is 1;");
        StringAssert.Contains(Refused(o => o.BetaStart = 0.5, "BetaStart").Message, "BetaEnd");
        StringAssert.Contains(Refused(o => o.ImageChannels = 2, "ImageChannels").Message, "1 (gray) or 3 (RGB)");
        StringAssert.Contains(Refused(o => o.ImageHeight = 0, "ImageHeight").Message, "'ImageHeight' is 0;");
        StringAssert.Contains(Refused(o => o.LogEveryNSteps = -1, "LogEveryNSteps").Message, "'LogEveryNSteps' is -1;");
        StringAssert.Contains(Refused(o => o.PredictionTarget = (PredictionTarget)7, "PredictionTarget").Message, "Epsilon, Sample or Velocity");
        Refused(o => o.LossWeighting = (LossWeighting)7, "LossWeighting");
        Refused(o => o.Optimizer = (DiffusionOptimizer)7, "Optimizer");
        Refused(o => o.TrainingPrecision = (TrainingPrecision)7, "TrainingPrecision");
        Refused(o => o.Schedule = (NoiseScheduleKind)7, "Schedule");
    }

    [TestMethod]
    public void FitRefusesWhatTheModelLoaderRefuses()
    {
        // Each of these once trained to the end and wrote a model zip that mlContext.Model.Load refused.
        StringAssert.Contains(Refused(o => o.Timesteps = 100_001, "Timesteps").Message, "'Timesteps' is 100001;");
        Refused(o => o.ResBlocksPerLevel = ModelBounds.MaxResBlocks + 1, "ResBlocksPerLevel");
        Refused(o => o.ChannelMultipliers = Enumerable.Repeat(1, ModelBounds.MaxLevels + 1).ToArray(), "ChannelMultipliers");
        Refused(o => o.ChannelMultipliers = [1, ModelBounds.MaxMultiplier + 1], "ChannelMultipliers");
        Refused(o => o.AttentionResolutions = Enumerable.Repeat(8, ModelBounds.MaxAttentionResolutions + 1).ToArray(), "AttentionResolutions");
        Refused(o => o.TimeEmbeddingWidth = ModelBounds.MaxEmbeddingWidth + 1, "TimeEmbeddingWidth");
        Refused(o => o.Sampler = new DiffusionSamplerOptions { Steps = 101 }, "Steps");
    }

    [TestMethod]
    public void ModelTrainedAtTheLimitsLoads()
    {
        var options = TinyData.Options(steps: 1);
        options.Timesteps = 100_000;
        options.ResBlocksPerLevel = 1;
        options.AttentionResolutions = [4, 8];
        using var model = CheckpointTestKit.Fit(options);
        var zip = CheckpointTestKit.ModelZip(model);
        var loaded = (DiffusionSamplerTransformer)new MLContext(1).Model.Load(new MemoryStream(zip), out _);
        using (loaded) Assert.AreEqual(100_000, loaded.Schedule.Timesteps);
    }

    [TestMethod]
    public void LongSchedulesTrainWithFiniteLossAndSampleFiniteImages()
    {
        // ᾱ of the last steps underflows float32 from about T = 10,000 (linear β to 0.02); Min-SNR's ε weight was 0/0 there.
        foreach (var (timesteps, target) in new[] { (20_000, PredictionTarget.Epsilon), (100_000, PredictionTarget.Epsilon), (100_000, PredictionTarget.Sample), (100_000, PredictionTarget.Velocity) })
        {
            var options = TinyData.Options(steps: 4);
            options.Timesteps = timesteps;
            options.BetaEnd = 0.02;
            options.PredictionTarget = target;
            using var model = CheckpointTestKit.Fit(options);
            Assert.AreEqual(4, model.LossHistory.Count);
            Assert.IsTrue(model.LossHistory.All(float.IsFinite), $"T = {timesteps}, {target}: losses {string.Join(", ", model.LossHistory)}");
            var pixels = model.Generate([1, 2]);
            Assert.IsTrue(pixels.All(p => p.All(float.IsFinite)), $"T = {timesteps}, {target}: non-finite generated pixels");
        }
    }

    [TestMethod]
    public void BaseChannelsTheUNetCannotBuildAreRefused()
    {
        foreach (int bad in new[] { 0, 1, 2, 3, 5, 1_000_000 })
            StringAssert.Contains(Refused(o => { o.BaseChannels = bad; o.GroupNormGroups = 1; }, "BaseChannels").Message, $"'BaseChannels' is {bad};");
        // Inside the per-field limit, but the network would need tens of gigabytes before the first step.
        var e = Refused(o => { o.BaseChannels = 4096; o.GroupNormGroups = 1; o.ChannelMultipliers = [1, 2, 4]; }, "BaseChannels");
        StringAssert.Contains(e.Message, "parameters");
    }

    [TestMethod]
    public void GroupNormGroupsThatDoNotDivideTheChannelsAreRefused()
    {
        var e = Refused(o => { o.BaseChannels = 12; o.GroupNormGroups = 8; }, "GroupNormGroups");
        StringAssert.Contains(e.Message, "'GroupNormGroups' is 8;");
        StringAssert.Contains(e.Message, "12");
    }

    [TestMethod]
    public void AttentionResolutionMatchingNoFeatureMapIsRefused()
    {
        // 8×8 images and two levels have feature maps of 8 and 4: attention at 7 was silently never built.
        var e = RefusedByFit(o => o.AttentionResolutions = [4, 7], "AttentionResolutions");
        StringAssert.Contains(e.Message, "7");
        StringAssert.Contains(e.Message, "8, 4");
        StringAssert.Contains(Refused(o => o.AttentionResolutions = [0], "AttentionResolutions").Message, "'AttentionResolutions' holds 0;");
    }

    [TestMethod]
    public void StoppingRulesThatStopBeforeTheFirstStepAreRefused()
    {
        StringAssert.Contains(Refused(o => o.TrainingTime = TimeSpan.FromSeconds(-1), "TrainingTime").Message, "'TrainingTime' is -00:00:01;");
        Refused(o => o.TrainingTime = TimeSpan.Zero, "TrainingTime");
        StringAssert.Contains(Refused(o => o.MaxSteps = 0, "MaxSteps").Message, "'MaxSteps' is 0; it must be at least 1");
        Refused(o => { o.MaxSteps = null; o.MaxEpochs = 0; }, "MaxEpochs");
        Refused(o => o.MaxSteps = -5, "MaxSteps");
    }

    [TestMethod]
    public void OutputColumnNamedLikeAnotherColumnIsRefused()
    {
        var e = Refused(o => { o.SeedColumnName = "Seed"; o.OutputColumnName = "Seed"; }, "SeedColumnName");
        StringAssert.Contains(e.Message, "OutputColumnName");
        e = Refused(o => o.OutputVectorColumnName = o.OutputColumnName, "OutputVectorColumnName");
        StringAssert.Contains(e.Message, "OutputColumnName");
        e = Refused(o => { o.SeedColumnName = "Seed"; o.OutputVectorColumnName = "Seed"; }, "OutputVectorColumnName");
        StringAssert.Contains(e.Message, "SeedColumnName");
        Refused(o => o.SeedColumnName = "", "SeedColumnName");
    }

    [TestMethod]
    public void CheckpointFolderThatCannotBeWrittenIsRefusedBeforeTraining()
    {
        using var temp = new TempFolder();
        string file = temp.File("a-file");
        File.WriteAllText(file, "not a folder");
        StringAssert.Contains(RefusedByFit(o => o.CheckpointFolder = file, "CheckpointFolder").Message, "is a file");
        StringAssert.Contains(RefusedByFit(o => o.CheckpointFolder = Path.Combine(file, "below"), "CheckpointFolder").Message, "cannot be written");
        Assert.AreEqual("not a folder", File.ReadAllText(file));
    }

    [TestMethod]
    public void ResumeFromAMissingFileIsRefusedBeforeTheDataIsRead()
    {
        using var temp = new TempFolder();
        var ml = new MLContext(1);
        var options = TinyData.Options(steps: 2);
        options.ResumeFrom = temp.File("checkpoint-0000000100.zip");
        bool read = false;
        IEnumerable<TinyData.Row> Rows()
        {
            read = true;
            foreach (var row in TinyData.Rows(4)) yield return row;
        }
        var e = Assert.ThrowsExactly<FileNotFoundException>(() => ml.Transforms.Diffusion(options).Fit(ml.Data.LoadFromEnumerable(Rows())));
        StringAssert.Contains(e.Message, "Option 'ResumeFrom'");
        StringAssert.Contains(e.Message, "does not exist");
        Assert.IsFalse(read, "the data was read before the missing checkpoint was noticed");
    }

    [TestMethod]
    public void ResumeFromAFolderSaysItIsAFolder()
    {
        using var temp = new TempFolder();
        var e = RefusedByFit(o => o.ResumeFrom = temp.Path, "ResumeFrom");
        StringAssert.Contains(e.Message, "is a folder");
    }

    [TestMethod]
    public void MalformedDeviceSaysWhichFormsAreAccepted()
    {
        foreach (var bad in new[] { "cuda:x", "gpu", "" })
        {
            var e = Refused(o => o.Device = bad, "Device");
            StringAssert.Contains(e.Message, $"'Device' is '{bad}'");
            StringAssert.Contains(e.Message, "\"cuda:0\"");
        }
    }

    [TestMethod]
    public void NaNEtaOnTheSamplerIsRefused()
    {
        using var model = CheckpointTestKit.Fit(TinyData.Options(steps: 1));
        foreach (double bad in new[] { double.NaN, double.PositiveInfinity, -0.5 })
        {
            var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => model.SamplerOptions = new DiffusionSamplerOptions { Eta = bad });
            Assert.AreEqual("Eta", e.ParamName);
            StringAssert.Contains(e.Message, $"'Eta' is {bad.ToString(CultureInfo.InvariantCulture)};");
            StringAssert.Contains(e.Message, "[0, 1]");
        }
        Assert.AreEqual(0.0, model.SamplerOptions.Eta);
        Refused(o => o.Sampler = new DiffusionSamplerOptions { Eta = double.NaN }, "Eta");
        Refused(o => o.Sampler = new DiffusionSamplerOptions { BatchSize = 0 }, "BatchSize");
    }

    [TestMethod]
    public void DisposedTransformerSaysSo()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(TinyData.Rows(2).ToList());
        var model = CheckpointTestKit.Fit(TinyData.Options(steps: 1));
        var view = model.Transform(data);
        using var cursor = view.GetRowCursor(view.Schema);
        model.Dispose();
        void Disposed(Action action)
        {
            var e = Assert.ThrowsExactly<ObjectDisposedException>(action);
            StringAssert.Contains(e.ObjectName, nameof(DiffusionSamplerTransformer));
        }
        Disposed(() => cursor.MoveNext());
        Disposed(() => model.GetOutputSchema(data.Schema));
        Disposed(() => model.Transform(data));
        Disposed(() => model.GetRowToRowMapper(data.Schema));
        Disposed(() => model.SamplerOptions = new DiffusionSamplerOptions());
    }

    [TestMethod]
    public void StatisticsFileWithANaNIsRefusedNamingTheFile()
    {
        using var temp = new TempFolder();
        string path = temp.File("reference.stats");
        FeatureStatistics.FromFeatures([[1, 2], [3, 6], [5, 4]], "test").Save(path);
        var bytes = File.ReadAllBytes(path);
        // The mean follows the header; its last value sits just before the 2×2 covariance.
        BitConverter.GetBytes(double.NaN).CopyTo(bytes, bytes.Length - 4 * 8 - 8);
        File.WriteAllBytes(path, bytes);
        var e = Assert.ThrowsExactly<InvalidDataException>(() => FeatureStatistics.Load(path));
        StringAssert.Contains(e.Message, path);
        StringAssert.Contains(e.Message, "NaN");

        var folder = Assert.ThrowsExactly<FileNotFoundException>(() => FeatureStatistics.Load(temp.Path));
        StringAssert.Contains(folder.Message, "is a folder");
    }

    [TestMethod]
    public void TrainingThatCannotFitInMemoryIsRefusedBeforeReadingTheData()
    {
        // About 1.65·10⁹ parameters: inside the fixed limit of 2³¹, but 33 GB of weights, EMA, gradients and Adam state.
        static void Large(DiffusionEstimator.Options o) { o.BaseChannels = 2048; o.GroupNormGroups = 8; o.ChannelMultipliers = [1, 2, 4]; o.ResBlocksPerLevel = 2; }
        var probe = TinyData.Options();
        Large(probe);
        double bytes = 20.0 * ModelBounds.MinimumParameters(probe.BaseChannels, probe.ChannelMultipliers, probe.ResBlocksPerLevel, probe.TimeEmbeddingWidth);
        if (bytes <= GC.GetGCMemoryInfo().TotalAvailableMemoryBytes) Assert.Inconclusive($"this machine has more than {bytes / 1e9:F0} GB");
        var e = RefusedByFit(Large, "BaseChannels");
        StringAssert.Contains(e.Message, "GiB");
    }

    [TestMethod]
    public void TheLoaderRefusesWhatTheEstimatorRefusesInTheSameWords()
    {
        using var model = CheckpointTestKit.Fit(TinyData.Options(steps: 1));
        var zip = CheckpointTestKit.ModelZip(model);
        foreach (var (from, to, option) in new[]
        {
            ("\"BaseChannels\": 8", "\"BaseChannels\": 5", "'BaseChannels' is 5;"),
            ("\"Timesteps\": 100", "\"Timesteps\": 100001", "'Timesteps' is 100001;"),
            ("\"OutputVectorColumnName\": null", "\"OutputVectorColumnName\": \"GeneratedImage\"", "'OutputVectorColumnName' is 'GeneratedImage';"),
        })
        {
            var forged = CheckpointTestKit.Rewrite(zip, "TransformerChain/Settings.json", b =>
            {
                var text = Encoding.UTF8.GetString(b);
                StringAssert.Contains(text, from);
                return Encoding.UTF8.GetBytes(text.Replace(from, to));
            });
            var e = ModelLoadErrors.Reason(Assert.Throws<Exception>(() => new MLContext(1).Model.Load(new MemoryStream(forged), out _)));
            Assert.IsInstanceOfType<InvalidDataException>(e, e.ToString());
            StringAssert.Contains(e.Message, "Settings.json");
            StringAssert.Contains(e.Message, option);
        }
        StringAssert.Contains(Refused(o => { o.BaseChannels = 5; o.GroupNormGroups = 1; }, "BaseChannels").Message, "'BaseChannels' is 5;");
    }

    [TestMethod]
    public void ReadmeOptionsTablesStateTheRangeOfEveryOption()
    {
        string root = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(ThisFile())!, "..", ".."));
        var readme = File.ReadAllText(Path.Combine(root, "README.md"));
        int start = readme.IndexOf("\n## Options\n", StringComparison.Ordinal);
        int end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var tables = new List<List<string[]>>();
        List<string[]>? table = null;
        foreach (var line in readme[start..end].Split('\n'))
        {
            if (!line.StartsWith('|')) { table = null; continue; }
            if (table is null) tables.Add(table = []);
            table.Add(line.Trim('|').Split('|').Select(c => c.Trim()).ToArray());
        }
        Assert.HasCount(3, tables, "the diffusion estimator's, the sampler's and the VAE's options tables");

        void Check(List<string[]> rows, IEnumerable<string> members, string what)
        {
            Assert.AreEqual("accepted", rows[0][2], $"{what}: the third column states what is accepted");
            var listed = new HashSet<string>();
            foreach (var row in rows.Skip(2))
            {
                Assert.IsFalse(string.IsNullOrWhiteSpace(row[2]), $"{what}: row '{row[0]}' states no accepted range");
                foreach (var name in row[0].Split(',')) listed.Add(name.Trim().Trim('`'));
            }
            foreach (var member in members) Assert.Contains(member, listed, $"{what}: README's table has no row for '{member}'");
        }
        Check(tables[0], typeof(DiffusionEstimator.Options).GetFields(BindingFlags.Public | BindingFlags.Instance).Select(f => f.Name), "DiffusionEstimator.Options");
        Check(tables[2], typeof(VariationalAutoencoderEstimator.Options).GetFields(BindingFlags.Public | BindingFlags.Instance).Select(f => f.Name), "VariationalAutoencoderEstimator.Options");
        Check(tables[1], typeof(DiffusionSamplerOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.Name != "EqualityContract").Select(p => p.Name), "DiffusionSamplerOptions");
    }

    private static string ThisFile([System.Runtime.CompilerServices.CallerFilePath] string path = "") => path;
}
