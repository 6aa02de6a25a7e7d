// AutoML's experiment shapes (Microsoft.ML.AutoML is not served), kept so that an adapter to it stays a small step.

namespace Microsoft.ML.Diffusion.Experiments;

/// <summary>What a trial runs: its id and the parameter the tuner proposed.</summary>
public class TrialSettings
{
    /// <summary>The trial's number, from 0 in the order trials start.</summary>
    public int TrialId { get; set; }

    /// <summary>When the trial started.</summary>
    public DateTime StartedAtUtc { get; set; }

    /// <summary>When the trial ended, or null while it runs.</summary>
    public DateTime? EndedAtUtc { get; set; }

    /// <summary>The tuner's proposal.</summary>
    public Parameter Parameter { get; set; } = Parameter.CreateNestedParameter();
}
