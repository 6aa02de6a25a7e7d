using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace Microsoft.ML.Diffusion.Evaluation;

/// <summary>All features (and probabilities) of one image set.</summary>
internal sealed record FeatureSet(List<double[]> Features, List<double[]>? Probabilities)
{
    public int Count => Features.Count;
}

/// <summary>
/// Streams an image column through a feature extractor in batches: MLImage (gray, or colour converted to
/// luminance for 1-channel extractors) or a Single vector of C×H×W mapped by the options' scale and offset.
/// Every problem names the column and row.
/// </summary>
internal static class EvaluationImageReader
{
    // Values a little outside [−1, 1] come from rounding in the user's own scaling and are harmless.
    private const float RangeTolerance = 1e-3f;

    public static FeatureSet Extract(IDataView data, string columnName, IFeatureExtractor extractor, DiffusionEvaluationOptions options, string role)
    {
        ArgumentNullException.ThrowIfNull(data, role);
        ArgumentException.ThrowIfNullOrEmpty(columnName);
        var column = data.Schema.GetColumnOrNull(columnName)
            ?? throw new ArgumentOutOfRangeException(role,
                $"Could not find image column '{columnName}' in the {role} data (expected an Image column or a Vector<Single> of {Shape(extractor)}).");
        int size = extractor.ImageChannels * extractor.ImageHeight * extractor.ImageWidth;
        Func<DataViewRowCursor, Action<float[], int>> bind = column.Type switch
        {
            ImageDataViewType => cursor => ImageRow(cursor, column, extractor),
            VectorDataViewType { ItemType: var item } v when item == NumberDataViewType.Single => cursor => VectorRow(cursor, column, v, extractor, options),
            var other => throw new ArgumentOutOfRangeException(role,
                $"Schema mismatch for image column '{columnName}' in the {role} data: expected Image or Vector<Single> of {Shape(extractor)}, got {other}."),
        };

        var features = new List<double[]>();
        List<double[]>? probabilities = extractor.ClassCount > 0 ? new() : null;
        var batch = new float[options.BatchSize * size];
        int filled = 0;
        void Flush()
        {
            if (filled == 0) return;
            var result = extractor.Extract(batch.AsSpan(0, filled * size), filled);
            Check(result, filled, extractor);
            features.AddRange(result.Features);
            probabilities?.AddRange(result.Probabilities!);
            filled = 0;
        }

        using var cursor = ImageReading.OpenCursor(data, column);
        var read = bind(cursor);
        while (cursor.MoveNext())
        {
            options.CancellationToken.ThrowIfCancellationRequested();
            read(batch, filled * size);
            if (++filled == options.BatchSize) Flush();
        }
        Flush();
        return new FeatureSet(features, probabilities);
    }

    private static string Shape(IFeatureExtractor e) => $"{e.ImageChannels}×{e.ImageHeight}×{e.ImageWidth}";

    private static void Check(ExtractedFeatures result, int count, IFeatureExtractor extractor)
    {
        if (result.Features.Length != count || result.Features.Any(f => f.Length != extractor.FeatureDimension))
            throw new InvalidOperationException(
                $"Feature extractor '{extractor.Name}' returned {result.Features.Length} feature vectors for {count} images, or vectors not of its FeatureDimension {extractor.FeatureDimension}.");
        if (extractor.ClassCount > 0 && (result.Probabilities is null || result.Probabilities.Length != count
            || result.Probabilities.Any(p => p.Length != extractor.ClassCount)))
            throw new InvalidOperationException(
                $"Feature extractor '{extractor.Name}' declares {extractor.ClassCount} classes but did not return {count} probability vectors of that length.");
    }

    private static Action<float[], int> ImageRow(DataViewRowCursor cursor, DataViewSchema.Column column, IFeatureExtractor extractor)
    {
        var getter = ImageReading.Getter(cursor, column);
        MLImage image = null!;
        int h = extractor.ImageHeight, w = extractor.ImageWidth, n = h * w;
        return (target, offset) =>
        {
            getter(ref image);
            if (image is null) throw new InvalidOperationException($"Row {cursor.Position} of image column '{column.Name}' has no image.");
            if (image.Height != h || image.Width != w)
                throw new InvalidOperationException(
                    $"Row {cursor.Position} of image column '{column.Name}' is {image.Width}×{image.Height}; feature extractor '{extractor.Name}' needs {w}×{h} (use ResizeImages).");
            var p = image.Pixels;
            var (r, g, b) = image.PixelFormat == MLPixelFormat.Rgba32 ? (0, 1, 2) : (2, 1, 0);
            if (extractor.ImageChannels == 1)
            {
                for (int i = 0; i < n; i++)
                {
                    int o = 4 * i;
                    // Luminance as ML.NET's ConvertToGrayscale weighs it; exact for gray images.
                    float y = p[o + r] == p[o + g] && p[o + g] == p[o + b] ? p[o + r] : 0.3f * p[o + r] + 0.59f * p[o + g] + 0.11f * p[o + b];
                    target[offset + i] = y / 255f;
                }
                return;
            }
            int plane = 0;
            foreach (var c in new[] { r, g, b })
            {
                for (int i = 0; i < n; i++) target[offset + plane * n + i] = p[4 * i + c] / 255f;
                plane++;
            }
        };
    }

    private static Action<float[], int> VectorRow(DataViewRowCursor cursor, DataViewSchema.Column column, VectorDataViewType type,
        IFeatureExtractor extractor, DiffusionEvaluationOptions options)
    {
        int size = extractor.ImageChannels * extractor.ImageHeight * extractor.ImageWidth;
        if (type.IsKnownSize && type.Size != size)
            throw new ArgumentOutOfRangeException(nameof(column),
                $"Image column '{column.Name}' is a vector of {type.Size} values; feature extractor '{extractor.Name}' needs {Shape(extractor)} = {size}.");
        var getter = cursor.GetGetter<VBuffer<float>>(column);
        VBuffer<float> buffer = default;
        float scale = options.InputScale, offsetValue = options.InputOffset;
        return (target, offset) =>
        {
            getter(ref buffer);
            if (buffer.Length != size)
                throw new InvalidOperationException($"Row {cursor.Position} of image column '{column.Name}' has {buffer.Length} values; expected {Shape(extractor)} = {size}.");
            int k = 0;
            foreach (var v in buffer.DenseValues())
            {
                float x = (v - offsetValue) * scale;
                if (!(x >= -1 - RangeTolerance && x <= 1 + RangeTolerance))
                    throw new InvalidOperationException(
                        $"Row {cursor.Position} of image column '{column.Name}' holds {v} at index {k}, which maps to {x} outside [−1, 1] with InputOffset {offsetValue} and InputScale {scale}. " +
                        "Set DiffusionEvaluationOptions.InputOffset/InputScale to map your pixel range onto [−1, 1].");
                // The extractor works on intensities in [0, 1].
                target[offset + k++] = (Math.Clamp(x, -1f, 1f) + 1f) * 0.5f;
            }
        };
    }
}
