// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

using Microsoft.ML.Runtime;
using Microsoft.ML.Transforms.Image;

namespace Microsoft.ML.Data;

/// <summary>Loads image files named by a text column into <see cref="MLImage"/> values of unknown size.</summary>
public sealed class ImageLoadingTransformer : OneToOneTransformerBase
{
    internal const string LoaderSignature = "ImageLoaderTransform";

    /// <summary>The folder relative paths are resolved against; null when paths are used as given.</summary>
    public readonly string? ImageFolder;

    internal ImageLoadingTransformer(IHostEnvironment env, string? imageFolder, params (string outputColumnName, string inputColumnName)[] columns)
        : base((env ?? throw new ArgumentNullException(nameof(env))).Register(nameof(ImageLoadingTransformer)), columns)
    {
        ImageFolder = imageFolder;
    }

    // 0x00010001: initial version.
    private static VersionInfo GetVersionInfo() => new(
        modelSignature: "IMGLOADR",
        verWrittenCur: 0x00010001,
        verReadableCur: 0x00010001,
        verWeCanReadBack: 0x00010001,
        loaderAssemblyName: typeof(ImageLoadingTransformer).Assembly.FullName!,
        loaderSignature: LoaderSignature);

    internal static ITransformer Create(IHostEnvironment env, ModelLoadContext ctx)
    {
        ctx.CheckAtModel(GetVersionInfo());
        var columns = LoadColumns(ctx);
        string? folder = ctx.LoadStringOrNull();
        return new ImageLoadingTransformer(env, folder, columns);
    }

    private protected override void SaveModel(ModelSaveContext ctx)
    {
        ctx.CheckAtModel();
        ctx.SetVersionInfo(GetVersionInfo());
        SaveColumns(ctx);
        ctx.SaveStringOrNull(ImageFolder);
    }

    private protected override ColumnMapper MakeMapper(DataViewSchema inputSchema)
    {
        var inputs = new DataViewSchema.Column[ColumnPairs.Length];
        var outputs = new DataViewSchema.DetachedColumn[ColumnPairs.Length];
        for (int i = 0; i < ColumnPairs.Length; i++)
        {
            var (output, input) = ColumnPairs[i];
            inputs[i] = FindInput(inputSchema, input, "a text column of image paths");
            if (inputs[i].Type is not TextDataViewType)
                throw SchemaMismatch(input, "String", inputs[i].Type);
            outputs[i] = new DataViewSchema.DetachedColumn(output, new ImageDataViewType());
        }
        return new PairMapper(outputs, inputs, (row, i) => GetterHelpers.Memoize<ReadOnlyMemory<char>, MLImage?>(row, inputs[i], Load));
    }

    private MLImage? Load(ReadOnlyMemory<char> path)
    {
        // As upstream, an empty path means "no image" and yields null.
        if (path.IsEmpty)
            return null;
        string full = ImageFolder is null ? path.ToString() : Path.Combine(ImageFolder, path.ToString());
        var image = MLImage.CreateFromFile(full);
        image.Tag = full;
        return image;
    }
}

/// <summary>Creates an <see cref="ImageLoadingTransformer"/>; fitting learns nothing.</summary>
public sealed class ImageLoadingEstimator : TrivialEstimator<ImageLoadingTransformer>
{
    internal ImageLoadingEstimator(IHostEnvironment env, string? imageFolder, params (string outputColumnName, string inputColumnName)[] columns)
        : base(env.Register(nameof(ImageLoadingEstimator)), new ImageLoadingTransformer(env, imageFolder, columns))
    {
    }

    /// <summary>Adds the image columns; each input must be a text scalar.</summary>
    public override SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var result = inputSchema.ToDictionary(c => c.Name);
        foreach (var (output, input) in Transformer.Pairs)
        {
            if (!inputSchema.TryFindColumn(input, out var column))
                throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Could not find input column '{input}'.");
            if (column.Kind != SchemaShape.Column.VectorKind.Scalar || column.ItemType is not TextDataViewType)
                throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Schema mismatch for input column '{input}': expected String, got {column.GetTypeString()}.");
            result[output] = new SchemaShape.Column(output, SchemaShape.Column.VectorKind.Scalar, new ImageDataViewType(), false);
        }
        return new SchemaShape(result.Values);
    }
}
