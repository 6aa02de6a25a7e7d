// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

using Microsoft.ML.SearchSpace;

namespace Microsoft.ML.AutoML;

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
