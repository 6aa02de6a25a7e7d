using Microsoft.ML;
using Microsoft.ML.Diffusion;
using Microsoft.ML.Runtime;
using static TorchSharp.torch;

// ML.NET reads the loader's assembly name from the model header, loads that assembly and registers its
// [LoadableClass] attributes, so a model zip loads in a process that has not touched this package yet.
[assembly: LoadableClass(typeof(DiffusionSamplerTransformer), null, typeof(SignatureLoadModel),
    "Diffusion Sampler", DiffusionSamplerTransformer.LoaderSignature)]

namespace Microsoft.ML.Diffusion;

/// <remarks>
/// Model zip layout of this transformer (inside its folder of the ML.NET model zip):
/// <list type="bullet">
/// <item><c>Model.key</c>: the header (model signature DIFFUSN, loader "DiffusionSampler") with an empty payload.</item>
/// <item><c>PackageVersion.txt</c>: the package that wrote the model ("Microsoft.ML.Diffusion 0.1.0"; format 1.2 on), named
/// in the error a reader of an older version gives for a newer format.</item>
/// <item><c>Settings.json</c>: architecture (with the class count; format 1.3 on), schedule, prediction target, columns (the label column
/// and class names; 1.3 on), scaling, seed, sampler, steps trained, and the
/// SHA-256 of each binary entry (<see cref="EntryDigests"/>; absent in models saved before it, which load unchecked).</item>
/// <item><c>UNet.dat</c>, <c>Ema.dat</c>: the raw and EMA weights in TorchSharp's .dat format.</item>
/// <item><c>LossHistory.bin</c>: int32 count, then one float per training step.</item>
/// </list>
/// </remarks>
public sealed partial class DiffusionSamplerTransformer : ICanSaveModel
{
    /// <summary>The name the transformer's loader is registered under.</summary>
    public const string LoaderSignature = "DiffusionSampler";

    private const string What = "diffusion model";

    // 1.1: settings JSON + .dat weights + loss history; 1.2: + PackageVersion.txt, entry digests; 1.3: + class labels.
    // 1.1 and 1.2 readers ignore the JSON fields 1.3 added, which is harmless for an unconditional model (ClassCount 0);
    // a conditional one they would load without its class embedding and sample wrong images, so only it declares 1.3 readable.
    private static VersionInfo GetVersionInfo(bool conditional = false) => new(
        modelSignature: "DIFFUSN ",
        verWrittenCur: 0x00010003,
        verReadableCur: conditional ? 0x00010003u : 0x00010001u,
        verWeCanReadBack: 0x00010001,
        // The simple name: any version of the package then loads the model and its format check decides, with a message.
        loaderAssemblyName: typeof(DiffusionSamplerTransformer).Assembly.GetName().Name!,
        loaderSignature: LoaderSignature);

    void ICanSaveModel.Save(ModelSaveContext ctx)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ctx.CheckAtModel();
        ctx.SetVersionInfo(GetVersionInfo(ClassCount > 0));
        ctx.SaveTextStream(ModelZipEntries.PackageVersionEntry, w => w.Write(PackageVersion.WrittenBy));
        var unet = EntryDigests.Serialize(s => StateDictEntry.Write(s, _model));
        var ema = EntryDigests.Serialize(s => StateDictEntry.Write(s, _ema));
        var losses = ModelZipEntries.Losses(LossHistory);
        var digests = new Dictionary<string, string> { ["UNet.dat"] = EntryDigests.Of(unet), ["Ema.dat"] = EntryDigests.Of(ema), ["LossHistory.bin"] = EntryDigests.Of(losses) };
        var saved = new SavedSettings(Architecture, Schedule.Kind, Schedule.Timesteps, Schedule.Betas[0], Schedule.Betas[^1],
            Settings with { Sampler = _sampler }, TrainedSteps, digests);
        ctx.SaveTextStream("Settings.json", w => w.Write(GuardedJson.Write(saved)));
        ctx.SaveBinaryStream("UNet.dat", w => w.Write(unet));
        ctx.SaveBinaryStream("Ema.dat", w => w.Write(ema));
        ctx.SaveBinaryStream("LossHistory.bin", w => w.Write(losses));
    }

    // Every malformed entry fails with an InvalidDataException naming it (the model-zip layer adds FormatExceptions);
    // nothing is allocated from a declared size before it is checked against the entry's real length.
    private static DiffusionSamplerTransformer Create(IHostEnvironment env, ModelLoadContext ctx)
    {
        ModelZipEntries.CheckFormat(ctx, GetVersionInfo(), What);
        string settingsEntry = $"{ctx.Directory}/Settings.json";
        var s = ModelZipEntries.Settings<SavedSettings>(ctx, "Settings.json", What);
        CheckSettings(s, settingsEntry);
        var weights = ModelZipEntries.ReadWeights(ctx, "UNet.dat", s.EntrySha256, settingsEntry, What);
        Dictionary<string, Tensor>? emaWeights = null;
        NoiseSchedule? schedule = null;
        UNetModel? model = null, ema = null;
        try
        {
            emaWeights = ModelZipEntries.ReadWeights(ctx, "Ema.dat", s.EntrySha256, settingsEntry, What);
            ArchitectureBounds.Check(s.Architecture, StateDictEntry.Elements(weights), settingsEntry);
            schedule = CreateSchedule(s, settingsEntry);
            model = new UNetModel(s.Architecture);
            ema = new UNetModel(s.Architecture);
            StateDictEntry.Apply(weights, model, $"{ctx.Directory}/UNet.dat");
            StateDictEntry.Apply(emaWeights, ema, $"{ctx.Directory}/Ema.dat");
            var losses = ModelZipEntries.ReadLosses(ctx, s.EntrySha256, settingsEntry, What);
            return new DiffusionSamplerTransformer(env, s.Settings, schedule, model, ema, losses, s.TrainedSteps);
        }
        catch
        {
            model?.Dispose();
            ema?.Dispose();
            schedule?.Dispose();
            throw;
        }
        finally
        {
            StateDictEntry.Dispose(weights);
            if (emaWeights is not null) StateDictEntry.Dispose(emaWeights);
        }
    }

    private static void CheckSettings(SavedSettings s, string entry)
    {
        GuardedJson.RequireDefined(s.ScheduleKind, nameof(s.ScheduleKind), entry);
        GuardedJson.RequireDefined(s.Settings.PredictionTarget, nameof(s.Settings.PredictionTarget), entry);
        GuardedJson.RequireDefined(s.Settings.Sampler.Kind, "Sampler.Kind", entry);
        GuardedJson.RequireDefined(s.Settings.Sampler.Variance, "Sampler.Variance", entry);
        var settings = s.Settings;
        var violation = ModelBounds.Schedule(s.ScheduleKind, s.Timesteps, s.BetaStart, s.BetaEnd)
            ?? ModelBounds.Columns(settings.OutputColumnName, settings.SeedColumnName, settings.OutputVectorColumnName)
            ?? ModelBounds.Scaling(settings.OutputScale, settings.OutputOffset);
        if (violation is not null) throw violation.ForEntry(entry);
        if (s.TrainedSteps < 0) throw new InvalidDataException($"Entry '{entry}' declares {s.TrainedSteps} trained steps.");
        try
        {
            s.Settings.Sampler.Validate(s.Timesteps);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"Entry '{entry}' is invalid: {e.Message}", e);
        }
    }

    private static NoiseSchedule CreateSchedule(SavedSettings s, string entry)
    {
        try
        {
            return NoiseSchedule.Create(s.ScheduleKind, s.Timesteps, s.BetaStart, s.BetaEnd);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"Entry '{entry}' declares an invalid noise schedule: {e.Message}", e);
        }
    }

    private sealed record SavedSettings(UNetArchitecture Architecture, NoiseScheduleKind ScheduleKind, int Timesteps, double BetaStart, double BetaEnd,
        DiffusionModelSettings Settings, long TrainedSteps, IReadOnlyDictionary<string, string>? EntrySha256 = null);
}
