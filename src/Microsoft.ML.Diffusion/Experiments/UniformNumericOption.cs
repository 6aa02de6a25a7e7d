// AutoML's experiment shapes (Microsoft.ML.AutoML is not served), kept so that an adapter to it stays a small step.

namespace Microsoft.ML.Diffusion.Experiments;

/// <summary>A [Range] dimension: uniform or log-uniform over [min, max]; integers include both ends.</summary>
internal sealed class UniformNumericOption : OptionBase
{
    private readonly string _member;
    private readonly double _min;
    private readonly double _max;
    private readonly bool _log;
    private readonly bool _isInteger;

    public UniformNumericOption(string member, double min, double max, bool logBase, double? init, bool isInteger)
    {
        if (!(min < max) || !double.IsFinite(min) || !double.IsFinite(max))
            throw new ArgumentOutOfRangeException(member, $"The [Range] of '{member}' must have finite min < max, got [{min}, {max}].");
        if (logBase && min <= 0)
            throw new ArgumentOutOfRangeException(member, $"The log-scale [Range] of '{member}' must have min > 0, got {min}.");
        if (init is double d && (d < min || d > max))
            throw new ArgumentOutOfRangeException(member, $"The default {d} of '{member}' lies outside its [Range] [{min}, {max}].");
        _member = member;
        _min = min;
        _max = max;
        _log = logBase;
        _isInteger = isInteger;
        if (init is double value) Default = MappingToFeatureSpace(Parameter.FromValue(value));
    }

    public override int FeatureSpaceDim => 1;

    public override int?[] Step => [null];

    public override Parameter SampleFromFeatureSpace(double[] values)
    {
        double u = Math.Clamp(values[0], 0, 1);
        if (_isInteger)
        {
            // Integers get equal-width cells in (log) space, so that both ends are as likely as the inner values.
            double lo = _log ? Math.Log(_min - 0.5 > 0 ? _min - 0.5 : _min) : _min - 0.5;
            double hi = _log ? Math.Log(_max + 0.5) : _max + 0.5;
            double x = lo + u * (hi - lo);
            long rounded = (long)Math.Round(_log ? Math.Exp(x) : x, MidpointRounding.AwayFromZero);
            return Parameter.FromValue((int)Math.Clamp(rounded, (long)_min, (long)_max));
        }
        double v = _log ? Math.Exp(Math.Log(_min) + u * (Math.Log(_max) - Math.Log(_min))) : _min + u * (_max - _min);
        return Parameter.FromValue(Math.Clamp(v, _min, _max));
    }

    public override double[] MappingToFeatureSpace(Parameter value)
    {
        double v = value.AsType<double>();
        if (v < _min || v > _max)
            throw new ArgumentOutOfRangeException(nameof(value), $"'{_member}' = {v} lies outside its [Range] [{_min}, {_max}].");
        double lo = _log ? Math.Log(_min) : _min, hi = _log ? Math.Log(_max) : _max;
        return [Math.Clamp(((_log ? Math.Log(v) : v) - lo) / (hi - lo), 0, 1)];
    }
}
