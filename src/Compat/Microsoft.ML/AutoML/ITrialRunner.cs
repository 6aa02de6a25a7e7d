// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

namespace Microsoft.ML.AutoML;

/// <summary>Trains and evaluates one trial.</summary>
public interface ITrialRunner : IDisposable
{
    /// <summary>Runs the trial; stop early when <paramref name="ct"/> is cancelled (by throwing <see cref="OperationCanceledException"/>).</summary>
    Task<TrialResult> RunAsync(TrialSettings settings, CancellationToken ct);
}
