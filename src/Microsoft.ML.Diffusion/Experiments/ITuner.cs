// AutoML's experiment shapes (Microsoft.ML.AutoML is not served), kept so that an adapter to it stays a small step.

namespace Microsoft.ML.Diffusion.Experiments;

/// <summary>Proposes the parameter of each trial and learns from results.</summary>
public interface ITuner
{
    /// <summary>The parameter of the trial <paramref name="settings"/> describes.</summary>
    Parameter Propose(TrialSettings settings);

    /// <summary>A trial's result; a failed trial arrives with <see cref="TrialResult.Loss"/> = <see cref="double.MaxValue"/>.</summary>
    void Update(TrialResult result);
}
