// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Transforms.Image;

/// <summary>Converts images to grayscale (0.3 R + 0.59 G + 0.11 B); the output keeps the input's image type.</summary>
public sealed class ImageGrayscalingTransformer : OneToOneTransformerBase
{
    internal const string LoaderSignature = "ImageGrayscaleTransform";

    internal ImageGrayscalingTransformer(IHostEnvironment env, params (string outputColumnName, string inputColumnName)[] columns)
        : base((env ?? throw new ArgumentNullException(nameof(env))).Register(nameof(ImageGrayscalingTransformer)), columns)
    {
    }

    // 0x00010001: initial version.
    private static VersionInfo GetVersionInfo() => new(
        modelSignature: "IMGGREY ",
        verWrittenCur: 0x00010001,
        verReadableCur: 0x00010001,
        verWeCanReadBack: 0x00010001,
        loaderAssemblyName: typeof(ImageGrayscalingTransformer).Assembly.FullName!,
        loaderSignature: LoaderSignature);

    internal static ITransformer Create(IHostEnvironment env, ModelLoadContext ctx)
    {
        ctx.CheckAtModel(GetVersionInfo());
        return new ImageGrayscalingTransformer(env, LoadColumns(ctx));
    }

    private protected override void SaveModel(ModelSaveContext ctx)
    {
        ctx.CheckAtModel();
        ctx.SetVersionInfo(GetVersionInfo());
        SaveColumns(ctx);
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
            outputs[i] = new DataViewSchema.DetachedColumn(output, inputs[i].Type);
        }
        return new PairMapper(outputs, inputs, (row, i) => GetterHelpers.Memoize<MLImage?, MLImage?>(row, inputs[i], image => image is null ? null : ImageOps.Grayscale(image)));
    }
}

/// <summary>Converts images to grayscale; fitting learns nothing.</summary>
public sealed class ImageGrayscalingEstimator : TrivialEstimator<ImageGrayscalingTransformer>
{
    internal ImageGrayscalingEstimator(IHostEnvironment env, params (string outputColumnName, string inputColumnName)[] columns)
        : base(env.Register(nameof(ImageGrayscalingEstimator)), new ImageGrayscalingTransformer(env, columns))
    {
    }

    /// <summary>Adds grayscale image columns of the input's type.</summary>
    public override SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var result = inputSchema.ToDictionary(c => c.Name);
        foreach (var (output, input) in Transformer.Pairs)
        {
            if (!inputSchema.TryFindColumn(input, out var column))
                throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Could not find input column '{input}'.");
            if (column.Kind != SchemaShape.Column.VectorKind.Scalar || column.ItemType is not ImageDataViewType)
                throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Schema mismatch for input column '{input}': expected Image, got {column.GetTypeString()}.");
            result[output] = new SchemaShape.Column(output, column.Kind, column.ItemType, false, column.Annotations);
        }
        return new SchemaShape(result.Values);
    }
}
