using Microsoft.ML;
using Microsoft.ML.Diffusion;
using Microsoft.ML.Runtime;
using static TorchSharp.torch;

[assembly: LoadableClass(typeof(VariationalAutoencoderTransformer), null, typeof(SignatureLoadModel),
    "Variational Autoencoder", VariationalAutoencoderTransformer.LoaderSignature)]

namespace Microsoft.ML.Diffusion;

/// <remarks>
/// Model zip layout of this transformer (inside its folder of the ML.NET model zip): <c>Model.key</c> (signature VAEGEN,
/// loader "VariationalAutoencoder"), <c>PackageVersion.txt</c>, <c>Settings.json</c> (architecture, columns, scaling, seed,
/// steps trained, SHA-256 of each binary entry), <c>Vae.dat</c> and <c>Ema.dat</c> (TorchSharp .dat weights) and
/// <c>LossHistory.bin</c>, read with the same guards as the diffusion model's (<see cref="ModelZipEntries"/>).
/// </remarks>
public sealed partial class VariationalAutoencoderTransformer : ICanSaveModel
{
    /// <summary>The name the transformer's loader is registered under.</summary>
    public const string LoaderSignature = "VariationalAutoencoder";

    private const string What = "variational autoencoder";

    // 1.0: the first format.
    private static VersionInfo GetVersionInfo() => new(
        modelSignature: "VAEGEN  ",
        verWrittenCur: 0x00010000,
        verReadableCur: 0x00010000,
        verWeCanReadBack: 0x00010000,
        loaderAssemblyName: typeof(VariationalAutoencoderTransformer).Assembly.GetName().Name!,
        loaderSignature: LoaderSignature);

    void ICanSaveModel.Save(ModelSaveContext ctx)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ctx.CheckAtModel();
        ctx.SetVersionInfo(GetVersionInfo());
        ctx.SaveTextStream(ModelZipEntries.PackageVersionEntry, w => w.Write(PackageVersion.WrittenBy));
        var vae = EntryDigests.Serialize(s => StateDictEntry.Write(s, _model));
        var ema = EntryDigests.Serialize(s => StateDictEntry.Write(s, _ema));
        var losses = ModelZipEntries.Losses(LossHistory);
        var digests = new Dictionary<string, string> { ["Vae.dat"] = EntryDigests.Of(vae), ["Ema.dat"] = EntryDigests.Of(ema), [ModelZipEntries.LossHistoryEntry] = EntryDigests.Of(losses) };
        ctx.SaveTextStream("Settings.json", w => w.Write(GuardedJson.Write(new SavedSettings(Architecture, Settings, TrainedSteps, digests))));
        ctx.SaveBinaryStream("Vae.dat", w => w.Write(vae));
        ctx.SaveBinaryStream("Ema.dat", w => w.Write(ema));
        ctx.SaveBinaryStream(ModelZipEntries.LossHistoryEntry, w => w.Write(losses));
    }

    private static VariationalAutoencoderTransformer Create(IHostEnvironment env, ModelLoadContext ctx)
    {
        ModelZipEntries.CheckFormat(ctx, GetVersionInfo(), What);
        string settingsEntry = $"{ctx.Directory}/Settings.json";
        var s = ModelZipEntries.Settings<SavedSettings>(ctx, "Settings.json", What);
        CheckSettings(s, settingsEntry);
        var weights = ModelZipEntries.ReadWeights(ctx, "Vae.dat", s.EntrySha256, settingsEntry, What);
        Dictionary<string, Tensor>? emaWeights = null;
        VaeModel? model = null, ema = null;
        try
        {
            emaWeights = ModelZipEntries.ReadWeights(ctx, "Ema.dat", s.EntrySha256, settingsEntry, What);
            model = new VaeModel(s.Architecture);
            ema = new VaeModel(s.Architecture);
            StateDictEntry.Apply(weights, model, $"{ctx.Directory}/Vae.dat");
            StateDictEntry.Apply(emaWeights, ema, $"{ctx.Directory}/Ema.dat");
            var losses = ModelZipEntries.ReadLosses(ctx, s.EntrySha256, settingsEntry, What);
            return new VariationalAutoencoderTransformer(env, s.Settings, model, ema, losses, s.TrainedSteps);
        }
        catch
        {
            model?.Dispose();
            ema?.Dispose();
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
        if (s.Architecture is null || s.Settings is null) throw new InvalidDataException($"Entry '{entry}' lacks the architecture or the settings.");
        GuardedJson.RequireDefined(s.Architecture.Decoder, "Architecture.Decoder", entry);
        var settings = s.Settings;
        var violation = s.Architecture.Check()
            ?? Violation.NonEmpty(nameof(settings.InputColumnName), settings.InputColumnName)
            ?? ModelBounds.Columns(settings.OutputColumnName, settings.SeedColumnName, settings.OutputVectorColumnName)
            ?? ModelBounds.Scaling(settings.InputScale, settings.InputOffset)
            ?? Violation.AtLeast(nameof(settings.BatchSize), settings.BatchSize, 1);
        if (violation is not null) throw violation.ForEntry(entry);
        if (s.TrainedSteps < 0) throw new InvalidDataException($"Entry '{entry}' declares {s.TrainedSteps} trained steps.");
    }

    private sealed record SavedSettings(VaeArchitecture Architecture, VaeModelSettings Settings, long TrainedSteps, IReadOnlyDictionary<string, string>? EntrySha256 = null);
}
