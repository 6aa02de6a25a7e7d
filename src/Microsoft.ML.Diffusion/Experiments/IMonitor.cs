// AutoML's experiment shapes (Microsoft.ML.AutoML is not served), kept so that an adapter to it stays a small step.

namespace Microsoft.ML.Diffusion.Experiments;

/// <summary>Receives the experiment's progress: trials starting, completing, failing, and each new best.</summary>
public interface IMonitor
{
    /// <summary>A trial completed.</summary>
    void ReportCompletedTrial(TrialResult result);

    /// <summary>A completed trial has the lowest loss so far.</summary>
    void ReportBestTrial(TrialResult result);

    /// <summary>A trial threw, or was stopped before it completed (<paramref name="exception"/> is then an <see cref="OperationCanceledException"/>).</summary>
    void ReportFailTrial(TrialSettings settings, Exception? exception = null);

    /// <summary>A trial is about to run.</summary>
    void ReportRunningTrial(TrialSettings settings);
}
