using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace Microsoft.ML.Diffusion;

// The new columns, computed a batch of rows at a time by BatchedColumnsDataView. A row's request is its seed and, when the
// encoding or reconstruction is asked for, its own image; slot 0 holds the generated pixels, 1 the posterior means, 2 the reconstructions.
public sealed partial class VariationalAutoencoderTransformer : IBatchedColumns
{
    private sealed record Request(long Seed, float[]? Pixels);

    int IBatchedColumns.BatchSize => Settings.BatchSize;

    IReadOnlyList<DataViewSchema.Column> IBatchedColumns.RequestColumns(DataViewSchema input) =>
        new[] { SeedColumn(input), SourceColumn(input) }.OfType<DataViewSchema.Column>().ToList();

    private DataViewSchema.Column? SeedColumn(DataViewSchema input) =>
        Settings.SeedColumnName is string name ? input.GetColumnOrNull(name) : null;

    Func<object> IBatchedColumns.RequestReader(DataViewRow row, DataViewSchema input)
    {
        var seed = SeedColumn(input) is { } s ? GeneratedColumns.SeedGetter(row, s) : null;
        var pixels = SourceColumn(input) is { } c ? PixelsGetter(row, c) : null;
        return () =>
        {
            long value = Settings.Seed + row.Position;
            seed?.Invoke(ref value);
            return new Request(value, pixels?.Invoke());
        };
    }

    float[][] IBatchedColumns.Compute(IReadOnlyList<object> requests)
    {
        var rows = requests.Cast<Request>().ToArray();
        var generated = GenerateBatch(rows.Select(r => r.Seed).ToArray());
        if (rows.Any(r => r.Pixels is null)) return [generated];
        var (latent, reconstruction) = EncodeBatch(rows.Select(r => r.Pixels!).ToArray());
        return [generated, latent, reconstruction];
    }

    ValueGetter<TValue> IBatchedColumns.Getter<TValue>(DataViewSchema.Column column, Func<int, ReadOnlyMemory<float>> slot)
    {
        var s = Settings;
        if (column.Name == s.OutputColumnName) return GeneratedColumns.ImageGetter<TValue>(column, () => ToImage(slot(0).Span));
        if (column.Name == s.OutputVectorColumnName) return GeneratedColumns.VectorGetter<TValue>(column, () => GeneratedColumns.ToOutputVector(slot(0).Span, s.InputScale, s.InputOffset));
        if (column.Name == s.LatentColumnName) return GeneratedColumns.VectorGetter<TValue>(column, () => slot(1).ToArray());
        return GeneratedColumns.ImageGetter<TValue>(column, () => ToImage(slot(2).Span));
    }

    // A row's own image as planar pixels in [−1, 1], checked against the model's size.
    private Func<float[]> PixelsGetter(DataViewRow row, DataViewSchema.Column column)
    {
        var a = Architecture;
        int size = a.ImageChannels * a.ImageHeight * a.ImageWidth;
        if (column.Type is ImageDataViewType)
        {
            var getter = row.GetGetter<MLImage>(column);
            MLImage image = null!;
            return () =>
            {
                getter(ref image);
                if (image is null || image.Width != a.ImageWidth || image.Height != a.ImageHeight)
                    throw new InvalidOperationException($"Row {row.Position} of image column '{column.Name}' is " +
                        (image is null ? "empty" : $"{image.Width}×{image.Height}") + $"; the VAE encodes {a.ImageWidth}×{a.ImageHeight} images.");
                return TrainingImageReader.Planes(image, a.ImageChannels);
            };
        }
        var vector = row.GetGetter<VBuffer<float>>(column);
        VBuffer<float> buffer = default;
        return () =>
        {
            vector(ref buffer);
            if (buffer.Length != size)
                throw new InvalidOperationException($"Row {row.Position} of column '{column.Name}' has {buffer.Length} values; the VAE encodes {size} ({a.ImageChannels}×{a.ImageHeight}×{a.ImageWidth}).");
            var pixels = new float[size];
            int k = 0;
            foreach (var v in buffer.DenseValues()) pixels[k++] = (v - Settings.InputOffset) * Settings.InputScale;
            return pixels;
        };
    }
}
