using System.Text;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;
using static Microsoft.ML.Transforms.Image.ImagePixelExtractingEstimator;
using static Microsoft.ML.Transforms.Image.ImageResizingEstimator;

namespace Microsoft.ML.Tests;

[TestClass]
public sealed class ImageTests
{
    public sealed class PathRow
    {
        public string Path { get; set; } = "";
    }

    public sealed class ImageRow
    {
        public MLImage? Image { get; set; }
    }

    [TestMethod]
    public void PngRoundTripIsBitExactForRgbRgbaAndGray()
    {
        using var folder = new TempFolder();
        foreach (var (image, name) in new[]
        {
            (Images.Pattern(7, 5), "rgb.png"),
            (Images.Pattern(7, 5, alpha: 128), "rgba.png"),
            (MLImage.CreateGrayscale(6, 4, Images.GrayBytes(6, 4)), "gray.png"),
        })
        {
            string path = folder.File(name);
            image.Save(path);
            var back = MLImage.CreateFromFile(path);
            Assert.AreEqual(image.Width, back.Width);
            Assert.AreEqual(image.Height, back.Height);
            Assert.AreEqual(MLPixelFormat.Bgra32, back.PixelFormat);
            CollectionAssert.AreEqual(image.Pixels.ToArray(), back.Pixels.ToArray(), name);
        }
    }

    [TestMethod]
    public void GrayPngStaysOneChannelAndRgbStaysColour()
    {
        using var folder = new TempFolder();
        string gray = folder.File("gray.png");
        MLImage.CreateGrayscale(6, 4, Images.GrayBytes(6, 4)).Save(gray);
        // PNG IHDR colour type (byte 25): 0 = gray, 2 = RGB, 6 = RGBA.
        Assert.AreEqual(0, File.ReadAllBytes(gray)[25]);
        var loaded = MLImage.CreateFromFile(gray);
        Assert.IsTrue(loaded.IsGrayscale);
        string again = folder.File("again.png");
        loaded.Save(again);
        CollectionAssert.AreEqual(File.ReadAllBytes(gray), File.ReadAllBytes(again));

        string rgb = folder.File("rgb.png");
        Images.Pattern(3, 3).Save(rgb);
        Assert.AreEqual(2, File.ReadAllBytes(rgb)[25]);
        Assert.IsFalse(MLImage.CreateFromFile(rgb).IsGrayscale);
    }

    [TestMethod]
    public void RgbaAndBgraPixelsAgreeAndBgrDropsAlpha()
    {
        var bgra = Images.Pattern(2, 1, alpha: 9);
        var raw = bgra.Pixels.ToArray();
        var swapped = new byte[raw.Length];
        for (int i = 0; i < raw.Length; i += 4)
        {
            swapped[i] = raw[i + 2];
            swapped[i + 1] = raw[i + 1];
            swapped[i + 2] = raw[i];
            swapped[i + 3] = raw[i + 3];
        }
        var rgba = MLImage.CreateFromPixels(2, 1, MLPixelFormat.Rgba32, swapped);
        CollectionAssert.AreEqual(bgra.GetBGRPixels, rgba.GetBGRPixels);
        CollectionAssert.AreEqual(new[] { raw[0], raw[1], raw[2], raw[4], raw[5], raw[6] }, bgra.GetBGRPixels);
        Assert.ThrowsExactly<ArgumentException>(() => MLImage.CreateFromPixels(2, 2, MLPixelFormat.Bgra32, new byte[3]));
        rgba.Dispose();
        Assert.ThrowsExactly<InvalidOperationException>(() => rgba.Width);
    }

    [TestMethod]
    public void GrayscaleUsesUpstreamWeights()
    {
        var ml = new MLContext(1);
        var pixels = new byte[] { 200, 100, 50, 255 }; // B, G, R, A
        var data = ml.Data.LoadFromEnumerable(new[] { new ImageRow { Image = MLImage.CreateFromPixels(1, 1, MLPixelFormat.Bgra32, pixels) } });
        var gray = ml.Data.CreateEnumerable<ImageRow>(ml.Transforms.ConvertToGrayscale("Image").Fit(data).Transform(data), false).Single().Image!;
        byte expected = (byte)Math.Round(0.3 * 50 + 0.59 * 100 + 0.11 * 200);
        CollectionAssert.AreEqual(new byte[] { expected, expected, expected, 255 }, gray.Pixels.ToArray());
        Assert.IsTrue(gray.IsGrayscale);
    }

    [TestMethod]
    public void ResizeProducesTargetSizeForEveryKind()
    {
        var source = Images.Pattern(8, 4);
        foreach (ResizingKind kind in Enum.GetValues<ResizingKind>())
        {
            foreach (Anchor anchor in Enum.GetValues<Anchor>())
            {
                var resized = ImageOps.Resize(source, 5, 6, kind, anchor);
                Assert.AreEqual(5, resized.Width, $"{kind} {anchor}");
                Assert.AreEqual(6, resized.Height, $"{kind} {anchor}");
            }
        }
        Assert.AreSame(source, ImageOps.Resize(source, 8, 4, ResizingKind.Fill, Anchor.Center));
    }

    [TestMethod]
    public void IsoCropAnchorsKeepTheNamedSide()
    {
        // A 4x2 image whose left half is black and right half white, cropped to 2x2: Left keeps black, Right white.
        var pixels = new byte[4 * 2 * 4];
        for (int y = 0; y < 2; y++)
        {
            for (int x = 0; x < 4; x++)
            {
                byte v = x < 2 ? (byte)0 : (byte)255;
                int i = 4 * (y * 4 + x);
                pixels[i] = pixels[i + 1] = pixels[i + 2] = v;
                pixels[i + 3] = 255;
            }
        }
        var image = MLImage.CreateFromPixels(4, 2, MLPixelFormat.Bgra32, pixels);
        Assert.IsTrue(ImageOps.Resize(image, 2, 2, ResizingKind.IsoCrop, Anchor.Left).Pixels.ToArray().Where((_, i) => i % 4 != 3).All(b => b == 0));
        Assert.IsTrue(ImageOps.Resize(image, 2, 2, ResizingKind.IsoCrop, Anchor.Right).Pixels.ToArray().All(b => b == 255));

        // A 2x4 image whose top half is black: Top keeps black, Bottom white.
        var tall = MLImage.CreateFromPixels(2, 4, MLPixelFormat.Bgra32, Enumerable.Range(0, 8).SelectMany(p => p < 4 ? new byte[] { 0, 0, 0, 255 } : new byte[] { 255, 255, 255, 255 }).ToArray());
        Assert.IsTrue(ImageOps.Resize(tall, 2, 2, ResizingKind.IsoCrop, Anchor.Top).Pixels.ToArray().Where((_, i) => i % 4 != 3).All(b => b == 0));
        Assert.IsTrue(ImageOps.Resize(tall, 2, 2, ResizingKind.IsoCrop, Anchor.Bottom).Pixels.ToArray().All(b => b == 255));

        // IsoPad fits the 4x2 image into 4x4 with opaque black bands above and below.
        var padded = ImageOps.Resize(image, 4, 4, ResizingKind.IsoPad, Anchor.Center).Pixels.ToArray();
        Assert.AreEqual(0, padded[4 * 3]);
        Assert.AreEqual(255, padded[4 * 3 + 3]);
        Assert.AreEqual(255, padded[4 * (1 * 4 + 3)]);
    }

    [TestMethod]
    public void ExtractPixelsThenConvertToImageRoundTrips()
    {
        var ml = new MLContext(1);
        var image = Images.Pattern(5, 3);
        var data = ml.Data.LoadFromEnumerable(new[] { new ImageRow { Image = image } });
        foreach (bool interleave in new[] { false, true })
        {
            var model = ml.Transforms.ResizeImages("Sized", 5, 3, "Image")
                .Append(ml.Transforms.ExtractPixels("Vec", "Sized", ColorBits.All, ColorsOrder.ABGR, interleave, offsetImage: 127.5f, scaleImage: 1 / 127.5f))
                .Append(ml.Transforms.ConvertToImage(3, 5, "Back", "Vec", ColorBits.All, ColorsOrder.ABGR, interleave, scaleImage: 127.5f, offsetImage: -127.5f))
                .Fit(data);
            var output = model.Transform(data);
            Assert.AreEqual(new VectorDataViewType(NumberDataViewType.Single, interleave ? new[] { 3, 5, 4 } : new[] { 4, 3, 5 }), output.Schema["Vec"].Type);
            var back = ml.Data.CreateEnumerable<BackRow>(output, false).Single().Back!;
            CollectionAssert.AreEqual(image.Pixels.ToArray(), back.Pixels.ToArray(), $"interleave={interleave}");
        }
    }

    [TestMethod]
    public void ExtractPixelsPlanarLayoutAndValues()
    {
        var ml = new MLContext(1);
        var image = Images.Pattern(2, 2);
        var data = ml.Data.LoadFromEnumerable(new[] { new ImageRow { Image = image } });
        var output = ml.Transforms.ResizeImages("S", 2, 2, "Image").Append(ml.Transforms.ExtractPixels("V", "S", offsetImage: 10, scaleImage: 0.5f)).Fit(data).Transform(data);
        var values = ml.Data.CreateEnumerable<VecRow>(output, false).Single().V;
        var p = image.Pixels;
        // Planes R, G, B (ARGB order without alpha); pixel 1 is (x=1, y=0).
        Assert.AreEqual((p[4 + 2] - 10) * 0.5f, values[1]);
        Assert.AreEqual((p[4 + 1] - 10) * 0.5f, values[4 + 1]);
        Assert.AreEqual((p[4 + 0] - 10) * 0.5f, values[8 + 1]);
    }

    [TestMethod]
    public void ConvertToImageClampsAndHonoursDefaults()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(new[] { new RedRow { Red = new[] { -40f, 300f } } });
        var back = ml.Data.CreateEnumerable<BackRow>(
            ml.Transforms.ConvertToImage(1, 2, "Back", "Red", ColorBits.Red, scaleImage: 1f, offsetImage: 0f, defaultAlpha: 200, defaultGreen: 7, defaultBlue: 9).Fit(data).Transform(data), false).Single().Back!;
        // BGRA: blue 9, green 7, red clamped to 0 and 255, alpha 200.
        CollectionAssert.AreEqual(new byte[] { 9, 7, 0, 200, 9, 7, 255, 200 }, back.Pixels.ToArray());

        var scaled = ml.Data.CreateEnumerable<BackRow>(
            ml.Transforms.ConvertToImage(1, 2, "Back", "Red", ColorBits.Red, scaleImage: 127.5f, offsetImage: -127.5f).Fit(data).Transform(data), false).Single().Back!;
        Assert.AreEqual(255, scaled.Pixels[3], "alpha defaults to 255 in the scaled branch too");
        Assert.AreEqual(0, scaled.Pixels[2]);
    }

    [TestMethod]
    public void ExtractPixelsNeedsAKnownSize()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(new[] { new ImageRow { Image = Images.Pattern(2, 2) } });
        var ex = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.Transforms.ExtractPixels("V", "Image").Fit(data));
        StringAssert.Contains(ex.Message, "'Image'");
        StringAssert.Contains(ex.Message, "known-size image");
    }

    [TestMethod]
    public void LoadImagesReadsFilesAndNamesBadOnes()
    {
        var ml = new MLContext(1);
        using var folder = new TempFolder();
        Images.Pattern(3, 2).Save(folder.File("a.png"));
        File.WriteAllBytes(folder.File("bad.png"), Encoding.ASCII.GetBytes("not an image at all"));
        var good = ml.Data.LoadFromEnumerable(new[] { new PathRow { Path = "a.png" } });
        var loaded = ml.Data.CreateEnumerable<ImageRow>(ml.Transforms.LoadImages("Image", folder.Path, "Path").Fit(good).Transform(good), false).Single().Image!;
        Assert.AreEqual(3, loaded.Width);
        Assert.AreEqual(folder.File("a.png"), loaded.Tag);

        foreach (var (file, type) in new[] { ("bad.png", typeof(ArgumentException)), ("missing.png", typeof(FileNotFoundException)) })
        {
            var data = ml.Data.LoadFromEnumerable(new[] { new PathRow { Path = file } });
            var view = ml.Transforms.LoadImages("Image", folder.Path, "Path").Fit(data).Transform(data);
            var ex = Assert.Throws<Exception>(() => ml.Data.CreateEnumerable<ImageRow>(view, false).ToList());
            Assert.IsInstanceOfType(ex, type);
            StringAssert.Contains(ex.Message, folder.File(file));
        }
        Assert.ThrowsExactly<FileNotFoundException>(() => MLImage.CreateFromFile(folder.File("nope.jpg")));
    }

    [TestMethod]
    public void JpegAndBmpEncodeThroughOpenCv()
    {
        using var folder = new TempFolder();
        var image = Images.Pattern(16, 16);
        image.Save(folder.File("a.bmp"));
        CollectionAssert.AreEqual(image.Pixels.ToArray(), MLImage.CreateFromFile(folder.File("a.bmp")).Pixels.ToArray());
        image.Save(folder.File("a.jpg"));
        var jpeg = MLImage.CreateFromFile(folder.File("a.jpg"));
        Assert.AreEqual(16, jpeg.Width);
        var diff = image.Pixels.ToArray().Zip(jpeg.Pixels.ToArray(), (a, b) => Math.Abs(a - b)).Average();
        Assert.IsTrue(diff < 8, $"mean JPEG error {diff}");
        var bad = Assert.ThrowsExactly<ArgumentException>(() => image.Save(folder.File("a.txt")));
        StringAssert.Contains(bad.Message, "a.txt");
    }

    public sealed class BackRow
    {
        public MLImage? Back { get; set; }
    }

    public sealed class VecRow
    {
        public float[] V { get; set; } = Array.Empty<float>();
    }

    public sealed class RedRow
    {
        [VectorType(1, 1, 2)]
        public float[] Red { get; set; } = Array.Empty<float>();
    }
}
