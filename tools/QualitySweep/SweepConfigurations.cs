namespace Microsoft.ML.Diffusion.Tools;

/// <summary>
/// The configurations compared in docs/quality.md, each a change to <see cref="Baseline"/>, so a row of the table
/// reads as "the baseline, except ...". The baseline is written out rather than taken from the package defaults,
/// which this sweep changed: the rows stay reproducible after the defaults move.
/// </summary>
internal static class SweepConfigurations
{
    public static readonly IReadOnlyDictionary<string, (string Description, Action<DiffusionEstimator.Options> Apply)> All =
        new Dictionary<string, (string, Action<DiffusionEstimator.Options>)>
        {
            ["baseline"] = ("base 16 × [1,2,2], 2 res blocks, attention at 7, batch 32, lr 1.5e-3, EMA 0.995, dropout 0.1, unweighted L_simple", _ => { }),
            ["previous-default"] = ("base 32, 1 res block, batch 64, lr 1e-3, EMA 0.999", o =>
            {
                o.BaseChannels = 32; o.ResBlocksPerLevel = 1; o.BatchSize = 64; o.LearningRate = 1e-3; o.EmaDecay = 0.999;
            }),
            ["no-dropout"] = ("dropout 0", o => o.Dropout = 0),
            ["min-snr5"] = ("Min-SNR-5 loss weighting", o => o.LossWeighting = LossWeighting.MinSnr),
            ["lr3e-3"] = ("lr 3e-3", o => o.LearningRate = 3e-3),
            ["lr7.5e-4"] = ("lr 7.5e-4", o => o.LearningRate = 7.5e-4),
            ["batch64"] = ("batch 64, lr 2e-3", o => { o.BatchSize = 64; o.LearningRate = 2e-3; }),
            ["batch16"] = ("batch 16, lr 1e-3", o => { o.BatchSize = 16; o.LearningRate = 1e-3; }),
            ["ema0.999"] = ("EMA 0.999", o => o.EmaDecay = 0.999),
            ["ema0.99"] = ("EMA 0.99", o => o.EmaDecay = 0.99),
            ["base24"] = ("base 24 channels (groups 8)", o => o.BaseChannels = 24),
            ["base32"] = ("base 32 channels", o => o.BaseChannels = 32),
            ["res1"] = ("1 res block per level", o => o.ResBlocksPerLevel = 1),
            ["cosine"] = ("cosine schedule", o => o.Schedule = NoiseScheduleKind.Cosine),
        };

    /// <summary>"a+b" applies a's changes, then b's: combinations of single changes that each helped.</summary>
    public static (string Description, Action<DiffusionEstimator.Options> Apply) Resolve(string name)
    {
        var parts = name.Split('+');
        var found = new List<(string Description, Action<DiffusionEstimator.Options> Apply)>();
        foreach (var part in parts)
        {
            if (!All.TryGetValue(part, out var config))
                throw new ArgumentException($"Unknown configuration '{part}' in '{name}'; known: {string.Join(", ", All.Keys)} (join with '+').");
            found.Add(config);
        }
        return (string.Join("; ", found.Select(f => f.Description)), o =>
        {
            Baseline(o);
            foreach (var f in found) f.Apply(o);
        });
    }

    /// <summary>The package defaults before the sweep of 2026-11-22; the architecture and optimiser ones still are.</summary>
    private static void Baseline(DiffusionEstimator.Options o)
    {
        o.BaseChannels = 16;
        o.ChannelMultipliers = [1, 2, 2];
        o.ResBlocksPerLevel = 2;
        o.AttentionResolutions = [7];
        o.GroupNormGroups = 8;
        o.BatchSize = 32;
        o.LearningRate = 1.5e-3;
        o.WarmupSteps = 100;
        o.EmaDecay = 0.995;
        o.Dropout = 0.1;
        o.LossWeighting = LossWeighting.None;
    }
}
