using System.IO.Compression;
using Microsoft.ML.Data;

namespace Microsoft.ML.Diffusion.Tests;

/// <summary>Shared helpers of the checkpoint, hostile-file and fuzz tests.</summary>
internal static class CheckpointTestKit
{
    public static string NewFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"diffusion-ckpt-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        return folder;
    }

    public static void DeleteFolder(string folder)
    {
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
    }

    /// <summary>Tiny options with dropout and warmup, so a resume must restore the RNG and the schedule position.</summary>
    public static DiffusionEstimator.Options Options(int steps, string? folder = null)
    {
        var o = TinyData.Options(steps);
        o.Dropout = 0.1;
        o.WarmupSteps = 5;
        o.CheckpointFolder = folder;
        return o;
    }

    public static DiffusionSamplerTransformer Fit(DiffusionEstimator.Options options, int rows = 6)
    {
        var ml = new MLContext(seed: 1);
        return ml.Transforms.Diffusion(options).Fit(ml.Data.LoadFromEnumerable(TinyData.Rows(rows).ToList()));
    }

    private static byte[]? s_tinyModelZip;

    /// <summary>The model zip of a tiny model trained 2 steps, made once per test run; callers must not change the array.</summary>
    public static byte[] TinyModelZip()
    {
        if (s_tinyModelZip is null)
            using (var model = Fit(TinyData.Options(steps: 2)))
                s_tinyModelZip = ModelZip(model);
        return s_tinyModelZip;
    }

    /// <summary>The model zip of a trained transformer.</summary>
    public static byte[] ModelZip(DiffusionSamplerTransformer model)
    {
        var ml = new MLContext(seed: 1);
        using var stream = new MemoryStream();
        ml.Model.Save(model, null, stream);
        return stream.ToArray();
    }

    /// <summary>Asserts that two model zips hold the same weights, EMA weights and loss history, byte for byte.</summary>
    public static void AssertSameTraining(byte[] straight, byte[] resumed)
    {
        var a = Entries(straight);
        var b = Entries(resumed);
        foreach (var entry in new[] { "TransformerChain/UNet.dat", "TransformerChain/Ema.dat", "TransformerChain/LossHistory.bin" })
            CollectionAssert.AreEqual(a[entry], b[entry], $"{entry} differs between the straight run and the resumed one");
    }

    /// <summary>The uncompressed bytes of every entry of a zip.</summary>
    public static Dictionary<string, byte[]> Entries(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        return archive.Entries.ToDictionary(e => e.FullName, e =>
        {
            using var s = e.Open();
            using var m = new MemoryStream();
            s.CopyTo(m);
            return m.ToArray();
        });
    }

    /// <summary>A zip of the given entries, in order, with correct sizes and CRCs.</summary>
    public static byte[] Zip(IEnumerable<KeyValuePair<string, byte[]>> entries)
    {
        using var stream = new MemoryStream();
        using (var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, bytes) in entries)
            {
                using var s = archive.CreateEntry(name, CompressionLevel.Fastest).Open();
                s.Write(bytes);
            }
        return stream.ToArray();
    }

    /// <summary>The zip with one entry's uncompressed bytes replaced.</summary>
    public static byte[] Rewrite(byte[] zip, string name, Func<byte[], byte[]> change)
    {
        var entries = Entries(zip);
        Assert.IsTrue(entries.ContainsKey(name), $"no entry {name}");
        return Zip(entries.Select(e => e.Key == name ? new KeyValuePair<string, byte[]>(e.Key, change(e.Value)) : e));
    }

    /// <summary>The bytes of the newest checkpoint a tiny run writes.</summary>
    public static byte[] TinyCheckpoint(int steps = 3)
    {
        var folder = NewFolder();
        try
        {
            using (Fit(Options(steps, folder))) { }
            return File.ReadAllBytes(Directory.GetFiles(folder, "checkpoint-*.zip").Single());
        }
        finally
        {
            DeleteFolder(folder);
        }
    }

    /// <summary>A .dat tensor header (dtype code, rank, dims) in LEB128, with no payload.</summary>
    public static byte[] TensorHeader(long dtype, params long[] shape)
    {
        var bytes = new List<byte>();
        void Leb(long v)
        {
            do
            {
                byte b = (byte)(v & 0x7F);
                v >>= 7;
                if (v != 0) b |= 0x80;
                bytes.Add(b);
            } while (v != 0);
        }
        Leb(dtype);
        Leb(shape.Length);
        foreach (var s in shape) Leb(s);
        return [.. bytes];
    }

    /// <summary>A one-tensor state dict whose tensor has the given header and a few payload bytes.</summary>
    public static byte[] StateDictWith(byte[] header)
    {
        using var m = new MemoryStream();
        using var w = new BinaryWriter(m);
        w.Write((byte)1);
        w.Write("conv_in.weight");
        w.Write(header);
        w.Write(new byte[16]);
        w.Flush();
        return m.ToArray();
    }
}
