using System.IO.Compression;
using Microsoft.ML.Data;

namespace Microsoft.ML.Diffusion.Tests;

[TestClass]
public sealed class FashionMnistTests
{
    private static readonly string Dir = FashionMnist.DefaultDirectory;

    public sealed class VectorRow
    {
        public uint Label { get; set; }

        [VectorType(1, 28, 28)]
        public float[] Image { get; set; } = Array.Empty<float>();
    }

    // Reads the raw IDX bytes independently of the loader: header then the first 784 pixels and first label.
    private static (long Sum, byte Label, int Count) FirstImageRaw(string prefix)
    {
        byte[] Read(string name, int bytes)
        {
            using var gz = new GZipStream(File.OpenRead(Path.Combine(Dir, name)), CompressionMode.Decompress);
            var buffer = new byte[bytes];
            gz.ReadExactly(buffer);
            return buffer;
        }
        var images = Read($"{prefix}-images-idx3-ubyte.gz", 16 + 784);
        var labels = Read($"{prefix}-labels-idx1-ubyte.gz", 9);
        int count = (images[4] << 24) | (images[5] << 16) | (images[6] << 8) | images[7];
        long sum = 0;
        for (int i = 0; i < 784; i++)
            sum += images[16 + i] * (long)(i + 1);
        return (sum, labels[8], count);
    }

    [TestMethod]
    public void TrainSplitHas60000RowsAndTheFirstImageMatchesTheRawFile()
    {
        if (!Directory.Exists(Dir))
            Assert.Inconclusive($"{Dir} is not installed (apt package {FashionMnist.AptPackage}).");
        var ml = new MLContext(1);
        var data = FashionMnist.Load(ml, FashionMnistSplit.Train, imageKind: FashionMnistImageKind.Vector);
        Assert.AreEqual(60_000L, data.GetRowCount());
        Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, 1, 28, 28), data.Schema["Image"].Type);
        var raw = FirstImageRaw("train");
        Assert.AreEqual(60_000, raw.Count);
        var first = ml.Data.CreateEnumerable<VectorRow>(data, false).First();
        Assert.AreEqual((uint)raw.Label, first.Label);
        Assert.AreEqual(raw.Sum, first.Image.Select((v, i) => (long)v * (i + 1)).Sum());
    }

    [TestMethod]
    public void TestSplitHas10000GrayImages()
    {
        if (!Directory.Exists(Dir))
            Assert.Inconclusive($"{Dir} is not installed (apt package {FashionMnist.AptPackage}).");
        var ml = new MLContext(1);
        var data = FashionMnist.Load(ml, FashionMnistSplit.Test, Dir);
        Assert.AreEqual(10_000L, data.GetRowCount());
        var labels = data.GetColumn<uint>("Label").ToList();
        Assert.AreEqual(10_000, labels.Count);
        var raw = FirstImageRaw("t10k");
        using var image = data.GetImages("Image").First();
        Assert.AreEqual(28, image.Width);
        var pixels = image.Pixels;
        long sum = 0;
        for (int i = 0; i < 784; i++)
        {
            Assert.AreEqual(pixels[4 * i], pixels[4 * i + 2]);
            sum += pixels[4 * i] * (long)(i + 1);
        }
        Assert.AreEqual(raw.Sum, sum);
        Assert.IsTrue(labels.All(l => l <= 9));
    }

    [TestMethod]
    public void MissingDataNamesTheAptPackage()
    {
        string missing = Path.Combine(Path.GetTempPath(), "no-fashion-mnist-" + Guid.NewGuid().ToString("N"));
        var ex = Assert.ThrowsExactly<FileNotFoundException>(() => FashionMnist.Load(new MLContext(1), FashionMnistSplit.Train, missing));
        StringAssert.Contains(ex.Message, "dataset-fashion-mnist");
        StringAssert.Contains(ex.Message, missing);
    }

    [TestMethod]
    public void WrongMagicNumberIsRejected()
    {
        string dir = Path.Combine(Path.GetTempPath(), "bad-fashion-mnist-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            void Write(string name, byte[] content)
            {
                using var gz = new GZipStream(File.Create(Path.Combine(dir, name)), CompressionLevel.Fastest);
                gz.Write(content);
            }
            // Labels written with the image magic (0x803): the loader must refuse them by name.
            Write("t10k-labels-idx1-ubyte.gz", new byte[] { 0, 0, 8, 3, 0, 0, 0, 1, 5 });
            Write("t10k-images-idx3-ubyte.gz", new byte[] { 0, 0, 8, 3, 0, 0, 0, 0, 0, 0, 0, 28, 0, 0, 0, 28 });
            var ex = Assert.ThrowsExactly<InvalidDataException>(() => FashionMnist.Load(new MLContext(1), FashionMnistSplit.Test, dir));
            StringAssert.Contains(ex.Message, "t10k-labels-idx1-ubyte.gz");
            StringAssert.Contains(ex.Message, "0x00000801");

            // A label count that disagrees with the data is refused too.
            Write("t10k-labels-idx1-ubyte.gz", new byte[] { 0, 0, 8, 1, 0, 0, 0, 2, 5 });
            var count = Assert.ThrowsExactly<InvalidDataException>(() => FashionMnist.Load(new MLContext(1), FashionMnistSplit.Test, dir));
            StringAssert.Contains(count.Message, "declares 2 labels");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
