using Microsoft.ML.Data;

namespace Microsoft.ML.Diffusion;

/// <summary>Gray pixels as an <see cref="MLImage"/>: ML.NET has no single-channel image, so gray is BGRA with B = G = R.</summary>
internal static class GrayImage
{
    public static MLImage Create(int width, int height, ReadOnlySpan<byte> gray)
    {
        var bgra = new byte[4 * gray.Length];
        for (int i = 0; i < gray.Length; i++)
        {
            bgra[4 * i] = bgra[4 * i + 1] = bgra[4 * i + 2] = gray[i];
            bgra[4 * i + 3] = 255;
        }
        return MLImage.CreateFromPixels(width, height, MLPixelFormat.Bgra32, bgra);
    }
}
