// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

using Microsoft.ML.SearchSpace;

namespace Microsoft.ML.AutoML;

/// <summary>Proposes the parameter of each trial and learns from results.</summary>
public interface ITuner
{
    /// <summary>The parameter of the trial <paramref name="settings"/> describes.</summary>
    Parameter Propose(TrialSettings settings);

    /// <summary>A trial's result; a failed trial arrives with <see cref="TrialResult.Loss"/> = <see cref="double.MaxValue"/>.</summary>
    void Update(TrialResult result);
}
