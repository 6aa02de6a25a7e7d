// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Transforms.Image;

/// <summary>
/// Turns pixel vectors back into images: each value becomes <c>value * scale - offset</c>, clamped to [0, 255];
/// components missing from the vector take the default alpha/red/green/blue.
/// </summary>
/// <remarks>
/// Deliberate fixes of upstream quirks: upstream ignores defaultAlpha/Red/Green/Blue, casts to byte without
/// clamping (so values wrap), and writes alpha 0 in the scaled branch when the vector has no alpha. Here the
/// defaults are honoured, values are clamped, and alpha defaults to 255. NaN values are an error.
/// </remarks>
public sealed class VectorToImageConvertingTransformer : OneToOneTransformerBase
{
    internal const string LoaderSignature = "VectorToImageConverter";

    internal sealed record Options(int Height, int Width, ImagePixelExtractingEstimator.ColorBits Colors, ImagePixelExtractingEstimator.ColorsOrder Order,
        bool Interleave, float Scale, float Offset, int DefaultAlpha, int DefaultRed, int DefaultGreen, int DefaultBlue);

    private readonly Options[] _options;
    private readonly int[][] _planes;

    internal VectorToImageConvertingTransformer(IHostEnvironment env, (string outputColumnName, string inputColumnName)[] columns, Options[] options)
        : base((env ?? throw new ArgumentNullException(nameof(env))).Register(nameof(VectorToImageConvertingTransformer)), columns)
    {
        _options = options;
        _planes = new int[options.Length][];
        for (int i = 0; i < options.Length; i++)
        {
            var o = options[i];
            string name = columns[i].outputColumnName;
            _planes[i] = ColorPlanes.Select(o.Colors, o.Order, "colorsPresent");
            if (o.Height <= 0)
                throw new ArgumentOutOfRangeException("imageHeight", $"The height for column '{name}' must be positive; got {o.Height}.");
            if (o.Width <= 0)
                throw new ArgumentOutOfRangeException("imageWidth", $"The width for column '{name}' must be positive; got {o.Width}.");
            if (!float.IsFinite(o.Scale) || !float.IsFinite(o.Offset))
                throw new ArgumentOutOfRangeException("scaleImage", $"The scale and offset for column '{name}' must be finite; got {o.Scale} and {o.Offset}.");
            CheckDefault(o.DefaultAlpha, "defaultAlpha", name);
            CheckDefault(o.DefaultRed, "defaultRed", name);
            CheckDefault(o.DefaultGreen, "defaultGreen", name);
            CheckDefault(o.DefaultBlue, "defaultBlue", name);
        }
    }

    internal IReadOnlyList<Options> ColumnOptions => _options;

    private static void CheckDefault(int value, string parameter, string column)
    {
        if (value is < 0 or > 255)
            throw new ArgumentOutOfRangeException(parameter, $"{parameter} for column '{column}' must be in 0..255; got {value}.");
    }

    // 0x00010001: initial version.
    private static VersionInfo GetVersionInfo() => new(
        modelSignature: "VECTOIMG",
        verWrittenCur: 0x00010001,
        verReadableCur: 0x00010001,
        verWeCanReadBack: 0x00010001,
        loaderAssemblyName: typeof(VectorToImageConvertingTransformer).Assembly.FullName!,
        loaderSignature: LoaderSignature);

    internal static ITransformer Create(IHostEnvironment env, ModelLoadContext ctx)
    {
        ctx.CheckAtModel(GetVersionInfo());
        var columns = LoadColumns(ctx);
        var options = new Options[columns.Length];
        try
        {
            var r = ctx.Reader;
            for (int i = 0; i < options.Length; i++)
            {
                options[i] = new Options(r.ReadInt32(), r.ReadInt32(), (ImagePixelExtractingEstimator.ColorBits)r.ReadByte(), (ImagePixelExtractingEstimator.ColorsOrder)r.ReadByte(),
                    r.ReadBoolean(), r.ReadSingle(), r.ReadSingle(), r.ReadByte(), r.ReadByte(), r.ReadByte(), r.ReadByte());
            }
            return new VectorToImageConvertingTransformer(env, columns, options);
        }
        catch (ArgumentOutOfRangeException ex)
        {
            throw ctx.Corrupt(ex.Message);
        }
    }

    private protected override void SaveModel(ModelSaveContext ctx)
    {
        ctx.CheckAtModel();
        ctx.SetVersionInfo(GetVersionInfo());
        SaveColumns(ctx);
        foreach (var o in _options)
        {
            var w = ctx.Writer;
            w.Write(o.Height);
            w.Write(o.Width);
            w.Write((byte)o.Colors);
            w.Write((byte)o.Order);
            w.Write(o.Interleave);
            w.Write(o.Scale);
            w.Write(o.Offset);
            w.Write((byte)o.DefaultAlpha);
            w.Write((byte)o.DefaultRed);
            w.Write((byte)o.DefaultGreen);
            w.Write((byte)o.DefaultBlue);
        }
    }

    private protected override ColumnMapper MakeMapper(DataViewSchema inputSchema)
    {
        var inputs = new DataViewSchema.Column[ColumnPairs.Length];
        var outputs = new DataViewSchema.DetachedColumn[ColumnPairs.Length];
        for (int i = 0; i < ColumnPairs.Length; i++)
        {
            var (output, input) = ColumnPairs[i];
            var o = _options[i];
            int size = o.Height * o.Width * _planes[i].Length;
            string expected = $"known-size vector of Single, Double or Byte with {size} values ({_planes[i].Length} planes x {o.Height} x {o.Width})";
            inputs[i] = FindInput(inputSchema, input, expected);
            if (inputs[i].Type is not VectorDataViewType vector || vector.Size != size
                || (vector.ItemType != NumberDataViewType.Single && vector.ItemType != NumberDataViewType.Double && vector.ItemType != NumberDataViewType.Byte))
                throw SchemaMismatch(input, expected, inputs[i].Type);
            outputs[i] = new DataViewSchema.DetachedColumn(output, new ImageDataViewType(o.Height, o.Width));
        }
        return new PairMapper(outputs, inputs, (row, i) =>
        {
            var item = ((VectorDataViewType)inputs[i].Type).ItemType;
            if (item == NumberDataViewType.Single)
                return MakeGetter<float>(row, inputs[i], i, v => v);
            if (item == NumberDataViewType.Double)
                return MakeGetter<double>(row, inputs[i], i, v => v);
            return MakeGetter<byte>(row, inputs[i], i, v => v);
        });
    }

    private ValueGetter<MLImage?> MakeGetter<T>(DataViewRow row, DataViewSchema.Column input, int iinfo, Func<T, double> toDouble)
    {
        var o = _options[iinfo];
        var planes = _planes[iinfo];
        bool unscaled = o.Scale == 1 && o.Offset == 0;
        return GetterHelpers.Memoize<VBuffer<T>, MLImage?>(row, input, vector =>
        {
            int n = o.Height * o.Width;
            int c = planes.Length;
            var values = new T[vector.Length];
            vector.CopyTo(values);
            var pixels = new byte[n * 4];
            for (int i = 0; i < n; i++)
            {
                pixels[4 * i + ColorPlanes.Offset(ColorPlanes.A, MLPixelFormat.Bgra32)] = (byte)o.DefaultAlpha;
                pixels[4 * i + ColorPlanes.Offset(ColorPlanes.R, MLPixelFormat.Bgra32)] = (byte)o.DefaultRed;
                pixels[4 * i + ColorPlanes.Offset(ColorPlanes.G, MLPixelFormat.Bgra32)] = (byte)o.DefaultGreen;
                pixels[4 * i + ColorPlanes.Offset(ColorPlanes.B, MLPixelFormat.Bgra32)] = (byte)o.DefaultBlue;
            }
            for (int p = 0; p < c; p++)
            {
                int offset = ColorPlanes.Offset(planes[p], MLPixelFormat.Bgra32);
                for (int i = 0; i < n; i++)
                {
                    double v = toDouble(values[o.Interleave ? i * c + p : p * n + i]);
                    if (double.IsNaN(v))
                        throw new InvalidOperationException($"Row {row.Position} of column '{input.Name}' has NaN at index {(o.Interleave ? i * c + p : p * n + i)}; it cannot become a pixel.");
                    // Upstream truncates in the unscaled branch and rounds in the scaled one; both are kept, then clamped.
                    double x = unscaled ? Math.Truncate(v) : Math.Round(v * o.Scale - o.Offset);
                    pixels[4 * i + offset] = (byte)Math.Clamp(x, 0, 255);
                }
            }
            var image = MLImage.Wrap(pixels, o.Width, o.Height, MLPixelFormat.Bgra32, ImageOps.LooksGray(pixels));
            image.Tag = nameof(VectorToImageConvertingTransformer);
            return image;
        });
    }
}

/// <summary>Converts pixel vectors into images; fitting learns nothing.</summary>
public sealed class VectorToImageConvertingEstimator : TrivialEstimator<VectorToImageConvertingTransformer>
{
    internal VectorToImageConvertingEstimator(IHostEnvironment env, VectorToImageConvertingTransformer.Options options, string outputColumnName, string? inputColumnName)
        : base(env.Register(nameof(VectorToImageConvertingEstimator)), new VectorToImageConvertingTransformer(env,
            new[] { (outputColumnName, inputColumnName ?? outputColumnName) }, new[] { options }))
    {
    }

    /// <summary>Adds image columns; each input must be a known-size vector of Single, Double or Byte.</summary>
    public override SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var result = inputSchema.ToDictionary(c => c.Name);
        var pairs = Transformer.Pairs;
        for (int i = 0; i < pairs.Length; i++)
        {
            var (output, input) = pairs[i];
            if (!inputSchema.TryFindColumn(input, out var column))
                throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Could not find input column '{input}'.");
            if (column.Kind != SchemaShape.Column.VectorKind.Vector
                || (column.ItemType != NumberDataViewType.Single && column.ItemType != NumberDataViewType.Double && column.ItemType != NumberDataViewType.Byte))
                throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Schema mismatch for input column '{input}': expected known-size vector of Single, Double or Byte, got {column.GetTypeString()}.");
            var o = Transformer.ColumnOptions[i];
            result[output] = new SchemaShape.Column(output, SchemaShape.Column.VectorKind.Scalar, new ImageDataViewType(o.Height, o.Width), false);
        }
        return new SchemaShape(result.Values);
    }
}
