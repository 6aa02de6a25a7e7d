// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

using static Microsoft.ML.Transforms.Image.ImageResizingEstimator;

namespace Microsoft.ML.Data;

/// <summary>Pixel operations on <see cref="MLImage"/>: resizing and grayscale.</summary>
internal static class ImageOps
{
    /// <summary>
    /// Resizes to <paramref name="width"/> x <paramref name="height"/>. Fill stretches with nearest-neighbour sampling
    /// (as upstream); IsoPad scales to fit, centred, on opaque black; IsoCrop scales to cover and keeps the part
    /// named by <paramref name="anchor"/>. Iso kinds sample bilinearly (upstream uses Skia's Mitchell filter, so
    /// values differ slightly).
    /// </summary>
    public static MLImage Resize(MLImage source, int width, int height, ResizingKind kind, Anchor anchor)
    {
        int sw = source.Width, sh = source.Height;
        if (sw == width && sh == height)
            return source;
        float dx = 0, dy = 0, dw = width, dh = height;
        if (kind != ResizingKind.Fill)
        {
            float wa = (float)width / sw, ha = (float)height / sh;
            float aspect;
            if (kind == ResizingKind.IsoPad)
            {
                aspect = Math.Min(wa, ha);
                dx = (width - sw * aspect) / 2;
                dy = (height - sh * aspect) / 2;
            }
            else if (ha < wa)
            {
                // Width decides the scale; the image overflows vertically and the anchor picks which rows stay.
                aspect = wa;
                dy = anchor switch
                {
                    Anchor.Top => 0,
                    Anchor.Bottom => height - sh * aspect,
                    _ => (height - sh * aspect) / 2,
                };
            }
            else
            {
                aspect = ha;
                dx = anchor switch
                {
                    Anchor.Left => 0,
                    Anchor.Right => width - sw * aspect,
                    _ => (width - sw * aspect) / 2,
                };
            }
            dw = sw * aspect;
            dh = sh * aspect;
        }

        var src = source.RawPixels;
        var dst = new byte[width * height * 4];
        bool nearest = kind == ResizingKind.Fill;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int d = 4 * (y * width + x);
                float fx = (x + 0.5f - dx) * sw / dw - 0.5f;
                float fy = (y + 0.5f - dy) * sh / dh - 0.5f;
                if (fx < -0.5f || fy < -0.5f || fx > sw - 0.5f || fy > sh - 0.5f)
                {
                    dst[d + 3] = 255;
                    continue;
                }
                if (nearest)
                {
                    int s = 4 * (Math.Clamp((int)MathF.Floor(fx + 0.5f), 0, sw - 1) + Math.Clamp((int)MathF.Floor(fy + 0.5f), 0, sh - 1) * sw);
                    dst[d] = src[s];
                    dst[d + 1] = src[s + 1];
                    dst[d + 2] = src[s + 2];
                    dst[d + 3] = src[s + 3];
                    continue;
                }
                fx = Math.Clamp(fx, 0, sw - 1);
                fy = Math.Clamp(fy, 0, sh - 1);
                int x0 = (int)fx, y0 = (int)fy;
                int x1 = Math.Min(x0 + 1, sw - 1), y1 = Math.Min(y0 + 1, sh - 1);
                float tx = fx - x0, ty = fy - y0;
                for (int c = 0; c < 4; c++)
                {
                    float top = src[4 * (y0 * sw + x0) + c] * (1 - tx) + src[4 * (y0 * sw + x1) + c] * tx;
                    float bottom = src[4 * (y1 * sw + x0) + c] * (1 - tx) + src[4 * (y1 * sw + x1) + c] * tx;
                    dst[d + c] = (byte)Math.Clamp(MathF.Round(top * (1 - ty) + bottom * ty), 0, 255);
                }
            }
        }
        return MLImage.Wrap(dst, width, height, source.PixelFormat, source.IsGrayscale);
    }

    /// <summary>Gray = 0.3 R + 0.59 G + 0.11 B (upstream's matrix), alpha kept.</summary>
    public static MLImage Grayscale(MLImage source)
    {
        var src = source.RawPixels;
        var dst = new byte[src.Length];
        bool rgba = source.PixelFormat == MLPixelFormat.Rgba32;
        bool opaque = true;
        for (int i = 0; i < src.Length; i += 4)
        {
            byte r = rgba ? src[i] : src[i + 2];
            byte g = src[i + 1];
            byte b = rgba ? src[i + 2] : src[i];
            byte v = (byte)Math.Clamp(MathF.Round(0.3f * r + 0.59f * g + 0.11f * b), 0, 255);
            dst[i] = dst[i + 1] = dst[i + 2] = v;
            dst[i + 3] = src[i + 3];
            opaque &= src[i + 3] == 255;
        }
        // Only an opaque result can be saved as a 1-channel file without losing alpha.
        return MLImage.Wrap(dst, source.Width, source.Height, source.PixelFormat, opaque);
    }

    /// <summary>Whether every pixel is opaque with R = G = B.</summary>
    public static bool LooksGray(byte[] bgra)
    {
        for (int i = 0; i < bgra.Length; i += 4)
        {
            if (bgra[i] != bgra[i + 1] || bgra[i] != bgra[i + 2] || bgra[i + 3] != 255)
                return false;
        }
        return true;
    }
}
