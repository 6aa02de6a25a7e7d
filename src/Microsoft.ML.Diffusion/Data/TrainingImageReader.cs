using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace Microsoft.ML.Diffusion;

/// <summary>Images read from a column, as one planar (N, C, H, W) array scaled to [−1, 1].</summary>
internal sealed record TrainingImages(float[] Pixels, int Count, int Channels, int Height, int Width, bool FromImages);

/// <summary>
/// Reads the training column of an <see cref="IDataView"/>: MLImage (0…255 → [−1, 1]) or a Single vector
/// laid out C×H×W mapped by (v − offset)·scale. Every problem is reported with the column and row.
/// </summary>
internal static class TrainingImageReader
{
    // Values a little outside [−1, 1] come from rounding in the user's own scaling and are harmless.
    private const float RangeTolerance = 1e-3f;

    public static TrainingImages Read(IDataView data, DiffusionEstimator.Options options)
    {
        var column = FindColumn(data.Schema, options.InputColumnName);
        return column.Type switch
        {
            ImageDataViewType => ReadImages(data, column, options),
            VectorDataViewType { ItemType: var item } v when item == NumberDataViewType.Single => ReadVectors(data, column, v, options),
            var other => throw SchemaMismatch(column.Name, other),
        };
    }

    public static DataViewSchema.Column FindColumn(DataViewSchema schema, string name)
        => schema.GetColumnOrNull(name) ?? throw new ArgumentOutOfRangeException(nameof(DiffusionEstimator.Options.InputColumnName),
            $"Could not find input column '{name}' (expected an image column or a known-size vector of Single).");

    public static ArgumentOutOfRangeException SchemaMismatch(string name, DataViewType actual)
        => new(nameof(DiffusionEstimator.Options.InputColumnName),
            $"Schema mismatch for input column '{name}': expected Image or Vector<Single> of C×H×W, got {actual}.");

    /// <summary>The (C, H, W) a vector column stands for, or an error naming the column.</summary>
    public static (int c, int h, int w) VectorShape(string name, VectorDataViewType type, DiffusionEstimator.Options options)
    {
        var d = type.Dimensions;
        if (!type.IsKnownSize)
            throw new ArgumentOutOfRangeException(nameof(DiffusionEstimator.Options.InputColumnName),
                $"Input column '{name}' is a vector of unknown size; the diffusion model needs a known C×H×W size.");
        if (d.Length is 2 or 3)
        {
            var (c, vh, vw) = d.Length == 3 ? (d[0], d[1], d[2]) : (1, d[0], d[1]);
            if (options.ImageHeight is int eh && eh != vh || options.ImageWidth is int ew && ew != vw)
                throw new ArgumentOutOfRangeException(nameof(DiffusionEstimator.Options.ImageHeight),
                    $"Input column '{name}' holds {c}×{vh}×{vw} (C×H×W) vectors, but ImageHeight × ImageWidth = {Text(options.ImageHeight)}×{Text(options.ImageWidth)}; " +
                    "set them to the vectors' size, or to null (a vector with C×H×W dimensions needs neither).");
            return (c, vh, vw);
        }
        if (options.ImageHeight is int h && options.ImageWidth is int w && h > 0 && w > 0 && d[0] % (h * w) == 0)
            return (d[0] / (h * w), h, w);
        throw new ArgumentOutOfRangeException(nameof(DiffusionEstimator.Options.ImageHeight),
            $"Input column '{name}' is a flat vector of {type.Size} values; set ImageHeight and ImageWidth so that C×H×W = {type.Size}, or give it C×H×W dimensions.");
    }

    private static TrainingImages ReadVectors(IDataView data, DataViewSchema.Column column, VectorDataViewType type, DiffusionEstimator.Options options)
    {
        var (c, h, w) = VectorShape(column.Name, type, options);
        int size = c * h * w;
        var pixels = new PixelBuffer(data.GetRowCount(), size);
        int count = 0;
        using var cursor = data.GetRowCursor([column]);
        var getter = cursor.GetGetter<VBuffer<float>>(column);
        VBuffer<float> buffer = default;
        float scale = options.InputScale, offset = options.InputOffset;
        while (cursor.MoveNext())
        {
            getter(ref buffer);
            if (buffer.Length != size)
                throw new InvalidOperationException($"Row {cursor.Position} of input column '{column.Name}' has {buffer.Length} values; expected {size} ({c}×{h}×{w}).");
            int k = 0;
            foreach (var v in buffer.DenseValues())
            {
                if (!float.IsFinite(v))
                    throw new InvalidOperationException($"Row {cursor.Position} of input column '{column.Name}' holds {v} at index {k}; pixels must be finite.");
                float x = (v - offset) * scale;
                if (x < -1 - RangeTolerance || x > 1 + RangeTolerance)
                    throw new InvalidOperationException(
                        $"Row {cursor.Position} of input column '{column.Name}' holds {v} at index {k}, which maps to {x} outside [−1, 1] with InputOffset {offset} and InputScale {scale}. " +
                        "Set InputOffset/InputScale to map your pixel range onto [−1, 1].");
                pixels.Add(Math.Clamp(x, -1f, 1f));
                k++;
            }
            count++;
        }
        if (count == 0) throw new InvalidOperationException($"Input column '{column.Name}' has no rows to train on.");
        return new TrainingImages(pixels.ToArray(), count, c, h, w, FromImages: false);
    }

    /// <summary>
    /// The training pixels, grown without the repeated copies of a List: 60,000 Fashion-MNIST images are 188 MB, and
    /// a doubling list leaves about twice that as dead large-object garbage that stays resident through training.
    /// </summary>
    private sealed class PixelBuffer(long? rows, int rowSize)
    {
        private float[] _values = new float[Math.Min((rows ?? 1024) * (long)rowSize, Array.MaxLength)];
        private long _count;

        public void Add(float value)
        {
            if (_count == _values.Length)
                Array.Resize(ref _values, (int)Math.Min(Math.Max(2L * _values.Length, rowSize), Array.MaxLength));
            _values[_count++] = value;
        }

        /// <summary>The values; the buffer itself when it was sized exactly (the row count was known).</summary>
        public float[] ToArray()
        {
            if (_count != _values.Length) Array.Resize(ref _values, (int)_count);
            return _values;
        }
    }

    private static TrainingImages ReadImages(IDataView data, DataViewSchema.Column column, DiffusionEstimator.Options options)
    {
        if (options.ImageChannels is int requested && requested != 1 && requested != 3)
            throw new ArgumentOutOfRangeException(nameof(DiffusionEstimator.Options.ImageChannels), requested, "ImageChannels must be 1 (gray) or 3 (RGB).");
        using var cursor = ImageReading.OpenCursor(data, column);
        var getter = ImageReading.Getter(cursor, column);
        PixelBuffer? pixels = null;
        int count = 0, h = 0, w = 0, channels = options.ImageChannels ?? 0;
        MLImage image = null!;
        while (cursor.MoveNext())
        {
            getter(ref image);
            if (image is null) throw new InvalidOperationException($"Row {cursor.Position} of input column '{column.Name}' has no image.");
            if (count == 0)
            {
                (h, w) = (image.Height, image.Width);
                RequireExpectedSize(column, w, h, options);
                if (channels == 0) channels = IsGray(image) ? 1 : 3;
                pixels = new PixelBuffer(data.GetRowCount(), channels * h * w);
            }
            else if (image.Height != h || image.Width != w)
            {
                throw new InvalidOperationException(
                    $"Row {cursor.Position} of input column '{column.Name}' is {image.Width}×{image.Height} but row 0 is {w}×{h}; all images must have one size (use ResizeImages).");
            }
            if (channels == 1 && options.ImageChannels is null && !IsGray(image))
                throw new InvalidOperationException(
                    $"Row {cursor.Position} of input column '{column.Name}' is a colour image but the first image was gray; set ImageChannels = 3 (or 1 to convert to gray).");
            AppendPlanes(image, channels, pixels!.Add);
            count++;
        }
        if (count == 0) throw new InvalidOperationException($"Input column '{column.Name}' has no rows to train on.");
        return new TrainingImages(pixels!.ToArray(), count, channels, h, w, FromImages: true);
    }

    // The first image fixes the training size; a size the column type or the options announce and the data does not
    // have would otherwise train a network of another size than the user meant.
    private static void RequireExpectedSize(DataViewSchema.Column column, int w, int h, DiffusionEstimator.Options options)
    {
        if (column.Type is ImageDataViewType { Height: > 0, Width: > 0 } declared && (declared.Height != h || declared.Width != w))
            throw new InvalidOperationException(
                $"Row 0 of input column '{column.Name}' is {w}×{h} (width×height), but the column's type declares {declared.Width}×{declared.Height} images; make the images that size (ResizeImages) or declare the size they have.");
        if (options.ImageHeight is int eh && eh != h || options.ImageWidth is int ew && ew != w)
            throw new InvalidOperationException(
                $"Row 0 of input column '{column.Name}' is {w}×{h} (width×height), but ImageHeight × ImageWidth = {Text(options.ImageHeight)}×{Text(options.ImageWidth)}; " +
                "resize the images (ResizeImages) or set ImageHeight and ImageWidth to null (an image column needs neither).");
    }

    private static string Text(int? value) => value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(any)";

    private static (int r, int g, int b) ChannelOffsets(MLImage image) =>
        image.PixelFormat == MLPixelFormat.Rgba32 ? (0, 1, 2) : (2, 1, 0);

    private static bool IsGray(MLImage image)
    {
        var p = image.Pixels;
        var (r, g, b) = ChannelOffsets(image);
        for (int i = 0; i < p.Length; i += 4)
            if (p[i + r] != p[i + g] || p[i + g] != p[i + b]) return false;
        return true;
    }

    /// <summary>One image as planar pixels in [−1, 1] with <paramref name="channels"/> channels (1: luminance).</summary>
    public static float[] Planes(MLImage image, int channels)
    {
        var planes = new float[channels * image.Width * image.Height];
        int k = 0;
        AppendPlanes(image, channels, v => planes[k++] = v);
        return planes;
    }

    private static void AppendPlanes(MLImage image, int channels, Action<float> output)
    {
        var p = image.Pixels;
        var (r, g, b) = ChannelOffsets(image);
        int n = image.Width * image.Height;
        if (channels == 1)
        {
            // Luminance as ML.NET's ConvertToGrayscale weighs it; exact for gray images.
            for (int i = 0; i < n; i++)
            {
                int o = 4 * i;
                float y = p[o + r] == p[o + g] && p[o + g] == p[o + b] ? p[o + r] : 0.3f * p[o + r] + 0.59f * p[o + g] + 0.11f * p[o + b];
                output(y / 127.5f - 1f);
            }
            return;
        }
        foreach (var c in new[] { r, g, b })
            for (int i = 0; i < n; i++) output(p[4 * i + c] / 127.5f - 1f);
    }
}
