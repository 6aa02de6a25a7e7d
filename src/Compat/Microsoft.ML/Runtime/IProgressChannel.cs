// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

namespace Microsoft.ML.Runtime;

/// <summary>Creates progress channels.</summary>
public interface IProgressChannelProvider
{
    /// <summary>Starts a progress channel.</summary>
    IProgressChannel StartProgressChannel(string name);
}

/// <summary>Reports the progress of a long operation. As upstream, progress is not forwarded to <see cref="MLContext.Log"/>.</summary>
public interface IProgressChannel : IProgressChannelProvider, IDisposable
{
    /// <summary>Declares the progress units and metrics and how to fill them.</summary>
    void SetHeader(ProgressHeader header, Action<IProgressEntry> fillAction);

    /// <summary>Records a checkpoint with metric values.</summary>
    void Checkpoint(params double?[] values);
}

/// <summary>Names the units and metrics of a progress channel.</summary>
public sealed class ProgressHeader
{
    /// <summary>The progress units, outermost first.</summary>
    public readonly IReadOnlyList<string> UnitNames;

    /// <summary>The metric names.</summary>
    public readonly IReadOnlyList<string> MetricNames;

    /// <summary>Creates a header with metrics and units.</summary>
    public ProgressHeader(string[] metricNames, string[] unitNames)
    {
        MetricNames = (metricNames ?? Array.Empty<string>()).ToArray();
        UnitNames = (unitNames ?? Array.Empty<string>()).ToArray();
    }

    /// <summary>Creates a header with units only.</summary>
    public ProgressHeader(params string[] unitNames)
        : this(Array.Empty<string>(), unitNames)
    {
    }
}

/// <summary>One progress sample being filled.</summary>
public interface IProgressEntry
{
    /// <summary>Sets the progress of unit <paramref name="index"/>.</summary>
    void SetProgress(int index, double value);

    /// <summary>Sets the progress of unit <paramref name="index"/> and its limit.</summary>
    void SetProgress(int index, double value, double lim);

    /// <summary>Sets metric <paramref name="index"/>.</summary>
    void SetMetric(int index, double value);
}
