// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

using Microsoft.ML.Data;
using static Microsoft.ML.Transforms.Image.ImagePixelExtractingEstimator;

namespace Microsoft.ML.Transforms.Image;

/// <summary>Which colour components form the planes of a pixel vector, and where they sit in an <see cref="MLImage"/>.</summary>
internal static class ColorPlanes
{
    public const int A = 0, R = 1, G = 2, B = 3;

    /// <summary>The selected components in <paramref name="order"/>, as component ids A/R/G/B.</summary>
    public static int[] Select(ColorBits colors, ColorsOrder order, string parameter)
    {
        if ((colors & ColorBits.All) == 0 || (colors & ~ColorBits.All) != 0)
            throw new ArgumentOutOfRangeException(parameter, $"The colour bits {colors} must select at least one of Alpha, Red, Green, Blue and nothing else.");
        int[] sequence = order switch
        {
            ColorsOrder.ARGB => new[] { A, R, G, B },
            ColorsOrder.ARBG => new[] { A, R, B, G },
            ColorsOrder.ABRG => new[] { A, B, R, G },
            ColorsOrder.ABGR => new[] { A, B, G, R },
            ColorsOrder.AGRB => new[] { A, G, R, B },
            ColorsOrder.AGBR => new[] { A, G, B, R },
            _ => throw new ArgumentOutOfRangeException(parameter, $"Unknown colour order {(int)order}."),
        };
        return sequence.Where(c => (colors & Bit(c)) != 0).ToArray();
    }

    public static ColorBits Bit(int component) => component switch
    {
        A => ColorBits.Alpha,
        R => ColorBits.Red,
        G => ColorBits.Green,
        _ => ColorBits.Blue,
    };

    /// <summary>The byte offset of <paramref name="component"/> within a 4-byte pixel of <paramref name="format"/>.</summary>
    public static int Offset(int component, MLPixelFormat format) => (component, format) switch
    {
        (A, _) => 3,
        (G, _) => 1,
        (R, MLPixelFormat.Rgba32) => 0,
        (R, _) => 2,
        (B, MLPixelFormat.Rgba32) => 2,
        _ => 0,
    };
}
