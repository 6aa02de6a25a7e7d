using Microsoft.ML;
using Microsoft.ML.Runtime;
using static TorchSharp.torch;

namespace Microsoft.ML.Diffusion;

/// <summary>
/// The entries both transformers keep in their folder of an ML.NET model zip, written and read with the same guards:
/// the writing package's version, bounded settings text, weights and loss history with SHA-256 digests. Every malformed
/// entry fails with an <see cref="InvalidDataException"/> naming it; nothing is allocated from a declared size before it
/// is checked against the entry's real length.
/// </summary>
internal static class ModelZipEntries
{
    public const string PackageVersionEntry = "PackageVersion.txt";

    public const string LossHistoryEntry = "LossHistory.bin";

    private const int MaxLossHistory = 100_000_000;

    // Settings are a few kilobytes; reading at most this much keeps a forged (or decompression-bomb) entry from filling memory.
    private const int MaxSettingsChars = 1 << 20;

    /// <summary>The loss-history entry: int32 count, then one float per step.</summary>
    public static byte[] Losses(IReadOnlyList<float> losses) => EntryDigests.Serialize(s =>
    {
        using var w = new BinaryWriter(s, System.Text.Encoding.UTF8, leaveOpen: true);
        w.Write(losses.Count);
        foreach (var l in losses) w.Write(l);
    });

    /// <summary>
    /// ML.NET's own check says only "Cannot read version ... data"; a model from a newer package says which package to install.
    /// <paramref name="what"/> names the model in messages ("diffusion model").
    /// </summary>
    public static void CheckFormat(ModelLoadContext ctx, VersionInfo ours, string what)
    {
        if (ctx.Header.ModelSignature == ours.ModelSignature && ctx.Header.ModelVerReadable > ours.VerWrittenCur)
        {
            string? writtenBy = null;
            ctx.TryLoadTextStream(PackageVersionEntry, r => writtenBy = ReadBounded(r, $"{ctx.Directory}/{PackageVersionEntry}").Trim());
            throw PackageVersion.NewerFormat($"The {what} in '{ctx.Directory}'", PackageVersion.Format(ctx.Header.ModelVerWritten),
                PackageVersion.Format(ours.VerWrittenCur), writtenBy);
        }
        ctx.CheckAtModel(ours);
    }

    /// <summary>Parses the settings entry.</summary>
    public static T Settings<T>(ModelLoadContext ctx, string name, string what) where T : class
    {
        string entry = $"{ctx.Directory}/{name}";
        T? saved = null;
        if (!ctx.TryLoadTextStream(name, r => saved = GuardedJson.Parse<T>(ReadBounded(r, entry), entry)))
            throw Missing(ctx, name, what);
        return saved!;
    }

    // The digest is checked after parsing, so that a forged entry is still refused by the parser's bounds, before allocating.
    public static Dictionary<string, Tensor> ReadWeights(ModelLoadContext ctx, string name, IReadOnlyDictionary<string, string>? digests, string settingsEntry, string what)
    {
        Dictionary<string, Tensor>? weights = null;
        if (!ctx.TryLoadBinaryStream(name, r =>
        {
            weights = StateDictEntry.Read(r.BaseStream, $"{ctx.Directory}/{name}");
            try
            {
                EntryDigests.Check(r.BaseStream, digests, name, $"{ctx.Directory}/{name}", settingsEntry);
            }
            catch
            {
                StateDictEntry.Dispose(weights);
                throw;
            }
        }))
            throw Missing(ctx, name, what);
        return weights!;
    }

    public static List<float> ReadLosses(ModelLoadContext ctx, IReadOnlyDictionary<string, string>? digests, string settingsEntry, string what)
    {
        var losses = new List<float>();
        if (!ctx.TryLoadBinaryStream(LossHistoryEntry, r =>
        {
            EntryDigests.Check(r.BaseStream, digests, LossHistoryEntry, $"{ctx.Directory}/{LossHistoryEntry}", settingsEntry);
            if (r.BaseStream.Length < 4)
                throw new InvalidDataException($"Entry '{ctx.Directory}/{LossHistoryEntry}' has {r.BaseStream.Length} bytes; it needs at least a 4-byte count.");
            int n = r.ReadInt32();
            if (n < 0 || n > MaxLossHistory || (long)n * 4 != r.BaseStream.Length - 4)
                throw new InvalidDataException($"Entry '{ctx.Directory}/{LossHistoryEntry}' declares {n} losses but holds {r.BaseStream.Length - 4} bytes of them.");
            losses.Capacity = n;
            for (int i = 0; i < n; i++) losses.Add(r.ReadSingle());
        }))
            throw Missing(ctx, LossHistoryEntry, what);
        return losses;
    }

    public static string ReadBounded(TextReader reader, string entry)
    {
        var buffer = new char[MaxSettingsChars + 1];
        int read = reader.ReadBlock(buffer, 0, buffer.Length);
        if (read > MaxSettingsChars)
            throw new InvalidDataException($"Entry '{entry}' is longer than {MaxSettingsChars} characters; model settings are a few kilobytes.");
        return new string(buffer, 0, read);
    }

    public static InvalidDataException Missing(ModelLoadContext ctx, string name, string what) =>
        new($"The {what} in '{ctx.Directory}' lacks its '{name}' entry (the model zip is incomplete).");
}
