namespace Microsoft.ML.Diffusion.Experiments;

/// <summary>
/// Counts trials in a row that failed with the same error (same exception type and message). Before any trial has
/// completed, <see cref="Limit"/> of them mean the failure does not depend on the sampled options, and the experiment
/// would otherwise fail trial after trial until its time runs out. After a completed trial, failures are known to depend
/// on the configuration, so they never stop the experiment.
/// </summary>
internal sealed class RepeatedFailures
{
    public const int Limit = 3;

    private Exception? _first;
    private int _count;

    /// <summary>Records a failed trial; returns the exception that stops the experiment, or null to go on.</summary>
    public Exception? Fail(Exception e, bool anyCompleted)
    {
        if (_first is not null && _first.GetType() == e.GetType() && _first.Message == e.Message) _count++;
        else (_first, _count) = (e, 1);
        if (anyCompleted || _count < Limit) return null;
        return new InvalidOperationException(
            $"The experiment stopped: {_count} trials in a row failed with the same error and none has completed, so the failure does not depend " +
            $"on the sampled options and every further trial would repeat it. The first failure: {_first.GetType().Name}: {_first.Message}", _first);
    }

    /// <summary>A completed trial ends the run of failures.</summary>
    public void Complete() => (_first, _count) = (null, 0);
}
