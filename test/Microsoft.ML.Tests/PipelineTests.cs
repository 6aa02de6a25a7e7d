using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Transforms.Image;

namespace Microsoft.ML.Tests;

[TestClass]
public sealed class PipelineTests
{
    public sealed class Input
    {
        [VectorType(3, 2, 2)]
        public float[] Pixels { get; set; } = Array.Empty<float>();
    }

    private static IDataView Data(MLContext ml, int rows) =>
        ml.Data.LoadFromEnumerable(Enumerable.Range(0, rows).Select(r => new Input { Pixels = Enumerable.Range(0, 12).Select(i => (float)(r * 20 + i * 10)).ToArray() }).ToArray());

    [TestMethod]
    public void ChainFitsTransformsAndReportsSchemas()
    {
        var ml = new MLContext(1);
        var data = Data(ml, 2);
        var pipeline = ml.Transforms.ConvertToImage(2, 2, "Image", "Pixels")
            .Append(ml.Transforms.ConvertToGrayscale("Gray", "Image"))
            .Append(ml.Transforms.ExtractPixels("GrayPixels", "Gray", colorsToExtract: ImagePixelExtractingEstimator.ColorBits.Red));

        var shape = pipeline.GetOutputSchema(SchemaShape.Create(data.Schema));
        Assert.IsTrue(shape.TryFindColumn("GrayPixels", out var gp));
        Assert.AreEqual(SchemaShape.Column.VectorKind.Vector, gp.Kind);

        var model = pipeline.Fit(data);
        Assert.AreEqual(3, model.Count());
        Assert.IsInstanceOfType<ImagePixelExtractingTransformer>(model.LastTransformer);
        var schema = model.GetOutputSchema(data.Schema);
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 1, 2, 2), schema["GrayPixels"].Type);
        Assert.AreEqual(new ImageDataViewType(2, 2), schema["Gray"].Type);

        var output = model.Transform(data);
        var column = output.Schema["GrayPixels"];
        using var cursor = output.GetRowCursor(new[] { column });
        var getter = cursor.GetGetter<VBuffer<float>>(column);
        Assert.IsTrue(cursor.MoveNext());
        var values = default(VBuffer<float>);
        getter(ref values);
        // Pixel 0: R = 0, G = 40, B = 80 -> 0.59 * 40 + 0.11 * 80 = 32.4 -> 32.
        Assert.AreEqual(32f, values.GetItemOrDefault(0));
        Assert.IsFalse(cursor.IsColumnActive(output.Schema["Image"]));
    }

    [TestMethod]
    public void ChainTransformAppliesOnlyScoringScopeByDefault()
    {
        // Upstream since dotnet/machinelearning#6269 (ML.NET 2.0): Transform(input) and GetOutputSchema(schema) use
        // TransformerScope.Scoring; the overloads with a scope select transformers whose scope intersects it.
        var ml = new MLContext(1);
        var data = Data(ml, 1);
        var training = new CountingTransformer();
        var everything = new CountingTransformer();
        var chain = new TransformerChain<ITransformer>(new ITransformer[] { training, everything }, new[] { TransformerScope.Training, TransformerScope.Everything });

        chain.Transform(data);
        chain.GetOutputSchema(data.Schema);
        Assert.AreEqual(0, training.TransformCalls);
        Assert.AreEqual(0, training.SchemaCalls);
        Assert.AreEqual(1, everything.TransformCalls);

        chain.Transform(data, TransformerScope.TrainTest);
        Assert.AreEqual(1, training.TransformCalls);
        Assert.AreEqual(2, everything.TransformCalls);

        chain.Transform(data, TransformerScope.Everything);
        Assert.AreEqual(2, training.TransformCalls);
        Assert.AreEqual(3, everything.TransformCalls);

        var scoring = chain.GetModelFor(TransformerScope.Scoring);
        CollectionAssert.AreEqual(new ITransformer[] { everything }, scoring.ToArray());
    }

    [TestMethod]
    public void FitRejectsAMissingColumnByName()
    {
        var ml = new MLContext(1);
        var ex = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Transforms.ConvertToGrayscale("G", "NoSuchImage").Fit(Data(ml, 1)));
        StringAssert.Contains(ex.Message, "NoSuchImage");
        var bad = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Transforms.ExtractPixels("P", "Pixels").Fit(Data(ml, 1)));
        StringAssert.Contains(bad.Message, "Pixels");
    }

    [TestMethod]
    public void LogReceivesChannelMessagesWithSource()
    {
        var ml = new MLContext(1);
        var messages = new List<LoggingEventArgs>();
        ml.Log += (_, e) => messages.Add(e);
        var host = ((IHostEnvironment)ml).Register("Trainer");
        using (var ch = host.Start("Train"))
        {
            ch.Info("epoch {0}", 3);
            ch.Warning("careful");
            ch.Trace(MessageSensitivity.None, "detail");
        }
        Assert.AreEqual(3, messages.Count);
        Assert.AreEqual("[Source=Trainer; Train, Kind=Info] epoch 3", messages[0].Message);
        Assert.AreEqual("epoch 3", messages[0].RawMessage);
        Assert.AreEqual(ChannelMessageKind.Warning, messages[1].Kind);
        Assert.AreEqual(ChannelMessageKind.Trace, messages[2].Kind);
        Assert.AreEqual("Trainer; Train", messages[2].Source);
    }

    [TestMethod]
    public void HostRandomnessFollowsTheSeed()
    {
        int Draw(int? seed) => ((IHostEnvironment)new MLContext(seed)).Register("x").Rand.Next();
        Assert.AreEqual(Draw(42), Draw(42));
        Assert.AreNotEqual(Draw(42), Draw(43));
        var ml = new MLContext(5);
        Assert.AreEqual(5, ml.Transforms.GetEnvironment().GetSeed());
        ml.CancelExecution();
        Assert.ThrowsExactly<OperationCanceledException>(() => ml.Transforms.GetEnvironment().Register("y").CheckAlive());
    }

    [TestMethod]
    public void RowMappingDataViewAddsLazyColumns()
    {
        var ml = new MLContext(1);
        var data = Data(ml, 4);
        var view = new SquareView(data);
        Assert.AreEqual("Square", view.Schema[view.Schema.Count - 1].Name);
        var square = view.Schema["Square"];
        using var cursor = view.GetRowCursor(new[] { square });
        var getter = cursor.GetGetter<float>(square);
        var seen = new List<float>();
        float v = 0;
        while (cursor.MoveNext())
        {
            getter(ref v);
            seen.Add(v);
        }
        CollectionAssert.AreEqual(new[] { 0f, 400f, 1600f, 3600f }, seen);
        Assert.AreEqual(4, view.GetterCalls);
    }

    [TestMethod]
    public void PredictionEngineMapsOneObject()
    {
        var ml = new MLContext(1);
        var model = ml.Transforms.ConvertToImage(2, 2, "Image", "Pixels").Fit(Data(ml, 1));
        using var engine = ml.Model.CreatePredictionEngine<Input, ImageOutput>(model);
        var result = engine.Predict(new Input { Pixels = Enumerable.Repeat(7f, 12).ToArray() });
        Assert.AreEqual(2, result.Image!.Width);
        Assert.AreEqual(7, result.Image.Pixels[0]);
    }

    public sealed class ImageOutput
    {
        [ImageType(2, 2)]
        public MLImage? Image { get; set; }
    }

    private sealed class SquareView : RowMappingDataView
    {
        public SquareView(IDataView input)
            : base(input, new[] { new DataViewSchema.DetachedColumn("Square", NumberDataViewType.Single) })
        {
        }

        public int GetterCalls { get; private set; }

        protected override IEnumerable<DataViewSchema.Column> GetInputDependencies(Func<int, bool> isAddedColumnActive) =>
            isAddedColumnActive(0) ? new[] { Input.Schema["Pixels"] } : Array.Empty<DataViewSchema.Column>();

        protected override Delegate?[] MakeGetters(DataViewRow input, Func<int, bool> isAddedColumnActive, out Action? disposer)
        {
            disposer = null;
            var pixels = input.GetGetter<VBuffer<float>>(Input.Schema["Pixels"]);
            var buffer = default(VBuffer<float>);
            ValueGetter<float> square = (ref float value) =>
            {
                GetterCalls++;
                pixels(ref buffer);
                value = buffer.GetItemOrDefault(0) * buffer.GetItemOrDefault(0);
            };
            return new Delegate?[] { square };
        }
    }

    private sealed class CountingTransformer : ITransformer
    {
        public int TransformCalls { get; private set; }

        public int SchemaCalls { get; private set; }

        public bool IsRowToRowMapper => false;

        public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
        {
            SchemaCalls++;
            return inputSchema;
        }

        public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => throw new NotSupportedException();

        public IDataView Transform(IDataView input)
        {
            TransformCalls++;
            return input;
        }

        void ICanSaveModel.Save(ModelSaveContext ctx) => throw new NotSupportedException();
    }
}
