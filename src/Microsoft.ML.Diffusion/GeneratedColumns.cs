using Microsoft.ML.Data;

namespace Microsoft.ML.Diffusion;

/// <summary>What the generators' columns share: the seed column's types, and typed getters of image and vector values.</summary>
internal static class GeneratedColumns
{
    /// <summary>Whether <paramref name="type"/> can hold per-row seeds.</summary>
    public static bool IsSeedType(DataViewType type) =>
        type == NumberDataViewType.Int32 || type == NumberDataViewType.Int64 || type == NumberDataViewType.UInt32;

    /// <summary>The seed column's getter, widened to long.</summary>
    public static ValueGetter<long> SeedGetter(DataViewRow row, DataViewSchema.Column column)
    {
        if (column.Type == NumberDataViewType.Int64) return row.GetGetter<long>(column);
        if (column.Type == NumberDataViewType.Int32)
        {
            var g = row.GetGetter<int>(column);
            int v = 0;
            return (ref long value) => { g(ref v); value = v; };
        }
        var u = row.GetGetter<uint>(column);
        uint w = 0;
        return (ref long value) => { u(ref w); value = w; };
    }

    public static ValueGetter<TValue> ImageGetter<TValue>(DataViewSchema.Column column, Func<MLImage> image)
    {
        if (typeof(TValue) != typeof(MLImage))
            throw new InvalidOperationException($"Column '{column.Name}' holds MLImage values, not {typeof(TValue).Name}.");
        ValueGetter<MLImage> getter = (ref MLImage value) => value = image();
        return (ValueGetter<TValue>)(Delegate)getter;
    }

    public static ValueGetter<TValue> VectorGetter<TValue>(DataViewSchema.Column column, Func<float[]> vector)
    {
        if (typeof(TValue) != typeof(VBuffer<float>))
            throw new InvalidOperationException($"Column '{column.Name}' holds VBuffer<Single> values, not {typeof(TValue).Name}.");
        ValueGetter<VBuffer<float>> getter = (ref VBuffer<float> value) =>
        {
            var v = vector();
            value = new VBuffer<float>(v.Length, v);
        };
        return (ValueGetter<TValue>)(Delegate)getter;
    }

    /// <summary>Planar (C, H, W) pixels in [−1, 1] as an 8-bit BGRA image (gray replicated), inverting training's p/127.5 − 1.</summary>
    public static MLImage ToImage(ReadOnlySpan<float> planar, int channels, int height, int width)
    {
        int n = height * width;
        var bgra = new byte[4 * n];
        for (int i = 0; i < n; i++)
        {
            byte r = ToByte(planar[i]);
            byte g = channels >= 3 ? ToByte(planar[n + i]) : r;
            byte b = channels >= 3 ? ToByte(planar[2 * n + i]) : r;
            bgra[4 * i] = b;
            bgra[4 * i + 1] = g;
            bgra[4 * i + 2] = r;
            bgra[4 * i + 3] = 255;
        }
        return MLImage.CreateFromPixels(width, height, MLPixelFormat.Bgra32, bgra);
    }

    private static byte ToByte(float x) => (byte)Math.Clamp(MathF.Round((x + 1f) * 127.5f), 0f, 255f);

    /// <summary>Model values in [−1, 1] in the input's scale: x/scale + offset.</summary>
    public static float[] ToOutputVector(ReadOnlySpan<float> planar, float scale, float offset)
    {
        var v = new float[planar.Length];
        for (int i = 0; i < v.Length; i++) v[i] = planar[i] / scale + offset;
        return v;
    }
}
