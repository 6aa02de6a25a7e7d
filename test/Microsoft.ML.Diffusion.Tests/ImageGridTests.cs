using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace Microsoft.ML.Diffusion.Tests;

[TestClass]
public class ImageGridTests
{
    private sealed class ImageRow
    {
        [ImageType(3, 2)]
        public MLImage Image { get; set; } = null!;

        public int Id { get; set; }
    }

    private sealed class FileRow
    {
        public string Path { get; set; } = "";
    }

    /// <summary>A 2-wide, 3-high Bgra32 image whose every pixel is (b = id, g = 10·y + x, r = 200, a = 255).</summary>
    private static MLImage Tile(int id, int width = 2, int height = 3)
    {
        var pixels = new byte[width * height * 4];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                int i = 4 * (y * width + x);
                pixels[i] = (byte)id;
                pixels[i + 1] = (byte)(10 * y + x);
                pixels[i + 2] = 200;
                pixels[i + 3] = 255;
            }
        return MLImage.CreateFromPixels(width, height, MLPixelFormat.Bgra32, pixels);
    }

    private static (byte B, byte G, byte R, byte A) Pixel(MLImage image, int x, int y)
    {
        var p = image.Pixels;
        int i = 4 * (y * image.Width + x);
        return (p[i], p[i + 1], p[i + 2], p[i + 3]);
    }

    private static IDataView View(MLContext ml, int count) =>
        ml.Data.LoadFromEnumerable(Enumerable.Range(0, count).Select(i => new ImageRow { Image = Tile(i + 1), Id = i }).ToList());

    [TestMethod]
    public void GeometryAndTilesFromADataView()
    {
        var ml = new MLContext(1);
        var grid = ImageGrid.Create(View(ml, 5), "Image", columns: 3, padding: 1, paddingGray: 7);

        // 3 columns × 2 rows of 2×3 tiles with 1 pixel around and between them.
        Assert.AreEqual(3 * 2 + 4 * 1, grid.Width);
        Assert.AreEqual(2 * 3 + 3 * 1, grid.Height);
        Assert.AreEqual(MLPixelFormat.Bgra32, grid.PixelFormat);

        for (int k = 0; k < 5; k++)
        {
            int left = 1 + (k % 3) * 3, top = 1 + (k / 3) * 4;
            for (int y = 0; y < 3; y++)
                for (int x = 0; x < 2; x++)
                    Assert.AreEqual(((byte)(k + 1), (byte)(10 * y + x), (byte)200, (byte)255), Pixel(grid, left + x, top + y), $"tile {k} pixel ({x}, {y})");
        }
        Assert.AreEqual(((byte)7, (byte)7, (byte)7, (byte)255), Pixel(grid, 0, 0), "border");
        Assert.AreEqual(((byte)7, (byte)7, (byte)7, (byte)255), Pixel(grid, 3, 1), "gap between tiles 0 and 1");
        Assert.AreEqual(((byte)7, (byte)7, (byte)7, (byte)255), Pixel(grid, 7, 5), "the empty sixth tile");
    }

    [TestMethod]
    public void FewerImagesThanColumnsMakeOneNarrowRow()
    {
        var grid = ImageGrid.Create([Tile(1), Tile(2)], columns: 8, padding: 2);
        Assert.AreEqual(2 * 2 + 3 * 2, grid.Width);
        Assert.AreEqual(3 + 2 * 2, grid.Height);
        Assert.AreEqual(2, Pixel(grid, 2 + 2 + 2, 2).B, "second tile starts after tile, gap");
    }

    [TestMethod]
    public void MaxImagesStopsReading()
    {
        var ml = new MLContext(1);
        var grid = ImageGrid.Create(View(ml, 10), "Image", columns: 2, padding: 0, maxImages: 4);
        Assert.AreEqual(4, grid.Width);
        Assert.AreEqual(6, grid.Height);
        Assert.AreEqual(4, Pixel(grid, 3, 5).B, "the fourth image is bottom right");
    }

    [TestMethod]
    public void RgbaInputsAreConvertedToBgra()
    {
        var rgba = MLImage.CreateFromPixels(1, 1, MLPixelFormat.Rgba32, new byte[] { 10, 20, 30, 255 });
        var grid = ImageGrid.Create([rgba], padding: 0);
        Assert.AreEqual(((byte)30, (byte)20, (byte)10, (byte)255), Pixel(grid, 0, 0));
    }

    [TestMethod]
    public void GrayImagesMakeAGrayPng()
    {
        var ml = new MLContext(1);
        var data = FashionMnist.Load(ml, FashionMnistSplit.Test);
        var grid = ImageGrid.Create(data, "Image", columns: 4, padding: 2, maxImages: 8);
        Assert.AreEqual(4 * 28 + 5 * 2, grid.Width);
        Assert.AreEqual(2 * 28 + 3 * 2, grid.Height);
        var path = Path.Combine(Path.GetTempPath(), $"grid-{Guid.NewGuid():N}.png");
        try
        {
            grid.Save(path);
            var loaded = MLImage.CreateFromFile(path);
            Assert.AreEqual(grid.Width, loaded.Width);
            CollectionAssert.AreEqual(grid.Pixels.ToArray(), loaded.Pixels.ToArray(), "PNG round trip");
            // ML.NET has no 1-channel image: gray tiles and padding are BGRA with B = G = R.
            var pixels = loaded.Pixels;
            for (int i = 0; i < pixels.Length; i += 4)
                Assert.IsTrue(pixels[i] == pixels[i + 1] && pixels[i + 1] == pixels[i + 2], $"pixel {i / 4} is not gray");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void MissingColumnIsNamed()
    {
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ImageGrid.Create(View(new MLContext(1), 2), "Generated"));
        StringAssert.Contains(e.Message, "'Generated'");
        StringAssert.Contains(e.Message, "'Image', 'Id'");
    }

    [TestMethod]
    public void NonImageColumnIsNamed()
    {
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ImageGrid.Create(View(new MLContext(1), 2), "Id"));
        StringAssert.Contains(e.Message, "column 'Id'");
        StringAssert.Contains(e.Message, "expected Image");
    }

    [TestMethod]
    public void DifferentSizesAreNamed()
    {
        var ml = new MLContext(1);
        // Images of unknown size come from files (LoadFromEnumerable needs a fixed [ImageType] size).
        var folder = Directory.CreateTempSubdirectory("grid-sizes-").FullName;
        try
        {
            Tile(1).Save(Path.Combine(folder, "a.png"));
            Tile(2, width: 4).Save(Path.Combine(folder, "b.png"));
            var files = ml.Data.LoadFromEnumerable(new List<FileRow> { new() { Path = "a.png" }, new() { Path = "b.png" } });
            var data = ml.Transforms.LoadImages("Image", folder, "Path").Fit(files).Transform(files);
            var e = Assert.ThrowsExactly<ArgumentException>(() => ImageGrid.Create(data, "Image"));
            StringAssert.Contains(e.Message, "Column 'Image'");
            StringAssert.Contains(e.Message, "row 0 is 2×3 but row 1 is 4×3");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        var list = Assert.ThrowsExactly<ArgumentException>(() => ImageGrid.Create([Tile(1), Tile(2, height: 5)]));
        StringAssert.Contains(list.Message, "image 1 is 2×5");
    }

    [TestMethod]
    public void EmptyInputAndBadLayoutAreRejected()
    {
        var ml = new MLContext(1);
        var empty = Assert.ThrowsExactly<ArgumentException>(() => ImageGrid.Create(View(ml, 0), "Image"));
        StringAssert.Contains(empty.Message, "Column 'Image' has no images");
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ImageGrid.Create([Tile(1)], columns: 0));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ImageGrid.Create([Tile(1)], padding: -1));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ImageGrid.Create([Tile(1)], maxImages: 0));
        Assert.ThrowsExactly<ArgumentException>(() => ImageGrid.Create([Tile(1), null!]));
    }
}
