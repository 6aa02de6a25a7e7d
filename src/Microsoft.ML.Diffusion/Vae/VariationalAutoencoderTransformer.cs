using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Transforms.Image;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Diffusion;

/// <summary>
/// A trained VAE. <see cref="Transform"/> adds to every input row an image decoded from a prior sample z ~ N(0, I) drawn
/// from the row's seed (the seed column, or the model seed plus the row position), lazily and in batches; a row's image
/// never depends on the other rows. Rows that carry an image in the training column can also get its encoding (the
/// posterior mean) and its reconstruction. Save it with <c>mlContext.Model.Save</c>.
/// </summary>
public sealed partial class VariationalAutoencoderTransformer : ITransformer, IDisposable
{
    private readonly IHost _host;
    private readonly VaeModel _model;
    private readonly VaeModel _ema;
    private bool _disposed;

    internal VariationalAutoencoderTransformer(IHostEnvironment env, VaeModelSettings settings, VaeModel model, VaeModel ema,
        IReadOnlyList<float> lossHistory, long trainedSteps)
    {
        _host = env.Register(nameof(VariationalAutoencoderTransformer));
        Settings = settings;
        _model = model;
        _ema = ema;
        LossHistory = lossHistory;
        TrainedSteps = trainedSteps;
        _model.eval();
        _ema.eval();
    }

    internal VaeModelSettings Settings { get; }

    /// <summary>The network generation, encoding and evaluation use: the EMA of the weights.</summary>
    internal VaeModel Network => _ema;

    /// <summary>The VAE's architecture.</summary>
    public VaeArchitecture Architecture => _model.Architecture;

    /// <summary>The training objective (reconstruction + β·KL, bits/dim) of every step.</summary>
    public IReadOnlyList<float> LossHistory { get; }

    /// <summary>The number of optimisation steps the model was trained for.</summary>
    public long TrainedSteps { get; }

    /// <summary>The name of the generated image column.</summary>
    public string OutputColumnName => Settings.OutputColumnName;

    /// <summary>Whether the transformer maps rows one to one (it does).</summary>
    public bool IsRowToRowMapper => true;

    /// <summary>The input schema plus the generated columns; the latent and reconstruction columns only when the input has the training image column.</summary>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var a = Architecture;
        if (Settings.SeedColumnName is string seedName && inputSchema.GetColumnOrNull(seedName) is { } seed && !GeneratedColumns.IsSeedType(seed.Type))
            throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Schema mismatch for seed column '{seedName}': expected Int32, Int64 or UInt32, got {seed.Type}.");
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(inputSchema);
        builder.AddColumn(Settings.OutputColumnName, new ImageDataViewType(a.ImageHeight, a.ImageWidth));
        if (Settings.OutputVectorColumnName is string v)
            builder.AddColumn(v, new VectorDataViewType(NumberDataViewType.Single, a.ImageChannels, a.ImageHeight, a.ImageWidth));
        if (SourceColumn(inputSchema) is not null)
        {
            if (Settings.LatentColumnName is string l) builder.AddColumn(l, new VectorDataViewType(NumberDataViewType.Single, a.LatentDimensions));
            if (Settings.ReconstructionColumnName is string r) builder.AddColumn(r, new ImageDataViewType(a.ImageHeight, a.ImageWidth));
        }
        return builder.ToSchema();
    }

    /// <summary>A lazy view of <paramref name="input"/> with the new columns; nothing is decoded until a cursor reads them.</summary>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new BatchedColumnsDataView(this, input, GetOutputSchema(input.Schema));
    }

    /// <summary>A mapper that computes the new columns of one row at a time.</summary>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => new BatchedColumnsMapper(this, inputSchema, GetOutputSchema(inputSchema));

    /// <summary>Generates one image per seed: planar (C, H, W) pixels in [−1, 1], the decoder's mean for z ~ N(0, I) drawn from the seed.</summary>
    public float[][] Generate(IReadOnlyList<long> seeds)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var pixels = GenerateBatch(seeds.ToArray());
        int size = pixels.Length / Math.Max(1, seeds.Count);
        return Enumerable.Range(0, seeds.Count).Select(i => pixels.AsSpan(i * size, size).ToArray()).ToArray();
    }

    internal float[] GenerateBatch(long[] seeds)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var generators = seeds.Select(s => new Generator(unchecked((ulong)s))).ToList();
        try
        {
            using var mode = inference_mode();
            using var scope = NewDisposeScope();
            var z = cat(generators.Select(g => randn([1, Architecture.LatentDimensions], generator: g)).ToList(), 0);
            var x = FixedChunks.Apply(z, p => _ema.DecodedPixels(_ema.Decode(p)));
            return x.data<float>().ToArray();
        }
        finally
        {
            foreach (var g in generators) g.Dispose();
        }
    }

    /// <summary>Posterior means (rows × latent) and reconstructions (rows × C·H·W, in [−1, 1]) of planar images in [−1, 1].</summary>
    internal (float[] Latent, float[] Reconstruction) EncodeBatch(float[][] images)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var a = Architecture;
        using var mode = inference_mode();
        using var scope = NewDisposeScope();
        var x = cat(images.Select(p => tensor(p).reshape(1, a.ImageChannels, a.ImageHeight, a.ImageWidth)).ToList(), 0);
        var mean = FixedChunks.Apply(x, p => _ema.Encode(p).Mean);
        var reconstruction = FixedChunks.Apply(mean, p => _ema.DecodedPixels(_ema.Decode(p)));
        return (mean.data<float>().ToArray(), reconstruction.data<float>().ToArray());
    }

    internal DataViewSchema.Column? SourceColumn(DataViewSchema schema)
    {
        if (Settings.LatentColumnName is null && Settings.ReconstructionColumnName is null) return null;
        return schema.GetColumnOrNull(Settings.InputColumnName) is { } c && (c.Type is ImageDataViewType || c.Type is VectorDataViewType { ItemType: var t } && t == NumberDataViewType.Single)
            ? c : null;
    }

    internal MLImage ToImage(ReadOnlySpan<float> planar) => GeneratedColumns.ToImage(planar, Architecture.ImageChannels, Architecture.ImageHeight, Architecture.ImageWidth);

    /// <summary>Releases the networks.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _model.Dispose();
        _ema.Dispose();
    }
}
