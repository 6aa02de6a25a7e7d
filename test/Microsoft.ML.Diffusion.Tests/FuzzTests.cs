using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using static TorchSharp.torch;

namespace Microsoft.ML.Diffusion.Tests;

/// <summary>
/// Mutations of a real model zip and a real checkpoint (one tiny training run each), from a fixed seed: each must fail as
/// malformed data — a <see cref="InvalidDataException"/> (checkpoints: only that), or for model zips also ML.NET's
/// <see cref="FormatException"/> or one of its own format errors — or load exactly the original's data. A mutation of one
/// entry re-zipped with a valid CRC is a different but well-formed file, so there only that entry may load differently.
/// Any other exception, a silently different load, a file written outside the data, a memory peak or a crash fails the test.
/// </summary>
[TestClass]
public class FuzzTests
{
    // Fixed, so that a failure reproduces; DIFFUSION_FUZZ_SEED explores others.
    private const int DefaultSeed = 20261201;
    private const int CasesPerKind = 1200;
    private const long PeakGrowthLimit = 400L << 20;
    private static readonly TimeSpan s_budget = TimeSpan.FromSeconds(60);

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void MutatedModelZipsAndCheckpointsFailClearlyOrLoadTheOriginalData()
    {
        byte[] model;
        using (var trained = CheckpointTestKit.Fit(TinyData.Options(steps: 2)))
            model = CheckpointTestKit.ModelZip(trained);
        var checkpoint = CheckpointTestKit.TinyCheckpoint(3);
        int seed = int.TryParse(Environment.GetEnvironmentVariable("DIFFUSION_FUZZ_SEED"), out int s) ? s : DefaultSeed;
        var rng = new Random(seed);
        var outcomes = new SortedDictionary<string, int>();
        var ml = new MLContext(1);
        var modelOriginal = ModelContent(ml, model);
        var checkpointOriginal = CheckpointContent(checkpoint);

        var sandbox = new SandboxedFiles();
        long rssBefore = PeakMemory.ResetAndReadResident();
        var clock = Stopwatch.StartNew();
        try
        {
            for (int i = 0; i < CasesPerKind; i++)
            {
                var mutated = Mutation.Apply(model, rng, out var how);
                string name = $"model zip {i} ({how.Text}, seed {seed})";
                Run(name, outcomes, "model zip", strict: false,
                    () => AssertSameModel(name, how, modelOriginal, ModelContent(ml, mutated), CheckpointTestKit.Entries(mutated)));
            }
            var modelTime = clock.Elapsed;
            for (int i = 0; i < CasesPerKind; i++)
            {
                var mutated = Mutation.Apply(checkpoint, rng, out var how);
                string name = $"checkpoint {i} ({how.Text}, seed {seed})";
                Run(name, outcomes, "checkpoint", strict: true, () =>
                {
                    TrainingCheckpoint.Verify(new MemoryStream(mutated), "fuzzed.zip");
                    AssertSameCheckpoint(name, how, checkpointOriginal, CheckpointContent(mutated));
                });
            }
            TestContext.WriteLine($"seed {seed}: {2 * CasesPerKind} cases in {clock.Elapsed.TotalSeconds:F1} s (model zips {modelTime.TotalSeconds:F1} s)");
        }
        finally
        {
            sandbox.Dispose();
        }
        long peakGrowth = PeakMemory.Peak() - rssBefore;
        foreach (var (outcome, count) in outcomes) TestContext.WriteLine($"  {outcome}: {count}");
        TestContext.WriteLine($"peak resident memory {peakGrowth >> 20} MB above the start");
        sandbox.AssertNothingWritten();
        Assert.IsLessThan(PeakGrowthLimit, peakGrowth, $"loading the mutated files raised the resident-memory peak by {peakGrowth >> 20} MB");
        Assert.IsLessThan(s_budget, clock.Elapsed, "the fuzz cases took longer than their budget");
    }

    private static void Run(string name, SortedDictionary<string, int> outcomes, string kind, bool strict, Action load)
    {
        string outcome;
        try
        {
            load();
            outcome = "loaded the original data (or, for a re-zipped entry, that entry's data)";
        }
        catch (AssertFailedException)
        {
            throw;
        }
        catch (Exception thrown)
        {
            var e = ModelLoadErrors.Reason(thrown);
            if (e is InvalidDataException) outcome = "InvalidDataException";
            else if (!strict && e.GetType() == typeof(FormatException)) outcome = "FormatException";
            else if (!strict && ModelLoadErrors.IsMlNetFormatError(e)) outcome = $"ML.NET {e.GetType().Name}";
            else
            {
                Assert.Fail($"{name}: {e.GetType()} is not a malformed-data error: {thrown}");
                return;
            }
        }
        string key = $"{kind}: {outcome}";
        outcomes[key] = outcomes.GetValueOrDefault(key) + 1;
    }

    // ---- What a load produced, part by part (SHA-256 of each), to compare with the original's.

    private static readonly string[] s_modelParts = ["Settings.json", "UNet.dat", "Ema.dat", "LossHistory.bin"];

    /// <summary>The entries of the loaded model saved again: what the loader made of the file.</summary>
    private static Dictionary<string, string> ModelContent(MLContext ml, byte[] zip)
    {
        var loaded = ml.Model.Load(new MemoryStream(zip), out _);
        try
        {
            using var saved = new MemoryStream();
            ml.Model.Save(loaded, null, saved);
            return CheckpointTestKit.Entries(saved.ToArray()).ToDictionary(e => e.Key, e => Hash(e.Value));
        }
        finally
        {
            (loaded as IDisposable)?.Dispose();
        }
    }

    private static void AssertSameModel(string name, Mutation.Description how, Dictionary<string, string> original, Dictionary<string, string> loaded,
        Dictionary<string, byte[]> mutatedEntries)
    {
        foreach (var part in s_modelParts)
        {
            var entry = original.Keys.Single(k => k.EndsWith("/" + part, StringComparison.Ordinal));
            string got = loaded.GetValueOrDefault(entry, "(missing)");
            if (got == original[entry]) continue;
            // A re-zipped entry is a well-formed file of other content: it may load as written, never as something else.
            bool asWritten = how.Entry == entry && (part.EndsWith(".json", StringComparison.Ordinal) || got == Hash(mutatedEntries[entry]));
            Assert.IsTrue(asWritten, $"{name}: loaded without an error, but {entry} holds other data than the file");
        }
    }

    private static Dictionary<string, string> CheckpointContent(byte[] zip)
    {
        using var c = TrainingCheckpoint.Read(new MemoryStream(zip), "fuzzed.zip");
        static string Tensors(Dictionary<string, Tensor> d) => string.Join(";", d.Select(kv => $"{kv.Key}:{TensorHash(kv.Value)}"));
        return new()
        {
            ["Checkpoint/Manifest.json"] = Hash(Encoding.UTF8.GetBytes(GuardedJson.Write(c.Manifest))),
            ["Checkpoint/Options.json"] = Hash(Encoding.UTF8.GetBytes(c.Options.ToJsonString())),
            ["Checkpoint/UNet.dat"] = Hash(Encoding.UTF8.GetBytes(Tensors(c.Weights))),
            ["Checkpoint/Ema.dat"] = Hash(Encoding.UTF8.GetBytes(Tensors(c.EmaWeights))),
            ["Checkpoint/Optimizer.bin"] = Hash(c.OptimizerState),
            ["Checkpoint/Generator.dat"] = TensorHash(c.GeneratorState),
            ["Checkpoint/DefaultGenerator.dat"] = TensorHash(c.DefaultGeneratorState),
            ["Checkpoint/Permutation.dat"] = TensorHash(c.Permutation),
            ["Checkpoint/LossHistory.bin"] = Hash(c.Losses.SelectMany(BitConverter.GetBytes).ToArray()),
        };
    }

    private static void AssertSameCheckpoint(string name, Mutation.Description how, Dictionary<string, string> original, Dictionary<string, string> loaded)
    {
        foreach (var (part, hash) in original)
            Assert.IsTrue(loaded[part] == hash || how.Entry == part, $"{name}: verified without an error, but {part} loaded other data than the file");
    }

    private static string TensorHash(Tensor? t) => t is null ? "none" : $"{t.dtype}[{string.Join(",", t.shape)}]{Hash(t.bytes.ToArray())}";

    private static string Hash(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes));

    /// <summary>
    /// Points the process's temporary folder (TMPDIR, which .NET reads on every Path.GetTempPath call on Unix) at a new
    /// empty folder and snapshots the working folder, so that any file a loader writes shows up.
    /// </summary>
    private sealed class SandboxedFiles : IDisposable
    {
        private readonly string? _tmpdir = Environment.GetEnvironmentVariable("TMPDIR");
        private readonly string _folder = CheckpointTestKit.NewFolder();
        private readonly string[] _workingFolder = Directory.GetFileSystemEntries(Environment.CurrentDirectory);

        public SandboxedFiles() => Environment.SetEnvironmentVariable("TMPDIR", _folder);

        public void Dispose() => Environment.SetEnvironmentVariable("TMPDIR", _tmpdir);

        public void AssertNothingWritten()
        {
            try
            {
                CollectionAssert.AreEqual(Array.Empty<string>(), Directory.GetFileSystemEntries(_folder), "a loader wrote to the temporary folder");
                CollectionAssert.AreEquivalent(_workingFolder, Directory.GetFileSystemEntries(Environment.CurrentDirectory), "a loader wrote to the working folder");
            }
            finally
            {
                CheckpointTestKit.DeleteFolder(_folder);
            }
        }
    }

    /// <summary>The resident-memory peak (Linux: VmHWM, which writing 5 to /proc/self/clear_refs resets to the current size).</summary>
    private static class PeakMemory
    {
        public static long ResetAndReadResident()
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            if (OperatingSystem.IsLinux()) File.WriteAllText("/proc/self/clear_refs", "5");
            return Status("VmRSS:") ?? Environment.WorkingSet;
        }

        public static long Peak() => Status("VmHWM:") ?? Process.GetCurrentProcess().PeakWorkingSet64;

        private static long? Status(string field)
        {
            if (!OperatingSystem.IsLinux()) return null;
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
            return line is null ? null : long.Parse(line[field.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
        }
    }

    /// <summary>Byte-level damage to the archive, and damage to one entry's content re-zipped with a valid CRC (reaching the parsers).</summary>
    private static class Mutation
    {
        /// <summary>What was done; <see cref="Entry"/> is the one re-zipped entry whose content changed, if any.</summary>
        public sealed record Description(string Text, string? Entry);

        public static byte[] Apply(byte[] zip, Random rng, out Description how)
        {
            int kind = rng.Next(10);
            if (kind < 4)
            {
                var damaged = Damage(zip, rng, out string damage);
                how = new($"{damage} in the archive bytes", null);
                return damaged;
            }
            var entries = CheckpointTestKit.Entries(zip).ToList();
            int pick = rng.Next(entries.Count);
            var (name, bytes) = entries[pick];
            if (kind == 9)
            {
                bool drop = rng.Next(2) == 0;
                how = new($"{(drop ? "dropped" : "duplicated")} entry {name}", null);
                if (drop) entries.RemoveAt(pick);
                else entries.Add(entries[pick]);
                return CheckpointTestKit.Zip(entries);
            }
            entries[pick] = new(name, Damage(bytes, rng, out string change));
            how = new($"{change} in entry {name}", name);
            return CheckpointTestKit.Zip(entries);
        }

        private static byte[] Damage(byte[] source, Random rng, out string how)
        {
            var b = (byte[])source.Clone();
            if (b.Length == 0) { how = "empty"; return [(byte)rng.Next(256)]; }
            switch (rng.Next(7))
            {
                case 0:
                    int flips = 1 + rng.Next(4);
                    for (int k = 0; k < flips; k++) b[rng.Next(b.Length)] ^= (byte)(1 << rng.Next(8));
                    how = $"{flips} bit flips";
                    return b;
                case 1:
                    int keep = rng.Next(b.Length);
                    how = $"truncated to {keep} bytes";
                    return b[..keep];
                case 2:
                    int at = rng.Next(b.Length), run = Math.Min(1 + rng.Next(32), b.Length - at);
                    rng.NextBytes(b.AsSpan(at, run));
                    how = $"{run} random bytes at {at}";
                    return b;
                case 3:
                    int wide = rng.Next(b.Length), width = Math.Min(1 + rng.Next(8), b.Length - wide);
                    b.AsSpan(wide, width).Fill(0xFF);
                    how = $"{width} bytes of 0xFF at {wide}";
                    return b;
                case 4:
                    int zeroAt = rng.Next(b.Length), zeros = Math.Min(1 + rng.Next(256), b.Length - zeroAt);
                    b.AsSpan(zeroAt, zeros).Clear();
                    how = $"{zeros} bytes zeroed at {zeroAt}";
                    return b;
                case 5:
                    int insertAt = rng.Next(b.Length + 1);
                    var extra = new byte[1 + rng.Next(16)];
                    rng.NextBytes(extra);
                    how = $"{extra.Length} bytes inserted at {insertAt}";
                    return [.. b[..insertAt], .. extra, .. b[insertAt..]];
                default:
                    int from = rng.Next(b.Length), count = Math.Min(1 + rng.Next(64), b.Length - from);
                    how = $"{count} bytes deleted at {from}";
                    return [.. b[..from], .. b[(from + count)..]];
            }
        }
    }
}
