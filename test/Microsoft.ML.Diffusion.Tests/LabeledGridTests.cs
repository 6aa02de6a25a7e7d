using Microsoft.ML.Data;

namespace Microsoft.ML.Diffusion.Tests;

/// <summary>ImageGrid.CreateLabeled and its built-in 5×7 font.</summary>
[TestClass]
public class LabeledGridTests
{
    private static MLImage Gray(int size, byte value)
    {
        var pixels = new byte[size * size * 4];
        Array.Fill(pixels, value);
        return MLImage.CreateFromPixels(size, size, MLPixelFormat.Bgra32, pixels);
    }

    private static byte At(MLImage image, int x, int y) => image.Pixels[4 * (y * image.Width + x)];

    [TestMethod]
    public void EveryGlyphIsSevenRowsOfFivePixels()
    {
        foreach (char c in BitmapFont.Characters)
            for (int y = 0; y < BitmapFont.Height; y++)
                for (int x = 0; x < BitmapFont.GlyphWidth; x++)
                    _ = BitmapFont.IsSet(c, x, y); // throws on a short glyph
        // Every Fashion-MNIST class name can be drawn, and every glyph but the space has ink.
        Assert.IsTrue(FashionMnist.ClassNames.All(n => n.All(BitmapFont.Supports)));
        foreach (char c in BitmapFont.Characters.Where(c => c != ' '))
            Assert.IsTrue(Enumerable.Range(0, 35).Any(i => BitmapFont.IsSet(c, i % 5, i / 5)), $"glyph '{c}' is empty");
    }

    [TestMethod]
    public void LabelsSitLeftOfTheirRowsPixelForPixel()
    {
        // 2 rows of 3 tiles of 10×10 (gray 100); labels "Ab" and "7" in black on white.
        var images = Enumerable.Range(0, 6).Select(_ => Gray(10, 100)).ToList();
        using var grid = ImageGrid.CreateLabeled(images, ["Ab", "7"], columns: 3, padding: 2);
        int margin = BitmapFont.Width("Ab") + 2; // 11 + 2
        Assert.AreEqual(margin + 3 * 10 + 4 * 2, grid.Width);
        Assert.AreEqual(2 * 10 + 3 * 2, grid.Height);

        // Text of row r starts at (padding, padding + r·(10 + padding) + (10 − 7)/2).
        void Expect(string text, int top)
        {
            for (int k = 0; k < text.Length; k++)
                for (int y = 0; y < BitmapFont.Height; y++)
                    for (int x = 0; x < BitmapFont.Advance; x++)
                    {
                        bool ink = x < BitmapFont.GlyphWidth && BitmapFont.IsSet(text[k], x, y);
                        Assert.AreEqual(ink ? 0 : 255, At(grid, 2 + k * BitmapFont.Advance + x, top + y), $"'{text[k]}' pixel ({x}, {y})");
                    }
        }
        Expect("Ab", 2 + 1);
        Expect("7", 2 + 12 + 1);
        // Nothing above or below the text, and the tiles start after the margin.
        for (int x = 0; x < margin; x++) Assert.AreEqual(255, At(grid, x, 2));
        Assert.AreEqual(100, At(grid, margin + 2, 2));
        Assert.AreEqual(255, At(grid, margin + 1, 2));
        Assert.AreEqual(100, At(grid, margin + 2 + 2 * 12 + 9, 2 + 12 + 9));
    }

    [TestMethod]
    public void BadLabelsAreNamed()
    {
        var images = Enumerable.Range(0, 4).Select(_ => Gray(8, 0)).ToList();
        var count = Assert.ThrowsExactly<ArgumentException>(() => ImageGrid.CreateLabeled(images, ["a"], columns: 2));
        StringAssert.Contains(count.Message, "1 row labels, but 4 images in rows of 2 make 2 grid rows");
        var glyph = Assert.ThrowsExactly<ArgumentException>(() => ImageGrid.CreateLabeled(images, ["ok", "naïve"], columns: 2));
        StringAssert.Contains(glyph.Message, "Row label 1 ('naïve') has the character 'ï'");
        var low = Assert.ThrowsExactly<ArgumentException>(() => ImageGrid.CreateLabeled([Gray(6, 0)], ["x"]));
        StringAssert.Contains(low.Message, "at least 7");
    }
}
