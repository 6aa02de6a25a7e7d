using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Transforms.Image;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Diffusion;

/// <summary>
/// A trained diffusion model. <see cref="Transform"/> adds a generated image to every input row, lazily
/// and in batches as a cursor moves; a row's image depends only on its seed (the seed column, or the
/// model seed plus the row position), never on batch composition. Save it with <c>mlContext.Model.Save</c>.
/// </summary>
public sealed partial class DiffusionSamplerTransformer : ITransformer, IDisposable
{
    private readonly IHost _host;
    private readonly UNetModel _model;
    private readonly UNetModel _ema;
    private DiffusionSamplerOptions _sampler;
    private bool _disposed;
    private BFloat16Network? _bfloat16;   // made on first use, for the network the sampler uses
    private readonly Lock _bfloat16Lock = new();

    internal DiffusionSamplerTransformer(IHostEnvironment env, DiffusionModelSettings settings, NoiseSchedule schedule,
        UNetModel model, UNetModel ema, IReadOnlyList<float> lossHistory, long trainedSteps)
    {
        _host = env.Register(nameof(DiffusionSamplerTransformer));
        Settings = settings;
        Schedule = schedule;
        _model = model;
        _ema = ema;
        _sampler = settings.Sampler;
        LossHistory = lossHistory;
        TrainedSteps = trainedSteps;
        _model.eval();
        _ema.eval();
    }

    internal DiffusionModelSettings Settings { get; }

    /// <summary>The network the current sampler uses (EMA or raw weights).</summary>
    internal UNetModel SamplingNetwork => _sampler.UseEma ? _ema : _model;

    /// <summary>The noise schedule the model was trained with.</summary>
    public NoiseSchedule Schedule { get; }

    /// <summary>The U-Net's architecture.</summary>
    public UNetArchitecture Architecture => _model.Architecture;

    /// <summary>The training loss of every step, for loss curves.</summary>
    public IReadOnlyList<float> LossHistory { get; }

    /// <summary>The number of optimisation steps the model was trained for.</summary>
    public long TrainedSteps { get; }

    /// <summary>The number of classes of a class-conditional model (0: unconditional).</summary>
    public int ClassCount => Architecture.ClassCount;

    /// <summary>The names of classes 0…<see cref="ClassCount"/> − 1 (the training key column's KeyValues), or null.</summary>
    public IReadOnlyList<string>? ClassNames => Settings.LabelNames;

    /// <summary>The name of the generated image column.</summary>
    public string OutputColumnName => Settings.OutputColumnName;

    /// <summary>The sampler used by <see cref="Transform"/>; set it to change sampling without retraining.</summary>
    public DiffusionSamplerOptions SamplerOptions
    {
        get => _sampler;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            ObjectDisposedException.ThrowIf(_disposed, this);
            value.Validate(Schedule.Timesteps);
            _sampler = value;
        }
    }

    /// <summary>Whether the transformer maps rows one to one (it does: one generated image per input row).</summary>
    public bool IsRowToRowMapper => true;

    /// <summary>The input schema plus the generated columns.</summary>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        ObjectDisposedException.ThrowIf(_disposed, this);
        CheckSeedColumn(inputSchema);
        CheckLabelColumn(inputSchema);
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(inputSchema);
        builder.AddColumn(Settings.OutputColumnName, new ImageDataViewType(Architecture.ImageHeight, Architecture.ImageWidth));
        if (Settings.OutputVectorColumnName is string v)
            builder.AddColumn(v, new VectorDataViewType(NumberDataViewType.Single, Architecture.ImageChannels, Architecture.ImageHeight, Architecture.ImageWidth));
        return builder.ToSchema();
    }

    /// <summary>A lazy view of <paramref name="input"/> with the generated columns; nothing is sampled until a cursor reads them.</summary>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new BatchedColumnsDataView(this, input, GetOutputSchema(input.Schema));
    }

    /// <summary>A mapper that generates the image of one row at a time.</summary>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => new BatchedColumnsMapper(this, inputSchema, GetOutputSchema(inputSchema));

    internal DataViewSchema.Column? SeedColumn(DataViewSchema schema) =>
        Settings.SeedColumnName is string name ? schema.GetColumnOrNull(name) : null;

    internal DataViewSchema.Column? LabelColumn(DataViewSchema schema) =>
        ClassCount > 0 && Settings.LabelColumnName is string name ? schema.GetColumnOrNull(name) : null;

    // A request without the label column is unconditional; with it, the column must be one the labels can be read from.
    private void CheckLabelColumn(DataViewSchema schema)
    {
        if (LabelColumn(schema) is not { } column) return;
        bool ok = column.Type is KeyDataViewType key ? key.Count == (ulong)ClassCount || ClassNames is not null
            : column.Type == NumberDataViewType.Int32 || column.Type == NumberDataViewType.Int64 || column.Type == NumberDataViewType.UInt32
              || (column.Type is TextDataViewType && ClassNames is not null);
        if (!ok)
            throw new ArgumentOutOfRangeException(nameof(schema),
                $"Schema mismatch for label column '{column.Name}': expected a key column of {ClassCount} values, Int32/Int64/UInt32 classes 0…{ClassCount - 1}" +
                (ClassNames is null ? "" : ", or text class names") + $", got {column.Type}.");
    }

    private void CheckSeedColumn(DataViewSchema schema)
    {
        // The seed column is optional per view: training data rarely has one, generation requests do.
        if (Settings.SeedColumnName is not string name || schema.GetColumnOrNull(name) is not { } column) return;
        if (!GeneratedColumns.IsSeedType(column.Type))
            throw new ArgumentOutOfRangeException(nameof(schema), $"Schema mismatch for seed column '{name}': expected Int32, Int64 or UInt32, got {column.Type}.");
    }

    /// <summary>
    /// Generates one image per seed with the current sampler; returns planar (C, H, W) pixels per image in [−1, 1].
    /// </summary>
    public float[][] Generate(IReadOnlyList<long> seeds) => Generate(seeds, null);

    /// <summary>
    /// Generates one image per seed of a class-conditional model, row i of class <paramref name="classes"/>[i]
    /// (0…<see cref="ClassCount"/> − 1; null for no class), guided by <see cref="DiffusionSamplerOptions.GuidanceScale"/>.
    /// </summary>
    public float[][] Generate(IReadOnlyList<long> seeds, IReadOnlyList<int?>? classes)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        ObjectDisposedException.ThrowIf(_disposed, this);
        long[]? indices = null;
        if (classes is not null)
        {
            if (classes.Count != seeds.Count) throw new ArgumentException($"Expected one class per seed ({seeds.Count}), got {classes.Count}.", nameof(classes));
            if (ClassCount == 0) throw new ArgumentException("The model is unconditional (trained without LabelColumnName); it takes no classes.", nameof(classes));
            indices = new long[classes.Count];
            for (int i = 0; i < classes.Count; i++)
            {
                if (classes[i] is int c && (c < 0 || c >= ClassCount))
                    throw new ArgumentOutOfRangeException(nameof(classes), $"Class {c} (row {i}) is not one of the model's classes 0…{ClassCount - 1}.");
                indices[i] = classes[i] is int k ? k + 1 : 0;
            }
        }
        var result = new float[seeds.Count][];
        int batch = _sampler.BatchSize;
        for (int start = 0; start < seeds.Count; start += batch)
        {
            var chunk = seeds.Skip(start).Take(batch).ToArray();
            var pixels = GenerateBatch(chunk, indices?.Skip(start).Take(batch).ToArray());
            int size = pixels.Length / chunk.Length;
            for (int i = 0; i < chunk.Length; i++) result[start + i] = pixels.AsSpan(i * size, size).ToArray();
        }
        return result;
    }

    /// <param name="seeds">One seed per row.</param>
    /// <param name="classes">Class-embedding indices per row (0 = no class) of a conditional model, or null for none.</param>
    internal float[] GenerateBatch(long[] seeds, long[]? classes = null)
    {
        // Cursors and row mappers made before Dispose end up here; without this they met freed tensors.
        ObjectDisposedException.ThrowIf(_disposed, this);
        var a = Architecture;
        var network = _sampler.UseEma ? _ema : _model;
        var sampler = DiffusionSamplers.Create(_sampler);
        var generators = seeds.Select(s => new Generator(unchecked((ulong)s))).ToList();
        try
        {
            using var mode = inference_mode();
            using var scope = NewDisposeScope();
            var xT = cat(generators.Select(g => randn([1, a.ImageChannels, a.ImageHeight, a.ImageWidth], generator: g)).ToList(), 0);
            Func<Tensor, Tensor, Tensor?, Tensor> evaluate = _sampler.Precision == SamplingPrecision.BFloat16
                ? BFloat16(network).Denoise
                : (x, t, c) => Denoise(network, x, t, c);
            using var y = ClassCount > 0 ? tensor(classes ?? new long[seeds.Length]) : null;
            var x0 = sampler.Sample((x, t) => Guided(evaluate, x, t, y, _sampler.GuidanceScale), Schedule, Settings.PredictionTarget, xT, generators);
            return x0.clamp(-1, 1).data<float>().ToArray();
        }
        finally
        {
            foreach (var g in generators) g.Dispose();
        }
    }

    private BFloat16Network BFloat16(UNetModel network)
    {
        lock (_bfloat16Lock)
        {
            if (_bfloat16?.Source != network)
            {
                _bfloat16?.Dispose();
                _bfloat16 = new BFloat16Network(network);
            }
            return _bfloat16;
        }
    }


    /// <summary>
    /// Classifier-free guidance (Ho and Salimans 2022, Eq. 6): ε̃ = ε_uncond + w (ε_cond − ε_uncond), both halves from one
    /// call on the batch doubled with "no class". It is applied to the network's output whatever it predicts: x̂₀ and ε̂ are
    /// affine in the output at a fixed x_t, and the weights (1 − w, w) sum to 1, so guiding ε̂, x̂₀ or v̂ is the same.
    /// </summary>
    internal static Tensor Guided(Func<Tensor, Tensor, Tensor?, Tensor> denoise, Tensor x, Tensor t, Tensor? classes, double w)
    {
        if (classes is null || w == 1) return denoise(x, t, classes);
        using var scope = NewDisposeScope();
        long rows = x.shape[0];
        var both = denoise(cat([x, x], 0), cat([t, t], 0), cat([classes, zeros_like(classes)], 0));
        var conditional = both.narrow(0, 0, rows);
        var unconditional = both.narrow(0, rows, rows);
        return (unconditional + (conditional - unconditional) * w).MoveToOuterDisposeScope();
    }

    internal static Tensor Denoise(UNetModel network, Tensor x, Tensor t, Tensor? classes = null) => classes is null
        ? FixedChunks.Apply([x, t], c => network.call(c[0], c[1]))
        : FixedChunks.Apply([x, t, classes], c => network.forward(c[0], c[1], c[2]));

    internal MLImage ToImage(ReadOnlySpan<float> planar) => GeneratedColumns.ToImage(planar, Architecture.ImageChannels, Architecture.ImageHeight, Architecture.ImageWidth);

    internal float[] ToOutputVector(ReadOnlySpan<float> planar) => GeneratedColumns.ToOutputVector(planar, Settings.OutputScale, Settings.OutputOffset);

    /// <summary>Releases the networks.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _model.Dispose();
        _ema.Dispose();
        _bfloat16?.Dispose();
        Schedule.Dispose();
    }
}
