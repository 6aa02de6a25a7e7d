using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Transforms.Image;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Diffusion;

/// <summary>
/// Trains a denoising diffusion model (DDPM, Ho et al. 2020) on an image column: a U-Net noise predictor
/// fitted with L_simple. <see cref="Fit"/> returns a <see cref="DiffusionSamplerTransformer"/> that generates
/// new images. Create it with <c>mlContext.Transforms.Diffusion(...)</c>.
/// </summary>
public sealed partial class DiffusionEstimator : IEstimator<DiffusionSamplerTransformer>
{
    private readonly IHost _host;

    internal DiffusionEstimator(IHostEnvironment env, Options options)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(options);
        _host = env.Register(nameof(DiffusionEstimator));
        TrainingOptions = options;
        Validate(options);
    }

    /// <summary>The options training runs with.</summary>
    public Options TrainingOptions { get; }

    /// <summary>Trains on <paramref name="input"/> and returns the generator.</summary>
    public DiffusionSamplerTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var o = TrainingOptions;
        TrainingRunValidation.CheckDevice(o.Device);
        CheckBeforeReading(o);
        var images = TrainingImageReader.Read(input, o);
        var labels = o.LabelColumnName is null ? null : ClassLabels.Read(input, o);
        if (labels is not null && labels.Classes.Length != images.Count)
            throw new InvalidOperationException($"Label column '{o.LabelColumnName}' gave {labels.Classes.Length} rows but input column '{o.InputColumnName}' {images.Count}.");
        var architecture = new UNetArchitecture(images.Channels, images.Height, images.Width, o.BaseChannels, o.ChannelMultipliers,
            o.ResBlocksPerLevel, o.AttentionResolutions, o.Dropout, o.GroupNormGroups, o.TimeEmbeddingWidth, labels?.ClassCount ?? 0);
        CheckImages(o, architecture);
        int seed = o.Seed ?? _host.GetSeed() ?? 1;
        var schedule = NoiseSchedule.Create(o.Schedule, o.Timesteps, o.BetaStart, o.BetaEnd);
        using var ch = _host.Start("Training");
        TrainingResult result;
        // from_array shares the pixels' memory (tensor() would copy them), so the data set is held once.
        using (var flat = from_array(images.Pixels))
        using (var data = flat.reshape(images.Count, images.Channels, images.Height, images.Width))
        using (var classes = labels is null ? null : tensor(labels.Classes))
            result = new DiffusionTrainer(o, schedule, seed, message => ch.Info(message)).Train(data, classes, architecture);
        var settings = new DiffusionModelSettings(o.OutputColumnName, o.SeedColumnName, o.OutputVectorColumnName, o.InputScale, o.InputOffset,
            o.PredictionTarget, seed, o.Sampler, o.LabelColumnName, labels?.Names);
        return new DiffusionSamplerTransformer(_host, settings, schedule, result.Model, result.Ema, result.LossHistory, result.Steps);
    }

    /// <summary>The input schema plus the generated image column (and the optional vector column).</summary>
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
        if (o.OutputVectorColumnName is string v)
            columns[v] = new SchemaShape.Column(v, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single, false);
        return new SchemaShape(columns.Values);
    }
}
