// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Transforms.Image;

/// <summary>Resizes images to a fixed size.</summary>
public sealed class ImageResizingTransformer : OneToOneTransformerBase
{
    internal const string LoaderSignature = "ImageScalerTransform";
    private readonly (int Width, int Height, ImageResizingEstimator.ResizingKind Resizing, ImageResizingEstimator.Anchor Anchor)[] _options;

    internal ImageResizingTransformer(IHostEnvironment env, (string outputColumnName, string inputColumnName)[] columns,
        (int Width, int Height, ImageResizingEstimator.ResizingKind Resizing, ImageResizingEstimator.Anchor Anchor)[] options)
        : base((env ?? throw new ArgumentNullException(nameof(env))).Register(nameof(ImageResizingTransformer)), columns)
    {
        for (int i = 0; i < options.Length; i++)
        {
            var o = options[i];
            if (o.Width <= 0)
                throw new ArgumentOutOfRangeException("imageWidth", $"The width for column '{columns[i].outputColumnName}' must be positive; got {o.Width}.");
            if (o.Height <= 0)
                throw new ArgumentOutOfRangeException("imageHeight", $"The height for column '{columns[i].outputColumnName}' must be positive; got {o.Height}.");
            if (!Enum.IsDefined(o.Resizing))
                throw new ArgumentOutOfRangeException("resizing", $"Unknown resizing kind {(int)o.Resizing} for column '{columns[i].outputColumnName}'.");
            if (!Enum.IsDefined(o.Anchor))
                throw new ArgumentOutOfRangeException("cropAnchor", $"Unknown anchor {(int)o.Anchor} for column '{columns[i].outputColumnName}'.");
        }
        _options = options;
    }

    internal IReadOnlyList<(int Width, int Height, ImageResizingEstimator.ResizingKind Resizing, ImageResizingEstimator.Anchor Anchor)> Options => _options;

    // 0x00010001: initial version.
    private static VersionInfo GetVersionInfo() => new(
        modelSignature: "IMGSCALF",
        verWrittenCur: 0x00010001,
        verReadableCur: 0x00010001,
        verWeCanReadBack: 0x00010001,
        loaderAssemblyName: typeof(ImageResizingTransformer).Assembly.FullName!,
        loaderSignature: LoaderSignature);

    internal static ITransformer Create(IHostEnvironment env, ModelLoadContext ctx)
    {
        ctx.CheckAtModel(GetVersionInfo());
        var columns = LoadColumns(ctx);
        var options = new (int, int, ImageResizingEstimator.ResizingKind, ImageResizingEstimator.Anchor)[columns.Length];
        for (int i = 0; i < options.Length; i++)
        {
            int width = ctx.ReadInt("width");
            int height = ctx.ReadInt("height");
            var resizing = (ImageResizingEstimator.ResizingKind)ctx.Reader.ReadByte();
            var anchor = (ImageResizingEstimator.Anchor)ctx.Reader.ReadByte();
            options[i] = (width, height, resizing, anchor);
        }
        try
        {
            return new ImageResizingTransformer(env, columns, options);
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
            ctx.Writer.Write(o.Width);
            ctx.Writer.Write(o.Height);
            ctx.Writer.Write((byte)o.Resizing);
            ctx.Writer.Write((byte)o.Anchor);
        }
    }

    private protected override ColumnMapper MakeMapper(DataViewSchema inputSchema)
    {
        var inputs = new DataViewSchema.Column[ColumnPairs.Length];
        var outputs = new DataViewSchema.DetachedColumn[ColumnPairs.Length];
        for (int i = 0; i < ColumnPairs.Length; i++)
        {
            var (output, input) = ColumnPairs[i];
            inputs[i] = FindInput(inputSchema, input, "an image column");
            if (inputs[i].Type is not ImageDataViewType)
                throw SchemaMismatch(input, "Image", inputs[i].Type);
            outputs[i] = new DataViewSchema.DetachedColumn(output, new ImageDataViewType(_options[i].Height, _options[i].Width));
        }
        return new PairMapper(outputs, inputs, (row, i) =>
        {
            var o = _options[i];
            return GetterHelpers.Memoize<MLImage?, MLImage?>(row, inputs[i], image => image is null ? null : ImageOps.Resize(image, o.Width, o.Height, o.Resizing, o.Anchor));
        });
    }
}

/// <summary>Resizes images; fitting learns nothing.</summary>
public sealed class ImageResizingEstimator : TrivialEstimator<ImageResizingTransformer>
{
    /// <summary>How the aspect ratio is handled.</summary>
    public enum ResizingKind : byte
    {
        /// <summary>Scale to fit inside the target, keeping the aspect ratio, and pad the rest.</summary>
        IsoPad = 0,

        /// <summary>Scale to cover the target, keeping the aspect ratio, and crop the overflow.</summary>
        IsoCrop = 1,

        /// <summary>Stretch to the target size.</summary>
        Fill = 2,
    }

    /// <summary>Which part of the image <see cref="ResizingKind.IsoCrop"/> keeps.</summary>
    public enum Anchor : byte
    {
        /// <summary>The right side.</summary>
        Right = 0,

        /// <summary>The left side.</summary>
        Left = 1,

        /// <summary>The top.</summary>
        Top = 2,

        /// <summary>The bottom.</summary>
        Bottom = 3,

        /// <summary>The centre.</summary>
        Center = 4,
    }

    internal ImageResizingEstimator(IHostEnvironment env, string outputColumnName, int imageWidth, int imageHeight, string? inputColumnName, ResizingKind resizing, Anchor cropAnchor)
        : base(env.Register(nameof(ImageResizingEstimator)),
            new ImageResizingTransformer(env, new[] { (outputColumnName, inputColumnName ?? outputColumnName) }, new[] { (imageWidth, imageHeight, resizing, cropAnchor) }))
    {
    }

    /// <summary>Adds image columns of the target size; each input must be an image scalar.</summary>
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
            if (column.Kind != SchemaShape.Column.VectorKind.Scalar || column.ItemType is not ImageDataViewType)
                throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Schema mismatch for input column '{input}': expected Image, got {column.GetTypeString()}.");
            var o = Transformer.Options[i];
            result[output] = new SchemaShape.Column(output, SchemaShape.Column.VectorKind.Scalar, new ImageDataViewType(o.Height, o.Width), false);
        }
        return new SchemaShape(result.Values);
    }
}
