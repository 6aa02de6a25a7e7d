// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;
using static Microsoft.ML.Transforms.Image.ImagePixelExtractingEstimator;

namespace Microsoft.ML;

/// <summary>Image transforms on <see cref="TransformsCatalog"/>: load, resize, extract pixels, convert back, grayscale.</summary>
public static class ImageEstimatorsCatalog
{
    /// <summary>Converts images to grayscale.</summary>
    public static ImageGrayscalingEstimator ConvertToGrayscale(this TransformsCatalog catalog, string outputColumnName, string? inputColumnName = null) =>
        new(catalog.GetEnvironment(), (outputColumnName, inputColumnName ?? outputColumnName));

    /// <summary>Loads the image files named by <paramref name="inputColumnName"/>, relative to <paramref name="imageFolder"/>.</summary>
    public static ImageLoadingEstimator LoadImages(this TransformsCatalog catalog, string outputColumnName, string imageFolder, string? inputColumnName = null) =>
        new(catalog.GetEnvironment(), imageFolder, (outputColumnName, inputColumnName ?? outputColumnName));

    /// <summary>Extracts pixels as a planar (C, H, W) vector by default, each value <c>(pixel - offsetImage) * scaleImage</c>.</summary>
    public static ImagePixelExtractingEstimator ExtractPixels(this TransformsCatalog catalog,
        string outputColumnName,
        string? inputColumnName = null,
        ColorBits colorsToExtract = ColorBits.Rgb,
        ColorsOrder orderOfExtraction = ColorsOrder.ARGB,
        bool interleavePixelColors = false,
        float offsetImage = 0f,
        float scaleImage = 1f,
        bool outputAsFloatArray = true) =>
        new(catalog.GetEnvironment(), outputColumnName, inputColumnName, colorsToExtract, orderOfExtraction, interleavePixelColors, offsetImage, scaleImage, outputAsFloatArray);

    /// <summary>Resizes images to <paramref name="imageWidth"/> x <paramref name="imageHeight"/> (note: width first here).</summary>
    public static ImageResizingEstimator ResizeImages(this TransformsCatalog catalog,
        string outputColumnName,
        int imageWidth,
        int imageHeight,
        string? inputColumnName = null,
        ImageResizingEstimator.ResizingKind resizing = ImageResizingEstimator.ResizingKind.IsoCrop,
        ImageResizingEstimator.Anchor cropAnchor = ImageResizingEstimator.Anchor.Center) =>
        new(catalog.GetEnvironment(), outputColumnName, imageWidth, imageHeight, inputColumnName, resizing, cropAnchor);

    /// <summary>
    /// Converts pixel vectors to images of <paramref name="imageHeight"/> x <paramref name="imageWidth"/> (note: height
    /// first here). Unlike upstream, the default colours are honoured and values are clamped (see
    /// <see cref="VectorToImageConvertingTransformer"/>).
    /// </summary>
    public static VectorToImageConvertingEstimator ConvertToImage(this TransformsCatalog catalog, int imageHeight, int imageWidth, string outputColumnName, string? inputColumnName = null,
        ColorBits colorsPresent = ColorBits.Rgb,
        ColorsOrder orderOfColors = ColorsOrder.ARGB,
        bool interleavedColors = false,
        float scaleImage = 1f,
        float offsetImage = 0f,
        int defaultAlpha = 255,
        int defaultRed = 0,
        int defaultGreen = 0,
        int defaultBlue = 0) =>
        new(catalog.GetEnvironment(),
            new VectorToImageConvertingTransformer.Options(imageHeight, imageWidth, colorsPresent, orderOfColors, interleavedColors, scaleImage, offsetImage, defaultAlpha, defaultRed, defaultGreen, defaultBlue),
            outputColumnName, inputColumnName);
}
