// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Transforms.Image;

/// <summary>Turns images of a known size into pixel vectors: planar (C, H, W) by default or interleaved (H, W, C).</summary>
public sealed class ImagePixelExtractingTransformer : OneToOneTransformerBase
{
    internal const string LoaderSignature = "ImagePixelExtractor";

    internal sealed record Options(ImagePixelExtractingEstimator.ColorBits Colors, ImagePixelExtractingEstimator.ColorsOrder Order,
        bool Interleave, float Offset, float Scale, bool AsFloat);

    private readonly Options[] _options;
    private readonly int[][] _planes;

    internal ImagePixelExtractingTransformer(IHostEnvironment env, (string outputColumnName, string inputColumnName)[] columns, Options[] options)
        : base((env ?? throw new ArgumentNullException(nameof(env))).Register(nameof(ImagePixelExtractingTransformer)), columns)
    {
        _options = options;
        _planes = new int[options.Length][];
        for (int i = 0; i < options.Length; i++)
        {
            _planes[i] = ColorPlanes.Select(options[i].Colors, options[i].Order, "colorsToExtract");
            if (!float.IsFinite(options[i].Scale) || options[i].Scale == 0)
                throw new ArgumentOutOfRangeException("scaleImage", $"The scale for column '{columns[i].outputColumnName}' must be finite and non-zero; got {options[i].Scale}.");
            if (!float.IsFinite(options[i].Offset))
                throw new ArgumentOutOfRangeException("offsetImage", $"The offset for column '{columns[i].outputColumnName}' must be finite; got {options[i].Offset}.");
        }
    }

    internal IReadOnlyList<Options> ColumnOptions => _options;

    // 0x00010001: initial version.
    private static VersionInfo GetVersionInfo() => new(
        modelSignature: "IMGPXEXT",
        verWrittenCur: 0x00010001,
        verReadableCur: 0x00010001,
        verWeCanReadBack: 0x00010001,
        loaderAssemblyName: typeof(ImagePixelExtractingTransformer).Assembly.FullName!,
        loaderSignature: LoaderSignature);

    internal static ITransformer Create(IHostEnvironment env, ModelLoadContext ctx)
    {
        ctx.CheckAtModel(GetVersionInfo());
        var columns = LoadColumns(ctx);
        var options = new Options[columns.Length];
        try
        {
            for (int i = 0; i < options.Length; i++)
            {
                var r = ctx.Reader;
                options[i] = new Options((ImagePixelExtractingEstimator.ColorBits)r.ReadByte(), (ImagePixelExtractingEstimator.ColorsOrder)r.ReadByte(),
                    r.ReadBoolean(), r.ReadSingle(), r.ReadSingle(), r.ReadBoolean());
            }
            return new ImagePixelExtractingTransformer(env, columns, options);
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
            ctx.Writer.Write((byte)o.Colors);
            ctx.Writer.Write((byte)o.Order);
            ctx.Writer.Write(o.Interleave);
            ctx.Writer.Write(o.Offset);
            ctx.Writer.Write(o.Scale);
            ctx.Writer.Write(o.AsFloat);
        }
    }

    internal static VectorDataViewType OutputType(Options o, int planes, int height, int width) =>
        new(o.AsFloat ? NumberDataViewType.Single : NumberDataViewType.Byte, o.Interleave ? new[] { height, width, planes } : new[] { planes, height, width });

    private protected override ColumnMapper MakeMapper(DataViewSchema inputSchema)
    {
        var inputs = new DataViewSchema.Column[ColumnPairs.Length];
        var outputs = new DataViewSchema.DetachedColumn[ColumnPairs.Length];
        for (int i = 0; i < ColumnPairs.Length; i++)
        {
            var (output, input) = ColumnPairs[i];
            inputs[i] = FindInput(inputSchema, input, "a known-size image column");
            if (inputs[i].Type is not ImageDataViewType image)
                throw SchemaMismatch(input, "known-size image", inputs[i].Type);
            if (image.Height == 0 || image.Width == 0)
                throw SchemaMismatch(input, "known-size image (add ResizeImages before ExtractPixels)", "unknown-size image");
            outputs[i] = new DataViewSchema.DetachedColumn(output, OutputType(_options[i], _planes[i].Length, image.Height, image.Width));
        }
        return new PairMapper(outputs, inputs, (row, i) =>
        {
            var type = (ImageDataViewType)inputs[i].Type;
            return _options[i].AsFloat
                ? MakeGetter<float>(row, inputs[i], i, type, (p, o) => (p - o.Offset) * o.Scale)
                : MakeGetter<byte>(row, inputs[i], i, type, (p, _) => p);
        });
    }

    private ValueGetter<VBuffer<T>> MakeGetter<T>(DataViewRow row, DataViewSchema.Column input, int iinfo, ImageDataViewType type, Func<byte, Options, T> convert)
    {
        var getImage = row.GetGetter<MLImage?>(input);
        var options = _options[iinfo];
        var planes = _planes[iinfo];
        string output = ColumnPairs[iinfo].outputColumnName;
        MLImage? image = null;
        return (ref VBuffer<T> value) =>
        {
            getImage(ref image);
            if (image is null)
                throw new InvalidOperationException($"Row {row.Position} of column '{input.Name}' has no image (an empty path?); ExtractPixels for '{output}' needs one.");
            if (image.Height != type.Height || image.Width != type.Width)
                throw new InvalidOperationException($"Row {row.Position} of column '{input.Name}' holds a {image.Height}x{image.Width} image, but the column type is {type}.");
            int n = image.Width * image.Height;
            int c = planes.Length;
            var editor = VBufferEditor.Create(ref value, n * c);
            var pixels = image.Pixels;
            var format = image.PixelFormat;
            for (int p = 0; p < c; p++)
            {
                int offset = ColorPlanes.Offset(planes[p], format);
                for (int i = 0; i < n; i++)
                {
                    int target = options.Interleave ? i * c + p : p * n + i;
                    editor.Values[target] = convert(pixels[4 * i + offset], options);
                }
            }
            value = editor.Commit();
        };
    }
}

/// <summary>Extracts pixel vectors from images; fitting learns nothing.</summary>
public sealed class ImagePixelExtractingEstimator : TrivialEstimator<ImagePixelExtractingTransformer>
{
    /// <summary>Which colour components to extract.</summary>
    [Flags]
    public enum ColorBits : byte
    {
        /// <summary>Alpha.</summary>
        Alpha = 0x01,

        /// <summary>Red.</summary>
        Red = 0x02,

        /// <summary>Green.</summary>
        Green = 0x04,

        /// <summary>Blue.</summary>
        Blue = 0x08,

        /// <summary>Red, green and blue.</summary>
        Rgb = Red | Green | Blue,

        /// <summary>All four.</summary>
        All = Alpha | Red | Green | Blue,
    }

    /// <summary>The order of the components; unselected ones are skipped.</summary>
    public enum ColorsOrder : byte
    {
        /// <summary>Alpha, red, green, blue.</summary>
        ARGB = 1,

        /// <summary>Alpha, red, blue, green.</summary>
        ARBG = 2,

        /// <summary>Alpha, blue, red, green.</summary>
        ABRG = 3,

        /// <summary>Alpha, blue, green, red.</summary>
        ABGR = 4,

        /// <summary>Alpha, green, red, blue.</summary>
        AGRB = 5,

        /// <summary>Alpha, green, blue, red.</summary>
        AGBR = 6,
    }

    internal ImagePixelExtractingEstimator(IHostEnvironment env, string outputColumnName, string? inputColumnName, ColorBits colors, ColorsOrder order,
        bool interleave, float offset, float scale, bool asFloat)
        : base(env.Register(nameof(ImagePixelExtractingEstimator)), new ImagePixelExtractingTransformer(env,
            new[] { (outputColumnName, inputColumnName ?? outputColumnName) },
            new[] { new ImagePixelExtractingTransformer.Options(colors, order, interleave, offset, scale, asFloat) }))
    {
    }

    /// <summary>Adds the pixel vector columns; each input must be an image of known size.</summary>
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
            if (column.Kind != SchemaShape.Column.VectorKind.Scalar || column.ItemType is not ImageDataViewType image)
                throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Schema mismatch for input column '{input}': expected known-size image, got {column.GetTypeString()}.");
            if (image.Height == 0)
                throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Schema mismatch for input column '{input}': expected known-size image, got unknown-size image (add ResizeImages before ExtractPixels).");
            var item = Transformer.ColumnOptions[i].AsFloat ? NumberDataViewType.Single : NumberDataViewType.Byte;
            result[output] = new SchemaShape.Column(output, SchemaShape.Column.VectorKind.Vector, item, false);
        }
        return new SchemaShape(result.Values);
    }
}
