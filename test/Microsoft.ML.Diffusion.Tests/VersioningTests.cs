using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;

namespace Microsoft.ML.Diffusion.Tests;

/// <summary>One version number, recorded in what the package writes, and named when a newer format is refused.</summary>
[TestClass]
public class VersioningTests
{
    private const string ModelFolder = "TransformerChain/";

    private static byte[] ModelZip() => CheckpointTestKit.TinyModelZip();

    /// <summary>VersionPrefix of Directory.Build.props: the one place the version is written.</summary>
    private static string RepositoryVersion()
    {
        var props = XDocument.Load(RepositoryFiles.Get("Directory.Build.props"));
        return props.Descendants("VersionPrefix").Single().Value;
    }

    [TestMethod]
    public void AssemblyVersionIsTheOneInDirectoryBuildProps()
    {
        var informational = typeof(DiffusionEstimator).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
        Assert.AreEqual(RepositoryVersion(), informational.Split('+')[0]);
        var file = typeof(DiffusionEstimator).Assembly.GetCustomAttribute<AssemblyFileVersionAttribute>()!.Version;
        Assert.AreEqual(new Version(RepositoryVersion()).ToString(3), new Version(file).ToString(3));
        // The binding identity stays where ML.NET keeps its own, so models recording it keep loading.
        Assert.AreEqual(new Version(1, 0, 0, 0), typeof(DiffusionEstimator).Assembly.GetName().Version);
    }

    [TestMethod]
    public void ModelZipRecordsThePackageVersionThatWroteIt()
    {
        var entries = CheckpointTestKit.Entries(ModelZip());
        Assert.AreEqual($"Microsoft.ML.Diffusion {RepositoryVersion()}", Encoding.UTF8.GetString(entries[ModelFolder + "PackageVersion.txt"]));
        // The header's format: written 1.3, readable by 1.1 readers, since an unconditional model adds nothing they misread.
        var (written, readable) = ReadHeaderVersions(entries[ModelFolder + "Model.key"]);
        Assert.AreEqual(0x00010003u, written);
        Assert.AreEqual(0x00010001u, readable);
    }

    [TestMethod]
    public void ModelOfANewerFormatNamesThePackageVersionItNeeds()
    {
        var zip = CheckpointTestKit.Rewrite(ModelZip(), ModelFolder + "Model.key", key => WithHeaderVersions(key, 0x00020000, 0x00020000));
        zip = CheckpointTestKit.Rewrite(zip, ModelFolder + "PackageVersion.txt", _ => Encoding.UTF8.GetBytes("Microsoft.ML.Diffusion 9.4.0"));
        var ex = ModelLoadErrors.Reason(Assert.Throws<Exception>(() => new MLContext(1).Model.Load(new MemoryStream(zip), out _)));
        Assert.IsInstanceOfType<InvalidDataException>(ex);
        StringAssert.Contains(ex.Message, "written by Microsoft.ML.Diffusion 9.4.0 in format 2.0");
        StringAssert.Contains(ex.Message, $"this is Microsoft.ML.Diffusion {RepositoryVersion()}, which reads format 1.3 and earlier");
        StringAssert.Contains(ex.Message, "needs Microsoft.ML.Diffusion 9.4.0 or later");
    }

    [TestMethod]
    public void ForgedVersionTextIsNotEchoed()
    {
        var zip = CheckpointTestKit.Rewrite(ModelZip(), ModelFolder + "Model.key", key => WithHeaderVersions(key, 0x00010005, 0x00010004));
        zip = CheckpointTestKit.Rewrite(zip, ModelFolder + "PackageVersion.txt", _ => Encoding.UTF8.GetBytes("Microsoft.ML.Diffusion 1.0\nrm -rf /"));
        var ex = ModelLoadErrors.Reason(Assert.Throws<Exception>(() => new MLContext(1).Model.Load(new MemoryStream(zip), out _)));
        StringAssert.Contains(ex.Message, "was written in format 1.5");
        StringAssert.Contains(ex.Message, $"needs a Microsoft.ML.Diffusion newer than {RepositoryVersion()}");
        Assert.IsFalse(ex.Message.Contains("rm -rf"), ex.Message);
    }

    [TestMethod]
    public void ModelOfFormat11WithoutVersionEntryStillLoads()
    {
        // What the package wrote before it recorded its version: header 1.1, no PackageVersion.txt.
        var entries = CheckpointTestKit.Entries(ModelZip());
        entries.Remove(ModelFolder + "PackageVersion.txt");
        entries[ModelFolder + "Model.key"] = WithHeaderVersions(entries[ModelFolder + "Model.key"], 0x00010001, 0x00010001);
        var ml = new MLContext(1);
        // A transformer saved on its own loads as itself (ML.NET keeps the TransformerChain folder name).
        using var original = (DiffusionSamplerTransformer)ml.Model.Load(new MemoryStream(ModelZip()), out _);
        using var old = (DiffusionSamplerTransformer)ml.Model.Load(new MemoryStream(CheckpointTestKit.Zip(entries)), out _);
        var requests = ml.Data.LoadFromEnumerable(TinyData.Rows(2).ToList());
        CollectionAssert.AreEqual(Pixels(original.Transform(requests)), Pixels(old.Transform(requests)));
        Assert.AreEqual(original.TrainedSteps, old.TrainedSteps);
    }

    [TestMethod]
    public void CheckpointRecordsThePackageVersionAndANewerFormatNamesIt()
    {
        var checkpoint = CheckpointTestKit.TinyCheckpoint(2);
        var manifest = JsonNode.Parse(CheckpointTestKit.Entries(checkpoint)["Checkpoint/Manifest.json"])!.AsObject();
        Assert.AreEqual($"Microsoft.ML.Diffusion {RepositoryVersion()}", (string?)manifest["WrittenBy"]);

        // A future layout: a higher format, a renamed field. The format is checked before the layout is parsed.
        manifest["Format"] = 7;
        manifest["WrittenBy"] = "Microsoft.ML.Diffusion 3.1.0";
        manifest.Remove("Step");
        var forged = CheckpointTestKit.Rewrite(checkpoint, "Checkpoint/Manifest.json", _ => Encoding.UTF8.GetBytes(manifest.ToJsonString()));
        var ex = Assert.ThrowsExactly<InvalidDataException>(() => TrainingCheckpoint.Verify(new MemoryStream(forged), "future.zip"));
        StringAssert.Contains(ex.Message, "Checkpoint 'future.zip'");
        StringAssert.Contains(ex.Message, "written by Microsoft.ML.Diffusion 3.1.0 in format 7");
        StringAssert.Contains(ex.Message, "reads format 2 and earlier");
        StringAssert.Contains(ex.Message, "needs Microsoft.ML.Diffusion 3.1.0 or later");
    }

    private static byte[] Pixels(IDataView view) =>
        view.GetImages().SelectMany(image => { using (image) return image.Pixels.ToArray(); }).ToArray();

    // ML.NET's model header stores the model signature ("DIFFUSN ", its trailing space as a zero byte) followed by the
    // written and the readable format versions (uint32 each).
    private static int VersionOffset(byte[] key)
    {
        var signature = Encoding.ASCII.GetBytes("DIFFUSN\0");
        for (int i = 0; i + signature.Length + 8 <= key.Length; i++)
            if (key.AsSpan(i, signature.Length).SequenceEqual(signature)) return i + signature.Length;
        throw new AssertFailedException("The model header holds no DIFFUSN signature.");
    }

    internal static (uint Written, uint Readable) ReadHeaderVersions(byte[] key)
    {
        int at = VersionOffset(key);
        return (BitConverter.ToUInt32(key, at), BitConverter.ToUInt32(key, at + 4));
    }

    private static byte[] WithHeaderVersions(byte[] key, uint written, uint readable)
    {
        var copy = (byte[])key.Clone();
        int at = VersionOffset(copy);
        BitConverter.TryWriteBytes(copy.AsSpan(at), written);
        BitConverter.TryWriteBytes(copy.AsSpan(at + 4), readable);
        return copy;
    }
}
