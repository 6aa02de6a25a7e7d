// AutoML's experiment shapes (Microsoft.ML.AutoML is not served), kept so that an adapter to it stays a small step.

namespace Microsoft.ML.Diffusion.Experiments;

/// <summary>The outcome of a trial. Tuners and the experiment minimise <see cref="Loss"/>.</summary>
public class TrialResult
{
    /// <summary>The trial's settings.</summary>
    public TrialSettings TrialSettings { get; set; } = new();

    /// <summary>The trained model, or null when the runner did not keep it.</summary>
    public ITransformer? Model { get; set; }

    /// <summary>The value to minimise (−metric for a metric to maximise).</summary>
    public double Loss { get; set; }

    /// <summary>The evaluation metric as reported.</summary>
    public double Metric { get; set; }

    /// <summary>Wall-clock duration of the trial.</summary>
    public double DurationInMilliseconds { get; set; }

    /// <summary>Peak CPU usage, when measured.</summary>
    public double? PeakCpu { get; set; }

    /// <summary>Peak memory in MB, when measured.</summary>
    public double? PeakMemoryInMegaByte { get; set; }
}
