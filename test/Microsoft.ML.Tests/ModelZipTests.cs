using System.IO.Compression;
using System.Text;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Transforms.Image;

namespace Microsoft.ML.Tests;

[TestClass]
public sealed class ModelZipTests
{
    public sealed class Input
    {
        [VectorType(3, 2, 2)]
        public float[] Pixels { get; set; } = Array.Empty<float>();
    }

    private static (ITransformer Model, IDataView Data) Fitted(MLContext ml)
    {
        var data = ml.Data.LoadFromEnumerable(new[] { new Input { Pixels = Enumerable.Range(0, 12).Select(i => i * 0.1f - 0.5f).ToArray() } });
        var model = ml.Transforms.ConvertToImage(2, 2, "Image", "Pixels", scaleImage: 127.5f, offsetImage: -127.5f)
            .Append(ml.Transforms.ResizeImages("Big", 4, 3, "Image", ImageResizingEstimator.ResizingKind.IsoPad))
            .Append(ml.Transforms.ExtractPixels("Out", "Big", interleavePixelColors: true, offsetImage: 127.5f, scaleImage: 1 / 127.5f))
            .Fit(data);
        return (model, data);
    }

    private static byte[] Save(MLContext ml, ITransformer model, DataViewSchema schema)
    {
        using var stream = new MemoryStream();
        ml.Model.Save(model, schema, stream);
        return stream.ToArray();
    }

    private static float[] Output(MLContext ml, ITransformer model, IDataView data) =>
        ml.Data.CreateEnumerable<OutputRow>(model.Transform(data), false).Single().Out;

    public sealed class OutputRow
    {
        public float[] Out { get; set; } = Array.Empty<float>();
    }

    [TestMethod]
    public void RoundTripReproducesTheChainAndSchema()
    {
        var ml = new MLContext(1);
        var (model, data) = Fitted(ml);
        using var folder = new TempFolder();
        string path = folder.File("model.zip");
        ml.Model.Save(model, data.Schema, path);
        Assert.AreEqual(0, Directory.GetFiles(folder.Path, "*.tmp").Length, "the temporary file must be renamed away");

        using (var zip = ZipFile.OpenRead(path))
        {
            var names = zip.Entries.Select(e => e.FullName).ToHashSet();
            Assert.IsTrue(names.Contains("TrainingInfo/Version.txt"));
            Assert.IsTrue(names.Contains("TransformerChain/Model.key"));
            Assert.IsTrue(names.Contains("TransformerChain/Transform_002/Model.key"));
            Assert.IsTrue(names.Contains("Schema"));
        }

        var loaded = ml.Model.Load(path, out var schema);
        Assert.IsInstanceOfType<TransformerChain<ITransformer>>(loaded);
        Assert.AreEqual(data.Schema["Pixels"].Type, schema!["Pixels"].Type);
        CollectionAssert.AreEqual(Output(ml, model, data), Output(ml, loaded, data));
        Assert.AreEqual(model.GetOutputSchema(data.Schema)["Out"].Type, loaded.GetOutputSchema(data.Schema)["Out"].Type);
    }

    [TestMethod]
    public void UnknownLoaderIsNamed()
    {
        var ml = new MLContext(1);
        var bytes = Save(ml, new UnregisteredTransformer(), null!);
        var ex = Assert.ThrowsExactly<FormatException>(() => ml.Model.Load(new MemoryStream(bytes), out _));
        StringAssert.Contains(ex.Message, "NotRegisteredXf");
        StringAssert.Contains(ex.Message, "TransformerChain/Model.key");
    }

    [TestMethod]
    public void RegisteredLoaderFromAnotherAssemblyLoads()
    {
        ModelLoaderCatalog.Register(PlainTransformer.Loader, PlainTransformer.Create);
        ModelLoaderCatalog.Register(PlainTransformer.Loader, PlainTransformer.Create);
        Assert.ThrowsExactly<InvalidOperationException>(() => ModelLoaderCatalog.Register(PlainTransformer.Loader, (e, c) => new PlainTransformer("x")));
        var ml = new MLContext(1);
        var bytes = Save(ml, new TransformerChain<ITransformer>(new PlainTransformer("hello")), null!);
        var loaded = (TransformerChain<ITransformer>)ml.Model.Load(new MemoryStream(bytes), out var schema);
        Assert.IsNull(schema);
        Assert.AreEqual("hello", ((PlainTransformer)loaded.Single()).Text);
        Assert.AreEqual("side stream", ((PlainTransformer)loaded.Single()).Side);
    }

    [TestMethod]
    public void TooNewVersionIsRejected()
    {
        ModelLoaderCatalog.Register(PlainTransformer.Loader, PlainTransformer.Create);
        var ml = new MLContext(1);
        PlainTransformer.WriteVersion = 0x00020001;
        byte[] bytes;
        try
        {
            bytes = Save(ml, new PlainTransformer("v2"), null!);
        }
        finally
        {
            PlainTransformer.WriteVersion = 0x00010001;
        }
        var ex = Assert.ThrowsExactly<FormatException>(() => ml.Model.Load(new MemoryStream(bytes), out _));
        StringAssert.Contains(ex.Message, "newer version");
        StringAssert.Contains(ex.Message, "TransformerChain/Model.key");
    }

    [TestMethod]
    public void UnknownFormatVersionIsRejected()
    {
        var ml = new MLContext(1);
        var bytes = Rewrite(Save(ml, Fitted(ml).Model, null!), "TrainingInfo/Version.txt", _ => Encoding.UTF8.GetBytes("Microsoft.ML model zip\nformat: 9\n"));
        var ex = Assert.ThrowsExactly<FormatException>(() => ml.Model.Load(new MemoryStream(bytes), out _));
        StringAssert.Contains(ex.Message, "TrainingInfo/Version.txt");
        StringAssert.Contains(ex.Message, "9");
    }

    [TestMethod]
    public void TruncatedEntryIsNamed()
    {
        var ml = new MLContext(1);
        var bytes = Rewrite(Save(ml, Fitted(ml).Model, null!), "TransformerChain/Transform_001/Model.key", b => b[..(b.Length - 10)]);
        var ex = Assert.ThrowsExactly<FormatException>(() => ml.Model.Load(new MemoryStream(bytes), out _));
        StringAssert.Contains(ex.Message, "TransformerChain/Transform_001/Model.key");
    }

    [TestMethod]
    public void CorruptHeaderIsNamed()
    {
        var ml = new MLContext(1);
        var bytes = Rewrite(Save(ml, Fitted(ml).Model, null!), "TransformerChain/Model.key", b => { var c = (byte[])b.Clone(); c[0] ^= 0xFF; return c; });
        var ex = Assert.ThrowsExactly<FormatException>(() => ml.Model.Load(new MemoryStream(bytes), out _));
        StringAssert.Contains(ex.Message, "TransformerChain/Model.key");
        StringAssert.Contains(ex.Message, "corrupt");
    }

    [TestMethod]
    public void DeclaredSizeLargerThanEntryIsNamed()
    {
        var ml = new MLContext(1);
        var bytes = Rewrite(Save(ml, Fitted(ml).Model, null!), "TransformerChain/Transform_000/Model.key", b =>
        {
            // The payload length follows the fixed header, the two length-prefixed names.
            var c = (byte[])b.Clone();
            int offset = 8 + 4 + 8 + 12;
            offset += 4 + BitConverter.ToInt32(c, offset);
            offset += 4 + BitConverter.ToInt32(c, offset);
            BitConverter.GetBytes(1_000_000L).CopyTo(c, offset);
            return c;
        });
        var ex = Assert.ThrowsExactly<FormatException>(() => ml.Model.Load(new MemoryStream(bytes), out _));
        StringAssert.Contains(ex.Message, "TransformerChain/Transform_000/Model.key");
        StringAssert.Contains(ex.Message, "1000000");
    }

    [TestMethod]
    public void EntryEscapingTheArchiveIsRejected()
    {
        var ml = new MLContext(1);
        var bytes = Save(ml, Fitted(ml).Model, null!);
        using var stream = new MemoryStream();
        stream.Write(bytes);
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Update, leaveOpen: true))
        {
            using var s = zip.CreateEntry("TransformerChain/../../evil.txt").Open();
            s.WriteByte(1);
        }
        stream.Position = 0;
        var ex = Assert.ThrowsExactly<FormatException>(() => ml.Model.Load(stream, out _));
        StringAssert.Contains(ex.Message, "../../evil.txt");
        StringAssert.Contains(ex.Message, "escapes");
    }

    [TestMethod]
    public void CorruptCompressedDataIsNamed()
    {
        var ml = new MLContext(1);
        var bytes = Save(ml, Fitted(ml).Model, null!);
        // Flip bytes inside the compressed data of the first chain element (located via its local header name).
        var name = Encoding.UTF8.GetBytes("TransformerChain/Transform_000/Model.key");
        int at = IndexOf(bytes, name) + name.Length;
        for (int i = 0; i < 12; i++)
            bytes[at + 4 + i] ^= 0x5A;
        var ex = Assert.ThrowsExactly<FormatException>(() => ml.Model.Load(new MemoryStream(bytes), out _));
        StringAssert.Contains(ex.Message, "TransformerChain/Transform_000/Model.key");
    }

    [TestMethod]
    public void FailedSaveLeavesNoFileBehind()
    {
        var ml = new MLContext(1);
        using var folder = new TempFolder();
        string path = folder.File("model.zip");
        Assert.ThrowsExactly<InvalidOperationException>(() => ml.Model.Save(new NoVersionTransformer(), null, path));
        Assert.IsFalse(File.Exists(path));
        Assert.AreEqual(0, Directory.GetFiles(folder.Path).Length);
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i <= haystack.Length - needle.Length; i++)
        {
            if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle))
                return i;
        }
        throw new InvalidOperationException("not found");
    }

    private static byte[] Rewrite(byte[] zipBytes, string entryName, Func<byte[], byte[]> change)
    {
        using var input = new ZipArchive(new MemoryStream(zipBytes), ZipArchiveMode.Read);
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in input.Entries)
            {
                using var source = entry.Open();
                using var buffer = new MemoryStream();
                source.CopyTo(buffer);
                var data = entry.FullName == entryName ? change(buffer.ToArray()) : buffer.ToArray();
                using var target = zip.CreateEntry(entry.FullName).Open();
                target.Write(data);
            }
        }
        return output.ToArray();
    }

    private abstract class TestTransformerBase : ITransformer
    {
        public bool IsRowToRowMapper => true;

        public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => inputSchema;

        public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => throw new NotSupportedException();

        public IDataView Transform(IDataView input) => input;

        public abstract void Save(ModelSaveContext ctx);
    }

    private sealed class UnregisteredTransformer : TestTransformerBase
    {
        public override void Save(ModelSaveContext ctx)
        {
            ctx.CheckAtModel();
            ctx.SetVersionInfo(new VersionInfo("UNREGXF ", 0x00010001, 0x00010001, 0x00010001, "Tests", "NotRegisteredXf"));
        }
    }

    private sealed class NoVersionTransformer : TestTransformerBase
    {
        public override void Save(ModelSaveContext ctx) => ctx.Writer.Write(1);
    }

    private sealed class PlainTransformer : TestTransformerBase
    {
        public const string Loader = "TestPlainTransformer";
        public static uint WriteVersion = 0x00010001;

        public PlainTransformer(string text, string? side = null)
        {
            Text = text;
            Side = side;
        }

        public string Text { get; }

        public string? Side { get; }

        private static VersionInfo Version(uint written) => new("PLAINXF ", written, written, 0x00010001, "Tests", Loader);

        public static ITransformer Create(IHostEnvironment env, ModelLoadContext ctx)
        {
            ctx.CheckAtModel(Version(0x00010001));
            string text = ctx.LoadString();
            string? side = null;
            Assert.IsTrue(ctx.TryLoadBinaryStream("Extra", r => side = r.ReadString()));
            return new PlainTransformer(text, side);
        }

        public override void Save(ModelSaveContext ctx)
        {
            ctx.CheckAtModel();
            ctx.SetVersionInfo(Version(WriteVersion));
            ctx.SaveString(Text);
            ctx.SaveBinaryStream("Extra", w => w.Write("side stream"));
        }
    }
}
