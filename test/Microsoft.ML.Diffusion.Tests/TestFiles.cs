using Microsoft.ML.Data;

namespace Microsoft.ML.Diffusion.Tests;

/// <summary>Temporary folders and synthetic images created by the tests themselves.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mltests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

internal static class Images
{
    /// <summary>A BGRA image whose pixel (x, y) is (B = x * 7 + y, G = y * 13, R = x * 3 + 50, A = 255) mod 256.</summary>
    public static MLImage Pattern(int width, int height, byte alpha = 255)
    {
        var pixels = new byte[width * height * 4];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int i = 4 * (y * width + x);
                pixels[i] = (byte)(x * 7 + y);
                pixels[i + 1] = (byte)(y * 13);
                pixels[i + 2] = (byte)(x * 3 + 50);
                pixels[i + 3] = alpha;
            }
        }
        return MLImage.CreateFromPixels(width, height, MLPixelFormat.Bgra32, pixels);
    }

    public static byte[] GrayBytes(int width, int height) =>
        Enumerable.Range(0, width * height).Select(i => (byte)(i * 37 % 251)).ToArray();
}
