using Microsoft.ML.Data;

namespace Microsoft.ML.Diffusion.Tests;

/// <summary>Class-conditional training and classifier-free guidance on the two tiny patterns ("square", "stripes").</summary>
[TestClass]
public class ConditionalTests
{
    private sealed class LabelledRow
    {
        [VectorType(1, 8, 8)]
        public float[] Image { get; set; } = [];

        public string Pattern { get; set; } = "";

        public int Class { get; set; }
    }

    private sealed class Request
    {
        public int Seed { get; set; }

        public string Label { get; set; } = "";
    }

    private static readonly string[] Names = ["square", "stripes"];

    private static IDataView Data(MLContext ml, int count = 8) =>
        ml.Data.LoadFromEnumerable(Enumerable.Range(0, count).Select(i => new LabelledRow { Image = TinyData.Patterns()[i % 2], Pattern = Names[i % 2], Class = i % 2 }).ToList());

    // Label keys from MapValueToKey, whose KeyValues name the classes.
    private static DiffusionSamplerTransformer FitKeyed(int steps, MLContext? context = null)
    {
        var ml = context ?? new MLContext(1);
        var options = TinyData.Options(steps);
        options.LabelColumnName = "Label";
        options.OutputVectorColumnName = "Vector";
        options.SeedColumnName = "Seed";
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", nameof(LabelledRow.Pattern), keyOrdinality: Transforms.ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
            .Append(ml.Transforms.Diffusion(options));
        return pipeline.Fit(Data(ml)).LastTransformer;
    }

    private static float[][] Images(DiffusionSamplerTransformer model, IDataView requests)
    {
        var result = new List<float[]>();
        var view = model.Transform(requests);
        var column = view.Schema["Vector"];
        using var cursor = view.GetRowCursor([column]);
        var getter = cursor.GetGetter<VBuffer<float>>(column);
        VBuffer<float> buffer = default;
        while (cursor.MoveNext()) { getter(ref buffer); result.Add(buffer.DenseValues().ToArray()); }
        return result.ToArray();
    }

    [TestMethod]
    public void KeyLabelsTrainAConditionalModelThatSavesItsClassNames()
    {
        using var model = FitKeyed(steps: 3);
        Assert.AreEqual(2, model.ClassCount);
        CollectionAssert.AreEqual(Names, model.ClassNames!.ToArray());
        var entries = CheckpointTestKit.Entries(CheckpointTestKit.ModelZip(model));
        var key = entries.Single(e => e.Key.EndsWith("Model.key", StringComparison.Ordinal)).Value;
        // Readable only by 1.3 readers: a 1.2 reader would drop the class embedding and sample wrong images.
        Assert.AreEqual((0x00010003u, 0x00010003u), VersioningTests.ReadHeaderVersions(key));
        using var loaded = (DiffusionSamplerTransformer)new MLContext(1).Model.Load(new MemoryStream(CheckpointTestKit.ModelZip(model)), out _);
        Assert.AreEqual(2, loaded.ClassCount);
        CollectionAssert.AreEqual(Names, loaded.ClassNames!.ToArray());
        var seeds = new long[] { 1, 2, 3 };
        int?[] classes = [0, 1, null];
        var before = model.Generate(seeds, classes);
        var after = loaded.Generate(seeds, classes);
        for (int i = 0; i < 3; i++) CollectionAssert.AreEqual(before[i], after[i]);
    }

    [TestMethod]
    public void RequestsCarryTextLabelsAndRowsStayIndependentUnderGuidance()
    {
        using var model = FitKeyed(steps: 3);
        model.SamplerOptions = model.SamplerOptions with { GuidanceScale = 3, BatchSize = 3 };
        var ml = new MLContext(1);
        var requests = new[] { new Request { Seed = 5, Label = "stripes" }, new Request { Seed = 6, Label = "square" }, new Request { Seed = 7, Label = "" },
            new Request { Seed = 8, Label = "stripes" } };
        var fromView = Images(model, ml.Data.LoadFromEnumerable(requests));
        var direct = model.Generate([5, 6, 7, 8], [1, 0, null, 1]);
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < direct[i].Length; j++) Assert.AreEqual(direct[i][j] * 127.5f + 127.5f, fromView[i][j], 1e-3f, $"row {i}");
        // A row's image does not depend on the others in its batch, guided or not.
        CollectionAssert.AreEqual(direct[3], model.Generate([8], [1])[0]);
        CollectionAssert.AreEqual(direct[0], model.Generate([5, 1, 2, 3, 4], [1, 0, 0, 0, 0])[0]);
        // No label is the unconditional model, whatever the guidance scale.
        var unconditional = model.Generate([7], null)[0];
        for (int j = 0; j < unconditional.Length; j++) Assert.AreEqual(unconditional[j], direct[2][j], 1e-5);
    }

    [TestMethod]
    public void GuidanceOneIsTheConditionalModelAndZeroTheUnconditional()
    {
        using var model = FitKeyed(steps: 3);
        var conditional = model.Generate([4], [1])[0];
        model.SamplerOptions = model.SamplerOptions with { GuidanceScale = 0 };
        var zero = model.Generate([4], [1])[0];
        var none = model.Generate([4], [null])[0];
        for (int j = 0; j < zero.Length; j++) Assert.AreEqual(none[j], zero[j], 1e-5);
        CollectionAssert.AreNotEqual(conditional, zero);
    }

    [TestMethod]
    public void UnknownTextLabelsNameTheValueAndTheClasses()
    {
        using var model = FitKeyed(steps: 2);
        var ml = new MLContext(1);
        var view = model.Transform(ml.Data.LoadFromEnumerable(new[] { new Request { Seed = 1, Label = "circle" } }));
        var e = Assert.Throws<InvalidOperationException>(() => view.GetImages("GeneratedImage").ToList());
        StringAssert.Contains(e.Message, "'circle'");
        StringAssert.Contains(e.Message, "'square', 'stripes'");
        StringAssert.Contains(e.Message, "label column 'Label'");
    }

    [TestMethod]
    public void IntegerLabelsNeedClassCountAndInRangeValues()
    {
        var ml = new MLContext(1);
        var options = TinyData.Options(2);
        options.LabelColumnName = nameof(LabelledRow.Class);
        var e = Assert.Throws<ArgumentException>(() => ml.Transforms.Diffusion(options).Fit(Data(ml)));
        Assert.AreEqual("ClassCount", e.ParamName);
        options.ClassCount = 1;
        var bad = Assert.Throws<InvalidOperationException>(() => ml.Transforms.Diffusion(options).Fit(Data(ml)));
        StringAssert.Contains(bad.Message, "Row 1 of label column 'Class' holds 1");
        options.ClassCount = 2;
        using var model = ml.Transforms.Diffusion(options).Fit(Data(ml));
        Assert.AreEqual(2, model.ClassCount);
        Assert.IsNull(model.ClassNames);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => model.Generate([1], [2]));
    }

    [TestMethod]
    public void LabelOptionsAreValidated()
    {
        var ml = new MLContext(1);
        foreach (var (change, name) in new (Action<DiffusionEstimator.Options>, string)[]
        {
            (o => o.ConditionDropout = 1, "ConditionDropout"),
            (o => o.ConditionDropout = double.NaN, "ConditionDropout"),
            (o => o.ClassCount = 0, "ClassCount"),
            (o => o.LabelColumnName = "Image", "LabelColumnName"),
            (o => o.LabelColumnName = " ", "LabelColumnName"),
        })
        {
            var options = TinyData.Options(2);
            options.LabelColumnName = "Label";
            change(options);
            var e = Assert.Throws<ArgumentException>(() => ml.Transforms.Diffusion(options));
            Assert.AreEqual(name, e.ParamName, e.Message);
        }
        var s = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new DiffusionSamplerOptions { GuidanceScale = double.NaN }.Validate(100));
        Assert.AreEqual("GuidanceScale", s.ParamName);
    }

    [TestMethod]
    public void GuidedSamplesFollowTheirClass()
    {
        using var model = FitKeyed(steps: 150);
        var patterns = TinyData.Patterns().Select(p => p.Select(v => v / 127.5f - 1).ToArray()).ToArray();
        foreach (var kind in new[] { SamplerKind.Ddim, SamplerKind.DpmSolverPlusPlus })
        {
            model.SamplerOptions = model.SamplerOptions with { Kind = kind, Steps = 10, GuidanceScale = 2 };
            var images = model.Generate([1, 2, 3, 4, 5, 6], [0, 0, 0, 1, 1, 1]);
            for (int i = 0; i < images.Length; i++)
            {
                int wanted = i < 3 ? 0 : 1;
                double Distance(float[] p) => images[i].Zip(p, (a, b) => (double)(a - b) * (a - b)).Sum();
                Assert.IsLessThan(Distance(patterns[1 - wanted]), Distance(patterns[wanted]), $"{kind}: image {i} of class {Names[wanted]} is closer to the other pattern");
            }
        }
    }

    [TestMethod]
    public void ConditionalResumeEndsBitIdenticalToAStraightRunAndNeedsTheSameClasses()
    {
        const int N = 5; // 8 images in batches of 4: step 5 stops mid-epoch, with label dropout drawn at every step
        var folder = CheckpointTestKit.NewFolder();
        DiffusionEstimator.Options Options(int steps, string? checkpoints = null, int classes = 2)
        {
            var o = CheckpointTestKit.Options(steps, checkpoints);
            o.LabelColumnName = nameof(LabelledRow.Class);
            o.ClassCount = classes;
            o.ConditionDropout = 0.5;
            return o;
        }
        DiffusionSamplerTransformer Fit(DiffusionEstimator.Options o) { var ml = new MLContext(1); return ml.Transforms.Diffusion(o).Fit(Data(ml)); }
        try
        {
            byte[] straight;
            using (var model = Fit(Options(2 * N))) straight = CheckpointTestKit.ModelZip(model);
            using (Fit(Options(N, folder))) { }
            var other = Options(2 * N, folder, classes: 3);
            other.ResumeFromLatest = true;
            var e = Assert.Throws<ArgumentException>(() => Fit(other));
            Assert.AreEqual("LabelColumnName", e.ParamName, e.Message);
            var resumeOptions = Options(2 * N, folder);
            resumeOptions.ResumeFromLatest = true;
            byte[] resumed;
            using (var model = Fit(resumeOptions)) resumed = CheckpointTestKit.ModelZip(model);
            CheckpointTestKit.AssertSameTraining(straight, resumed);
        }
        finally
        {
            CheckpointTestKit.DeleteFolder(folder);
        }
    }

    [TestMethod]
    public void GuidedSamplingInBFloat16IsCloseToFloat32()
    {
        using var model = FitKeyed(steps: 20);
        model.SamplerOptions = model.SamplerOptions with { GuidanceScale = 2 };
        long[] seeds = [1, 2, 3, 4];
        int?[] classes = [0, 1, null, 1];
        var float32 = model.Generate(seeds, classes);
        model.SamplerOptions = model.SamplerOptions with { Precision = SamplingPrecision.BFloat16 };
        var bfloat16 = model.Generate(seeds, classes);
        for (int i = 0; i < seeds.Length; i++)
        {
            double difference = float32[i].Zip(bfloat16[i], (a, b) => Math.Abs(a - b)).Average();
            Assert.IsLessThan(0.05, difference, $"row {i}");
            Assert.IsTrue(difference > 0, $"row {i}: the bfloat16 network was not used");
        }
    }
}
