// AutoML's experiment shapes (Microsoft.ML.AutoML is not served), kept so that an adapter to it stays a small step.

namespace Microsoft.ML.Diffusion.Experiments;

/// <summary>
/// One dimension (or, for a <see cref="SearchSpace"/>, a group of dimensions) of a search space, with a mapping
/// between its values and the unit cube [0, 1)^<see cref="FeatureSpaceDim"/> that tuners sample from.
/// </summary>
public abstract class OptionBase
{
    /// <summary>Maps a value of this option to feature-space coordinates in [0, 1).</summary>
    public abstract double[] MappingToFeatureSpace(Parameter value);

    /// <summary>The value at feature-space coordinates <paramref name="values"/>, each in [0, 1).</summary>
    public abstract Parameter SampleFromFeatureSpace(double[] values);

    /// <summary>The number of feature-space coordinates.</summary>
    public abstract int FeatureSpaceDim { get; }

    /// <summary>The default value in feature space, or null when the option has none.</summary>
    public virtual double[]? Default { get; protected set; }

    /// <summary>Per coordinate, the number of distinct values (choices), or null for a continuous range.</summary>
    public abstract int?[] Step { get; }
}
