using System.Diagnostics;

namespace Microsoft.ML.Diffusion.Tests;

/// <summary>
/// Randomly mutated valid model zips and checkpoints must each load or fail as malformed data: a
/// <see cref="InvalidDataException"/> (checkpoints: only that), or for model zips also ML.NET's
/// <see cref="FormatException"/> (InvalidDataException is sealed, so the two cannot share a family). Any other
/// exception, a hang or a crash of the test host fails the test.
/// </summary>
[TestClass]
public class FuzzTests
{
    private const int CasesPerKind = 1500;
    private static readonly TimeSpan s_budget = TimeSpan.FromSeconds(120);

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void MutatedModelZipsAndCheckpointsLoadOrFailAsMalformedData()
    {
        byte[] model;
        using (var trained = CheckpointTestKit.Fit(TinyData.Options(steps: 2)))
            model = CheckpointTestKit.ModelZip(trained);
        var checkpoint = CheckpointTestKit.TinyCheckpoint(3);
        int seed = Environment.TickCount;
        var rng = new Random(seed);
        var outcomes = new SortedDictionary<string, int>();
        var ml = new MLContext(1);
        var clock = Stopwatch.StartNew();

        for (int i = 0; i < CasesPerKind; i++)
        {
            var mutated = Mutation.Apply(model, rng, out string how);
            Run($"model zip {i} ({how}, seed {seed})", outcomes, "model zip", strict: false, () =>
            {
                if (ml.Model.Load(new MemoryStream(mutated), out _) is IDisposable d) d.Dispose();
            });
        }
        var modelTime = clock.Elapsed;
        for (int i = 0; i < CasesPerKind; i++)
        {
            var mutated = Mutation.Apply(checkpoint, rng, out string how);
            Run($"checkpoint {i} ({how}, seed {seed})", outcomes, "checkpoint", strict: true, () => TrainingCheckpoint.Verify(new MemoryStream(mutated), "fuzzed.zip"));
        }

        TestContext.WriteLine($"seed {seed}: {2 * CasesPerKind} cases in {clock.Elapsed.TotalSeconds:F1} s (model zips {modelTime.TotalSeconds:F1} s, checkpoints {(clock.Elapsed - modelTime).TotalSeconds:F1} s)");
        foreach (var (outcome, count) in outcomes) TestContext.WriteLine($"  {outcome}: {count}");
        Assert.IsLessThan(s_budget, clock.Elapsed, "the fuzz cases took longer than their budget");
    }

    private static void Run(string name, SortedDictionary<string, int> outcomes, string kind, bool strict, Action load)
    {
        string outcome;
        try
        {
            load();
            outcome = "loaded";
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

    /// <summary>Byte-level damage to the archive, and damage to one entry's content re-zipped with a valid CRC (reaching the parsers).</summary>
    private static class Mutation
    {
        public static byte[] Apply(byte[] zip, Random rng, out string how)
        {
            int kind = rng.Next(10);
            if (kind < 4) return Raw(zip, rng, out how);
            var entries = CheckpointTestKit.Entries(zip).ToList();
            int pick = rng.Next(entries.Count);
            var (name, bytes) = entries[pick];
            if (kind == 9)
            {
                bool drop = rng.Next(2) == 0;
                how = $"{(drop ? "dropped" : "duplicated")} entry {name}";
                if (drop) entries.RemoveAt(pick);
                else entries.Add(entries[pick]);
                return CheckpointTestKit.Zip(entries);
            }
            entries[pick] = new(name, Damage(bytes, rng, out string damage));
            how = $"{damage} in entry {name}";
            return CheckpointTestKit.Zip(entries);
        }

        private static byte[] Raw(byte[] zip, Random rng, out string how)
        {
            var damaged = Damage(zip, rng, out string damage);
            how = $"{damage} in the archive bytes";
            return damaged;
        }

        private static byte[] Damage(byte[] source, Random rng, out string how)
        {
            var b = (byte[])source.Clone();
            if (b.Length == 0) { how = "empty"; return [(byte)rng.Next(256)]; }
            switch (rng.Next(6))
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
