using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Microsoft.ML.Diffusion;

/// <summary>
/// The training options as a checkpoint records them, and the rule for resuming under other options: whatever
/// fixes the network's shape or the meaning of its saved state must match; stopping limits, learning rate, batch
/// size, logging and checkpoint settings may change, and so may the training precision (a checkpoint holds the float32
/// master weights and optimizer state either way; the bfloat16 copy of a bfloat16 run is remade from them).
/// </summary>
internal static class CheckpointOptions
{
    /// <summary>The diffusion options a resume must keep.</summary>
    public static readonly string[] DiffusionMustMatch =
    [
        nameof(DiffusionEstimator.Options.BaseChannels),
        nameof(DiffusionEstimator.Options.ChannelMultipliers),
        nameof(DiffusionEstimator.Options.ResBlocksPerLevel),
        nameof(DiffusionEstimator.Options.AttentionResolutions),
        nameof(DiffusionEstimator.Options.GroupNormGroups),
        nameof(DiffusionEstimator.Options.TimeEmbeddingWidth),
        nameof(DiffusionEstimator.Options.Schedule),
        nameof(DiffusionEstimator.Options.Timesteps),
        nameof(DiffusionEstimator.Options.BetaStart),
        nameof(DiffusionEstimator.Options.BetaEnd),
        nameof(DiffusionEstimator.Options.PredictionTarget),
        nameof(DiffusionEstimator.Options.Optimizer),
    ];

    /// <summary>The VAE options a resume must keep.</summary>
    public static readonly string[] VaeMustMatch =
    [
        nameof(VariationalAutoencoderEstimator.Options.BaseChannels),
        nameof(VariationalAutoencoderEstimator.Options.ChannelMultipliers),
        nameof(VariationalAutoencoderEstimator.Options.LatentDimensions),
        nameof(VariationalAutoencoderEstimator.Options.Decoder),
        nameof(VariationalAutoencoderEstimator.Options.GroupNormGroups),
        nameof(VariationalAutoencoderEstimator.Options.Optimizer),
    ];

    /// <summary>Every plain-data option (not the progress callback or cancellation token), by field name.</summary>
    public static JsonObject Snapshot(object options)
    {
        var snapshot = new JsonObject();
        foreach (var field in options.GetType().GetFields(BindingFlags.Public | BindingFlags.Instance))
        {
            if (field.FieldType == typeof(CancellationToken) || field.FieldType.IsInterface) continue;
            snapshot[field.Name] = JsonSerializer.SerializeToNode(field.GetValue(options), field.FieldType, GuardedJson.Options);
        }
        return snapshot;
    }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first option that differs from the checkpoint's.</summary>
    public static void RequireCompatible(JsonObject saved, TrainingRunSettings current, string checkpoint)
    {
        var now = current.Snapshot.Value;
        foreach (var name in current.MustMatch)
        {
            var before = saved[name];
            if (!JsonNode.DeepEquals(before, now[name]))
                throw new ArgumentException(
                    $"Checkpoint '{checkpoint}' was made with {name} = {Text(before)}, but Options.{name} is {Text(now[name])}. " +
                    $"A run can only resume with the same network shape, noise schedule, prediction target (or decoder) and optimizer; set {name} back or start a new run.",
                    name);
        }
    }

    private static string Text(JsonNode? node) => node?.ToJsonString() ?? "(not recorded)";
}
