using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace Microsoft.ML.Diffusion.Tests;

/// <summary>Image files and image sizes that would train on something other than what the user meant, refused before training naming the row and file.</summary>
[TestClass]
public class BadImageFileTests
{
    private sealed class FileRow
    {
        public string Path { get; set; } = "";
    }

    private sealed class ImageRow
    {
        [ImageType(8, 8)]
        public MLImage Image { get; set; } = null!;
    }

    private static DiffusionEstimator.Options Options(string column = "Image")
    {
        var options = TinyData.Options(steps: 1);
        options.InputColumnName = column;
        return options;
    }

    /// <summary>A 32×32 photo-like file (noise, so the encoder has real data to write), saved as <paramref name="name"/>.</summary>
    private static byte[] SaveNoise(TempFolder folder, string name)
    {
        var random = new Random(3);
        var pixels = new byte[32 * 32 * 4];
        random.NextBytes(pixels);
        for (int i = 3; i < pixels.Length; i += 4) pixels[i] = 255;
        using (var image = MLImage.CreateFromPixels(32, 32, MLPixelFormat.Bgra32, pixels)) image.Save(folder.File(name));
        return File.ReadAllBytes(folder.File(name));
    }

    private static Exception FitFiles(TempFolder folder, params string[] names)
    {
        var ml = new MLContext(1);
        var files = ml.Data.LoadFromEnumerable(names.Select(n => new FileRow { Path = n }).ToList());
        var options = Options("Pixels");
        options.ChannelMultipliers = [1, 2];
        var pipeline = ml.Transforms.LoadImages("Pixels", folder.Path, nameof(FileRow.Path)).Append(ml.Transforms.Diffusion(options));
        return Assert.Throws<Exception>(() => pipeline.Fit(files));
    }

    [TestMethod]
    [DataRow("png")]
    [DataRow("jpg")]
    public void ATruncatedImageFileIsRefusedNamingTheRowAndFile(string extension)
    {
        using var folder = new TempFolder();
        var bytes = SaveNoise(folder, $"good.{extension}");
        File.WriteAllBytes(folder.File($"cut.{extension}"), bytes[..(bytes.Length * 3 / 4)]);
        using (var cut = MLImage.CreateFromFile(folder.File($"cut.{extension}")))
            Assert.AreEqual(32, cut.Width, "the decoder accepts the truncated file, so only its end shows the damage");

        var e = FitFiles(folder, $"good.{extension}", $"cut.{extension}");
        Assert.IsInstanceOfType<InvalidDataException>(e, e.ToString());
        StringAssert.Contains(e.Message, "Row 1 of image column 'Pixels'");
        StringAssert.Contains(e.Message, $"cut.{extension}");
        StringAssert.Contains(e.Message, "truncated");
    }

    [TestMethod]
    public void CompleteFilesPassAndDamagedOnesAreNamed()
    {
        using var folder = new TempFolder();
        var png = SaveNoise(folder, "a.png");
        var jpeg = SaveNoise(folder, "a.jpg");
        Assert.IsNull(ImageFileIntegrity.Problem(png));
        Assert.IsNull(ImageFileIntegrity.Problem(jpeg));
        Assert.IsNull(ImageFileIntegrity.Problem([.. jpeg, .. new byte[5000]]), "data after the end-of-image marker (motion photos) is accepted");
        Assert.IsNull(ImageFileIntegrity.Problem("GIF89a"u8), "formats other than PNG and JPEG are not checked");
        var flipped = (byte[])png.Clone();
        flipped[png.Length / 2] ^= 0x04;
        StringAssert.Contains(ImageFileIntegrity.Problem(flipped), "fails its CRC");
        StringAssert.Contains(ImageFileIntegrity.Problem(jpeg[..^2]), "truncated");
        StringAssert.Contains(ImageFileIntegrity.Problem(png[..^12]), "truncated");
        var random = new Random(5);
        for (int i = 0; i < 2000; i++)
        {
            var source = i % 2 == 0 ? png : jpeg;
            var mutated = source[..random.Next(source.Length)];
            if (mutated.Length > 0) mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            ImageFileIntegrity.Problem(mutated); // never throws, whatever the bytes
        }
    }

    [TestMethod]
    public void ImagesOfAnotherSizeThanImageHeightAndWidthAreRefused()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(new[] { new ImageRow { Image = Images.Pattern(8, 8) } }.ToList());
        var options = Options();
        options.ImageHeight = 16;
        options.ImageWidth = 16;
        var e = Assert.Throws<Exception>(() => ml.Transforms.Diffusion(options).Fit(data));
        StringAssert.Contains(e.Message, "Row 0 of input column 'Image' is 8×8");
        StringAssert.Contains(e.Message, "ImageHeight × ImageWidth = 16×16");
    }

    [TestMethod]
    public void AnImageOfAnotherSizeThanItsColumnTypeDeclaresIsRefused()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(new[] { new ImageRow { Image = Images.Pattern(16, 16) }, new ImageRow { Image = Images.Pattern(16, 16) } }.ToList());
        var e = Assert.Throws<Exception>(() => ml.Transforms.Diffusion(Options()).Fit(data));
        StringAssert.Contains(e.Message, "Row 0 of input column 'Image' is 16×16");
        StringAssert.Contains(e.Message, "declares 8×8");
    }
}
