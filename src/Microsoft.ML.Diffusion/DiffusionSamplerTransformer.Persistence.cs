using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Diffusion;

/// <remarks>
/// Model zip layout of this transformer (inside its folder of the ML.NET model zip):
/// <list type="bullet">
/// <item><c>Model.key</c>: the header (model signature DIFFUSN, loader "DiffusionSampler") with an empty payload.</item>
/// <item><c>Settings.json</c>: architecture, schedule, prediction target, columns, scaling, seed, sampler, steps trained.</item>
/// <item><c>UNet.dat</c>, <c>Ema.dat</c>: the raw and EMA weights in TorchSharp's .dat format.</item>
/// <item><c>LossHistory.bin</c>: int32 count, then one float per training step.</item>
/// </list>
/// </remarks>
public sealed partial class DiffusionSamplerTransformer : ICanSaveModel
{
    /// <summary>The name the transformer's loader is registered under.</summary>
    public const string LoaderSignature = "DiffusionSampler";

    private const int MaxLossHistory = 100_000_000;

    private static VersionInfo GetVersionInfo() => new(
        modelSignature: "DIFFUSN ",
        verWrittenCur: 0x00010001,   // 1.1: settings JSON + .dat weights + loss history
        verReadableCur: 0x00010001,
        verWeCanReadBack: 0x00010001,
        loaderAssemblyName: typeof(DiffusionSamplerTransformer).Assembly.FullName!,
        loaderSignature: LoaderSignature);

    private static readonly JsonSerializerOptions s_json = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
        MaxDepth = 16,
    };

    /// <summary>Registers the loader with ML.NET's model loading; runs when this assembly loads.</summary>
    // A library module initializer is deliberate here: the loader must be registered before any model zip
    // naming it is read, and no user call is guaranteed to come first.
#pragma warning disable CA2255
    [System.Runtime.CompilerServices.ModuleInitializer]
#pragma warning restore CA2255
    internal static void RegisterLoader() => ModelLoaderCatalog.Register(LoaderSignature, Create);

    void ICanSaveModel.Save(ModelSaveContext ctx)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ctx.CheckAtModel();
        ctx.SetVersionInfo(GetVersionInfo());
        var saved = new SavedSettings(Architecture, Schedule.Kind, Schedule.Timesteps, Schedule.Betas[0], Schedule.Betas[^1],
            Settings with { Sampler = _sampler }, TrainedSteps);
        ctx.SaveTextStream("Settings.json", w => w.Write(JsonSerializer.Serialize(saved, s_json)));
        ctx.SaveBinaryStream("UNet.dat", w => _model.save(w));
        ctx.SaveBinaryStream("Ema.dat", w => _ema.save(w));
        ctx.SaveBinaryStream("LossHistory.bin", w =>
        {
            w.Write(LossHistory.Count);
            foreach (var l in LossHistory) w.Write(l);
        });
    }

    private static DiffusionSamplerTransformer Create(IHostEnvironment env, ModelLoadContext ctx)
    {
        ctx.CheckAtModel(GetVersionInfo());
        SavedSettings? saved = null;
        if (!ctx.TryLoadTextStream("Settings.json", r => saved = Parse(r.ReadToEnd(), ctx.Directory)))
            throw Missing(ctx, "Settings.json");
        var s = saved!;
        try
        {
            s.Architecture.Validate();
            s.Settings.Sampler.Validate(s.Timesteps);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"Entry '{ctx.Directory}/Settings.json' is invalid: {e.Message}", e);
        }
        if (s.Timesteps is < 2 or > 100_000) throw new InvalidDataException($"Entry '{ctx.Directory}/Settings.json' declares {s.Timesteps} timesteps.");
        var schedule = NoiseSchedule.Create(s.ScheduleKind, s.Timesteps, s.BetaStart, s.BetaEnd);
        var model = new UNetModel(s.Architecture);
        var ema = new UNetModel(s.Architecture);
        var losses = new List<float>();
        try
        {
            LoadWeights(ctx, "UNet.dat", model);
            LoadWeights(ctx, "Ema.dat", ema);
            if (!ctx.TryLoadBinaryStream("LossHistory.bin", r =>
            {
                int n = r.ReadInt32();
                if (n < 0 || n > MaxLossHistory || (long)n * 4 > r.BaseStream.Length - 4)
                    throw new InvalidDataException($"Entry '{ctx.Directory}/LossHistory.bin' declares {n} losses, more than it holds.");
                for (int i = 0; i < n; i++) losses.Add(r.ReadSingle());
            }))
                throw Missing(ctx, "LossHistory.bin");
        }
        catch
        {
            model.Dispose();
            ema.Dispose();
            schedule.Dispose();
            throw;
        }
        return new DiffusionSamplerTransformer(env, s.Settings, schedule, model, ema, losses, s.TrainedSteps);
    }

    private static void LoadWeights(ModelLoadContext ctx, string name, UNetModel model)
    {
        try
        {
            if (!ctx.TryLoadBinaryStream(name, r => model.load(r))) throw Missing(ctx, name);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"Entry '{ctx.Directory}/{name}' does not match the saved architecture: {e.Message}", e);
        }
    }

    private static SavedSettings Parse(string json, string directory)
    {
        try
        {
            return JsonSerializer.Deserialize<SavedSettings>(json, s_json) ?? throw new InvalidDataException($"Entry '{directory}/Settings.json' is empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Entry '{directory}/Settings.json' is not valid settings JSON: {e.Message}", e);
        }
    }

    private static InvalidDataException Missing(ModelLoadContext ctx, string name) =>
        new($"The diffusion model in '{ctx.Directory}' lacks its '{name}' entry (the model zip is incomplete).");

    private sealed record SavedSettings(UNetArchitecture Architecture, NoiseScheduleKind ScheduleKind, int Timesteps, double BetaStart, double BetaEnd,
        DiffusionModelSettings Settings, long TrainedSteps);
}
