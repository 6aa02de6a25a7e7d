// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

using Microsoft.ML.SearchSpace.Option;

namespace Microsoft.ML.SearchSpace;

/// <summary>Marks a numeric field or property of an options class as a search dimension over [min, max].</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field, Inherited = false, AllowMultiple = false)]
public sealed class RangeAttribute : Attribute
{
    /// <summary>A double range, uniform or (with <paramref name="logBase"/>) log-uniform.</summary>
    public RangeAttribute(double min, double max, bool logBase = false) : this(min, max, null, logBase) { }

    /// <summary>A double range with a default value.</summary>
    public RangeAttribute(double min, double max, double init, bool logBase = false) : this(min, max, (object)init, logBase) { }

    /// <summary>An integer range (both ends included).</summary>
    public RangeAttribute(int min, int max, bool logBase = false) : this(min, max, null, logBase) { }

    /// <summary>An integer range with a default value.</summary>
    public RangeAttribute(int min, int max, int init, bool logBase = false) : this(min, max, (object)init, logBase) { }

    /// <summary>A single-precision range.</summary>
    public RangeAttribute(float min, float max, bool logBase = false) : this(min, max, null, logBase) { }

    /// <summary>A single-precision range with a default value.</summary>
    public RangeAttribute(float min, float max, float init, bool logBase = false) : this(min, max, (object)init, logBase) { }

    private RangeAttribute(object min, object max, object? init, bool logBase)
    {
        Min = min;
        Max = max;
        Init = init;
        LogBase = logBase;
    }

    /// <summary>The lower end.</summary>
    public object Min { get; }

    /// <summary>The upper end.</summary>
    public object Max { get; }

    /// <summary>The default value, or null.</summary>
    public object? Init { get; }

    /// <summary>Whether values are sampled uniformly in log space.</summary>
    public bool LogBase { get; }

    internal OptionBase ToOption(string member) => Min switch
    {
        int min => new UniformNumericOption(member, min, (int)Max, LogBase, (int?)Init, isInteger: true),
        float min => new UniformNumericOption(member, min, (float)Max, LogBase, (float?)Init, isInteger: false),
        _ => new UniformNumericOption(member, (double)Min, (double)Max, LogBase, (double?)Init, isInteger: false),
    };
}
