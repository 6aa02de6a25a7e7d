using System.Text;

namespace Microsoft.ML.Diffusion.Tests;

/// <summary>Forged model zips and checkpoints: each is refused with a malformed-data error naming what is wrong, before allocating what it claims.</summary>
[TestClass]
public class HostileFileTests
{
    private static byte[]? s_checkpoint;

    private static byte[] ModelZip() => CheckpointTestKit.TinyModelZip();

    private static byte[] Checkpoint() => s_checkpoint ??= CheckpointTestKit.TinyCheckpoint(3);

    private static Exception LoadModel(byte[] zip)
    {
        var ml = new MLContext(1);
        // ML.NET calls component loaders by reflection, so the loader's error arrives inside TargetInvocationExceptions.
        var ex = ModelLoadErrors.Reason(Assert.Throws<Exception>(() => ml.Model.Load(new MemoryStream(zip), out _)));
        Assert.IsTrue(ex is InvalidDataException || ex.GetType() == typeof(FormatException), $"{ex.GetType()}: {ex}");
        return ex;
    }

    private static InvalidDataException LoadCheckpoint(byte[] zip) =>
        Assert.ThrowsExactly<InvalidDataException>(() => TrainingCheckpoint.Verify(new MemoryStream(zip), "forged.zip"));

    private static void AssertRefusedWithoutAllocating(Func<Exception> load, string expected)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var ex = load();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        StringAssert.Contains(ex.Message, expected);
        Assert.IsLessThan(64L << 20, allocated, $"refusing the file allocated {allocated} bytes");
    }

    [TestMethod]
    public void TensorClaimingATrillionElementsIsRefusedBeforeAllocation()
    {
        var header = CheckpointTestKit.TensorHeader(6, 1_000_000, 1_000_000); // Float32 [10⁶, 10⁶]
        var weights = CheckpointTestKit.StateDictWith(header);
        AssertRefusedWithoutAllocating(() => LoadModel(CheckpointTestKit.Rewrite(ModelZip(), "TransformerChain/UNet.dat", _ => weights)), "limit");
        AssertRefusedWithoutAllocating(() => LoadCheckpoint(CheckpointTestKit.Rewrite(Checkpoint(), "Checkpoint/UNet.dat", _ => weights)), "limit");
    }

    [TestMethod]
    public void TensorLargerThanItsEntryIsRefusedBeforeAllocation()
    {
        // 2·10⁸ floats = 800 MB: under every fixed limit, so only the entry's real length can refuse it.
        var weights = CheckpointTestKit.StateDictWith(CheckpointTestKit.TensorHeader(6, 200_000_000));
        AssertRefusedWithoutAllocating(() => LoadModel(CheckpointTestKit.Rewrite(ModelZip(), "TransformerChain/Ema.dat", _ => weights)), "remain");
        AssertRefusedWithoutAllocating(() => LoadCheckpoint(CheckpointTestKit.Rewrite(Checkpoint(), "Checkpoint/Ema.dat", _ => weights)), "remain");
    }

    [TestMethod]
    public void CountsLargerThanTheirEntryAreRefused()
    {
        byte[] manyTensors = [0xFF, 0xFF, 0xFF, 0x7F]; // LEB128 ≈ 2.7·10⁸ tensors in a 4-byte entry
        StringAssert.Contains(LoadModel(CheckpointTestKit.Rewrite(ModelZip(), "TransformerChain/UNet.dat", _ => manyTensors)).Message, "tensors");
        StringAssert.Contains(LoadCheckpoint(CheckpointTestKit.Rewrite(Checkpoint(), "Checkpoint/UNet.dat", _ => manyTensors)).Message, "tensors");
        var manyLosses = BitConverter.GetBytes(int.MaxValue);
        StringAssert.Contains(LoadModel(CheckpointTestKit.Rewrite(ModelZip(), "TransformerChain/LossHistory.bin", _ => manyLosses)).Message, "LossHistory.bin");
        StringAssert.Contains(LoadCheckpoint(CheckpointTestKit.Rewrite(Checkpoint(), "Checkpoint/LossHistory.bin", _ => manyLosses)).Message, "LossHistory.bin");
    }

    [TestMethod]
    public void DtypeCodesOutsideTheWhitelistAreRefused()
    {
        foreach (long code in new long[] { 9, 10, 100, 1L << 40 }) // complex, complex, unknown, absurd
        {
            var weights = CheckpointTestKit.StateDictWith(CheckpointTestKit.TensorHeader(code, 2));
            StringAssert.Contains(LoadModel(CheckpointTestKit.Rewrite(ModelZip(), "TransformerChain/UNet.dat", _ => weights)).Message, "dtype");
            StringAssert.Contains(LoadCheckpoint(CheckpointTestKit.Rewrite(Checkpoint(), "Checkpoint/UNet.dat", _ => weights)).Message, "dtype");
        }
    }

    [TestMethod]
    public void EntriesEscapingTheArchiveAreNeverExtractedAndRefusedInCheckpoints()
    {
        var marker = $"evil-{Guid.NewGuid():N}.txt";
        foreach (var name in new[] { $"../{marker}", $"/tmp/{marker}", $"Checkpoint/../../{marker}", $"C:/{marker}" })
        {
            byte[] Add(byte[] zip) => CheckpointTestKit.Zip(CheckpointTestKit.Entries(zip).Append(new(name, Encoding.UTF8.GetBytes("x"))));
            // ML.NET's model reader opens only the entries a loader asks for, so an extra entry is never read.
            using (var loaded = (IDisposable)new MLContext(1).Model.Load(new MemoryStream(Add(ModelZip())), out _)) { }
            StringAssert.Contains(LoadCheckpoint(Add(Checkpoint())).Message, "escapes");
        }
        foreach (var folder in new[] { Path.GetTempPath(), Environment.CurrentDirectory, Path.GetDirectoryName(Environment.CurrentDirectory)! })
            Assert.IsFalse(File.Exists(Path.Combine(folder, marker)), $"an entry was extracted to {folder}");
    }

    [TestMethod]
    public void ForgedArchitectureIsRefusedBeforeTheNetworkIsBuilt()
    {
        var checkpoint = CheckpointTestKit.Rewrite(Checkpoint(), "Checkpoint/Manifest.json",
            b => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(b).Replace("\"BaseChannels\": 8", "\"BaseChannels\": 4096")));
        AssertRefusedWithoutAllocating(() => LoadCheckpoint(checkpoint), "at least");
        var model = CheckpointTestKit.Rewrite(ModelZip(), "TransformerChain/Settings.json",
            b => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(b).Replace("\"BaseChannels\": 8", "\"BaseChannels\": 4096")));
        AssertRefusedWithoutAllocating(() => LoadModel(model), "at least");
    }

    [TestMethod]
    public void OversizedSettingsEntryIsRefusedWithoutReadingItAll()
    {
        // 64 MB of spaces compresses to a few tens of kilobytes: a decompression bomb in the settings entry.
        var bomb = CheckpointTestKit.Rewrite(ModelZip(), "TransformerChain/Settings.json", b => [.. b, .. Enumerable.Repeat((byte)' ', 64 << 20)]);
        AssertRefusedWithoutAllocating(() => LoadModel(bomb), "longer than");
    }

    [TestMethod]
    public void ForgedSettingsAreRefused()
    {
        string Edit(byte[] b, string from, string to)
        {
            var text = Encoding.UTF8.GetString(b);
            StringAssert.Contains(text, from);
            return text.Replace(from, to);
        }
        var enumAsNumber = CheckpointTestKit.Rewrite(ModelZip(), "TransformerChain/Settings.json", b => Encoding.UTF8.GetBytes(Edit(b, "\"Linear\"", "7")));
        StringAssert.Contains(LoadModel(enumAsNumber).Message, "Settings.json");
        var nullArchitecture = CheckpointTestKit.Rewrite(Checkpoint(), "Checkpoint/Manifest.json", b => Encoding.UTF8.GetBytes(Edit(b, "\"ChannelMultipliers\": [", "\"ChannelMultipliers\": null, \"x\": [")));
        StringAssert.Contains(LoadCheckpoint(nullArchitecture).Message, "Manifest.json");
        var future = CheckpointTestKit.Rewrite(Checkpoint(), "Checkpoint/Manifest.json", b => Encoding.UTF8.GetBytes(Edit(b, "\"Format\": 2", "\"Format\": 3")));
        StringAssert.Contains(LoadCheckpoint(future).Message, "format 3");
        var past = CheckpointTestKit.Rewrite(Checkpoint(), "Checkpoint/Manifest.json", b => Encoding.UTF8.GetBytes(Edit(b, "\"Format\": 2", "\"Format\": 1")));
        StringAssert.Contains(LoadCheckpoint(past).Message, "start a new run");
        var optimizer = CheckpointTestKit.Rewrite(Checkpoint(), "Checkpoint/Optimizer.bin", b => [.. b[..100], .. b[125..]]);
        StringAssert.Contains(LoadCheckpoint(optimizer).Message, "does not match the hash");
        var badPosition = CheckpointTestKit.Rewrite(Checkpoint(), "Checkpoint/Permutation.dat", b => { var c = (byte[])b.Clone(); c[^8] = 0x55; return c; });
        StringAssert.Contains(LoadCheckpoint(badPosition).Message, "permutation");
    }

    [TestMethod]
    public void DeclaredUncompressedSizeBeyondTheDataIsRefused()
    {
        // Patch the central directory's uncompressed size of UNet.dat (its name follows the 46-byte record) to 900 MB.
        var zip = (byte[])Checkpoint().Clone();
        var name = Encoding.UTF8.GetBytes("Checkpoint/UNet.dat");
        int cd = IndexOf(zip, name, IndexOf(zip, name) + 1) - 46;
        CollectionAssert.AreEqual(new byte[] { 0x50, 0x4B, 0x01, 0x02 }, zip[cd..(cd + 4)]);
        BitConverter.GetBytes(900_000_000).CopyTo(zip, cd + 24);
        AssertRefusedWithoutAllocating(() => LoadCheckpoint(zip), "compressed bytes");
    }

    [TestMethod]
    public void ModelWeightsThatDoNotMatchTheirDigestAreRefusedAndModelsWithoutDigestsLoad()
    {
        // ML.NET does not check zip CRCs, so only the digest in Settings.json tells changed weights from the saved ones.
        var changed = CheckpointTestKit.Rewrite(ModelZip(), "TransformerChain/Ema.dat", b => { var c = (byte[])b.Clone(); c[^3] ^= 0x01; return c; });
        var e = LoadModel(changed);
        StringAssert.Contains(e.Message, "TransformerChain/Ema.dat");
        StringAssert.Contains(e.Message, "SHA-256");
        var withoutDigests = CheckpointTestKit.Rewrite(ModelZip(), "TransformerChain/Settings.json", b =>
        {
            var json = System.Text.Json.Nodes.JsonNode.Parse(b)!.AsObject();
            Assert.IsTrue(json.Remove("EntrySha256"), "the settings record the digests");
            return Encoding.UTF8.GetBytes(json.ToJsonString());
        });
        using (var loaded = (IDisposable)new MLContext(1).Model.Load(new MemoryStream(withoutDigests), out _)) { }
    }

    [TestMethod]
    public void TruncatedAndBitFlippedFilesAreRefused()
    {
        var checkpoint = Checkpoint();
        StringAssert.Contains(LoadCheckpoint(checkpoint[..(checkpoint.Length * 2 / 3)]).Message, "forged.zip");
        var flipped = (byte[])checkpoint.Clone();
        int data = IndexOf(flipped, Encoding.UTF8.GetBytes("Checkpoint/UNet.dat")) + 40;
        flipped[data] ^= 0x10;
        LoadCheckpoint(flipped);
        var model = ModelZip();
        LoadModel(model[..(model.Length / 2)]);
    }

    private static int IndexOf(byte[] haystack, byte[] needle, int from = 0)
    {
        for (int i = from; i + needle.Length <= haystack.Length; i++)
            if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle)) return i;
        throw new InvalidOperationException("pattern not found");
    }
}
