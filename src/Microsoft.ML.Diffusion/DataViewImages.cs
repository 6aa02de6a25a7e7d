using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace Microsoft.ML.Diffusion;

/// <summary>
/// Reads an image column, such as a <see cref="DiffusionSamplerTransformer"/>'s generated images, out of an
/// <see cref="IDataView"/>. ML.NET's <c>CreateEnumerable</c> and <c>PredictionEngine</c> do not support
/// <see cref="MLImage"/> members, so images are read here with a cursor.
/// </summary>
/// <example>
/// <code>foreach (MLImage image in generator.Transform(requests).GetImages("GeneratedImage")) using (image) image.Save(...);</code>
/// </example>
public static class DataViewImages
{
    /// <summary>The images of column <paramref name="imageColumnName"/> in row order, read lazily with one cursor.</summary>
    /// <param name="data">The rows.</param>
    /// <param name="imageColumnName">An image (<see cref="MLImage"/>) column.</param>
    /// <returns>A copy of each row's image, which the caller owns and disposes (a cursor may reuse or dispose its own).</returns>
    /// <exception cref="ArgumentOutOfRangeException">The column is missing or is not an image column.</exception>
    /// <exception cref="ArgumentException">A row has no image (thrown when that row is reached).</exception>
    public static IEnumerable<MLImage> GetImages(this IDataView data, string imageColumnName = DiffusionEstimator.DefaultColumnNames.GeneratedImage)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentException.ThrowIfNullOrEmpty(imageColumnName);
        var column = data.Schema.GetColumnOrNull(imageColumnName)
            ?? throw new ArgumentOutOfRangeException(nameof(imageColumnName),
                $"Could not find image column '{imageColumnName}'; the data has columns {string.Join(", ", data.Schema.Select(c => $"'{c.Name}'"))}.");
        if (column.Type is not ImageDataViewType)
            throw new ArgumentOutOfRangeException(nameof(imageColumnName),
                $"Schema mismatch for column '{imageColumnName}': expected Image (MLImage), got {column.Type}.");
        return Read(data, column);
    }

    private static IEnumerable<MLImage> Read(IDataView data, DataViewSchema.Column column)
    {
        using var cursor = ImageReading.OpenCursor(data, column);
        var getter = ImageReading.Getter(cursor, column);
        while (cursor.MoveNext())
        {
            MLImage image = null!;
            getter(ref image);
            if (image is null)
                throw new ArgumentException($"Row {cursor.Position} of column '{column.Name}' has no image.", nameof(data));
            yield return MLImage.CreateFromPixels(image.Width, image.Height, image.PixelFormat, image.Pixels);
        }
    }
}
