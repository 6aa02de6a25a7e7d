using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Transforms.Image;
using static TorchSharp.torch;

namespace Microsoft.ML.Diffusion;

/// <summary>
/// Trains a convolutional variational autoencoder (Kingma and Welling 2014) on an image column by maximising the ELBO with
/// the reparameterized Gaussian posterior. <see cref="Fit"/> returns a <see cref="VariationalAutoencoderTransformer"/>
/// that generates images by decoding prior samples, one per row from its seed, and optionally encodes and reconstructs
/// the rows' own images. Create it with <c>mlContext.Transforms.VariationalAutoencoder(...)</c>.
/// </summary>
public sealed partial class VariationalAutoencoderEstimator : IEstimator<VariationalAutoencoderTransformer>
{
    private readonly IHost _host;

    internal VariationalAutoencoderEstimator(IHostEnvironment env, Options options)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(options);
        _host = env.Register(nameof(VariationalAutoencoderEstimator));
        TrainingOptions = options;
        Validate(options);
    }

    /// <summary>The options training runs with.</summary>
    public Options TrainingOptions { get; }

    /// <summary>Trains on <paramref name="input"/> and returns the generator.</summary>
    public VariationalAutoencoderTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var o = TrainingOptions;
        TrainingRunValidation.CheckDevice(o.Device);
        TrainingRunValidation.CheckBeforeReading(TrainingRunSettings.From(o));
        var images = TrainingImageReader.Read(input, ImageReading(o));
        var architecture = new VaeArchitecture(images.Channels, images.Height, images.Width, o.BaseChannels, o.ChannelMultipliers,
            o.LatentDimensions, o.Decoder, o.GroupNormGroups);
        if (architecture.Check() is { } violation)
            throw new ArgumentException(
                $"Input column '{o.InputColumnName}' holds {images.Height}×{images.Width} images that the VAE options cannot take: Option {violation.Text}", violation.Name);
        int seed = o.Seed ?? _host.GetSeed() ?? 1;
        using var ch = _host.Start("Training");
        VaeTrainingResult result;
        using (var flat = from_array(images.Pixels))
        using (var data = flat.reshape(images.Count, images.Channels, images.Height, images.Width))
            result = new VaeTrainer(o, seed, message => ch.Info(message)).Train(data, architecture);
        var settings = new VaeModelSettings(o.InputColumnName, o.OutputColumnName, o.SeedColumnName, o.OutputVectorColumnName, o.LatentColumnName,
            o.ReconstructionColumnName, o.InputScale, o.InputOffset, seed, o.GenerationBatchSize);
        return new VariationalAutoencoderTransformer(_host, settings, result.Model, result.Ema, result.LossHistory, result.Steps);
    }

    /// <summary>The input schema plus the generated image column and the optional vector, latent and reconstruction columns.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var o = TrainingOptions;
        var columns = inputSchema.ToDictionary(c => c.Name);
        if (!columns.TryGetValue(o.InputColumnName, out var input))
            throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Could not find input column '{o.InputColumnName}'.");
        bool isImage = input.Kind == SchemaShape.Column.VectorKind.Scalar && input.ItemType is ImageDataViewType;
        bool isVector = input.Kind == SchemaShape.Column.VectorKind.Vector && input.ItemType == NumberDataViewType.Single;
        if (!isImage && !isVector)
            throw new ArgumentOutOfRangeException(nameof(inputSchema),
                $"Schema mismatch for input column '{o.InputColumnName}': expected Image or Vector<Single>, got {input.GetTypeString()}.");
        columns[o.OutputColumnName] = new SchemaShape.Column(o.OutputColumnName, SchemaShape.Column.VectorKind.Scalar, new ImageDataViewType(), false);
        foreach (var v in new[] { o.OutputVectorColumnName, o.LatentColumnName }.OfType<string>())
            columns[v] = new SchemaShape.Column(v, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single, false);
        if (o.ReconstructionColumnName is string r)
            columns[r] = new SchemaShape.Column(r, SchemaShape.Column.VectorKind.Scalar, new ImageDataViewType(), false);
        return new SchemaShape(columns.Values);
    }

    // The image-reading options are the diffusion estimator's; only the column and scaling fields are read.
    internal static DiffusionEstimator.Options ImageReading(Options o) => new()
    {
        InputColumnName = o.InputColumnName,
        InputScale = o.InputScale,
        InputOffset = o.InputOffset,
        ImageChannels = o.ImageChannels,
        ImageHeight = o.ImageHeight,
        ImageWidth = o.ImageWidth,
    };

    private static void Validate(Options o)
    {
        ArgumentNullException.ThrowIfNull(o.ChannelMultipliers, nameof(o.ChannelMultipliers));
        var names = new[] { (nameof(o.OutputColumnName), o.OutputColumnName), (nameof(o.SeedColumnName), o.SeedColumnName),
            (nameof(o.OutputVectorColumnName), o.OutputVectorColumnName), (nameof(o.LatentColumnName), o.LatentColumnName),
            (nameof(o.ReconstructionColumnName), o.ReconstructionColumnName) };
        var violation = Violation.NonEmpty(nameof(o.InputColumnName), o.InputColumnName)
            ?? Violation.NonEmpty(nameof(o.OutputColumnName), o.OutputColumnName)
            ?? names.Skip(1).Select(n => Violation.NonEmpty(n.Item1, n.Item2, nullable: true)).FirstOrDefault(v => v is not null)
            ?? DistinctNames(names.Prepend((nameof(o.InputColumnName), o.InputColumnName)).ToArray())
            ?? ModelBounds.Scaling(o.InputScale, o.InputOffset)
            ?? (o.ImageChannels is int c && c is not (1 or 3) ? new Violation(nameof(o.ImageChannels), $"is {c}", "it must be 1 (gray) or 3 (RGB), or null to take it from the first image") : null)
            ?? (o.ImageHeight is int h ? Violation.Between(nameof(o.ImageHeight), h, 1, ModelBounds.MaxImageSide) : null)
            ?? (o.ImageWidth is int w ? Violation.Between(nameof(o.ImageWidth), w, 1, ModelBounds.MaxImageSide) : null)
            // The image size is not known yet: check the rest of the architecture with a size every level count divides.
            ?? new VaeArchitecture(1, 1 << 8, 1 << 8, o.BaseChannels, o.ChannelMultipliers, o.LatentDimensions, o.Decoder, o.GroupNormGroups).Check()
            ?? Violation.Finite(nameof(o.KlWeight), o.KlWeight, b => b >= 0, "≥ 0")
            ?? Violation.AtLeast(nameof(o.KlWarmupSteps), o.KlWarmupSteps, 0)
            ?? Violation.Defined(nameof(o.Optimizer), o.Optimizer)
            ?? Violation.Finite(nameof(o.LearningRate), o.LearningRate, r => r > 0, "> 0")
            ?? Violation.AtLeast(nameof(o.WarmupSteps), o.WarmupSteps, 0)
            ?? Violation.Finite(nameof(o.WeightDecay), o.WeightDecay, d => d >= 0, "≥ 0")
            ?? (o.GradientClipNorm is double clip ? Violation.Finite(nameof(o.GradientClipNorm), clip, g => g > 0, "> 0, or null for no clipping") : null)
            ?? Violation.AtLeast(nameof(o.BatchSize), o.BatchSize, 1)
            ?? Violation.Finite(nameof(o.EmaDecay), o.EmaDecay, d => d is >= 0 and < 1, "in [0, 1)")
            ?? Violation.AtLeast(nameof(o.GenerationBatchSize), o.GenerationBatchSize, 1);
        if (violation is not null) throw violation.ForOption();
        TrainingRunValidation.Validate(TrainingRunSettings.From(o), o.Device);
    }

    private static Violation? DistinctNames((string Option, string? Name)[] names)
    {
        for (int i = 0; i < names.Length; i++)
            for (int j = 0; j < i; j++)
                if (names[i].Name is string n && n == names[j].Name)
                    return new(names[i].Option, $"is {Violation.Show(n)}", $"it must differ from {names[j].Option}", Range: false);
        return null;
    }
}
