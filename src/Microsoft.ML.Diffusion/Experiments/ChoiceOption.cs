// AutoML's experiment shapes (Microsoft.ML.AutoML is not served), kept so that an adapter to it stays a small step.

namespace Microsoft.ML.Diffusion.Experiments;

/// <summary>A [Choice] or [BooleanChoice] dimension: one coordinate split into equal cells, one per candidate.</summary>
internal sealed class ChoiceOption : OptionBase
{
    private readonly string _member;
    private readonly Parameter[] _candidates;

    public ChoiceOption(string member, object[] candidates, object? defaultValue)
    {
        if (candidates is null || candidates.Length == 0)
            throw new ArgumentException($"The [Choice] of '{member}' needs at least one candidate.", member);
        if (candidates.Any(c => c is null) || candidates.Select(c => c.GetType()).Distinct().Count() != 1)
            throw new ArgumentException($"The [Choice] candidates of '{member}' must be non-null and all of one type.", member);
        _member = member;
        _candidates = candidates.Select(Parameter.FromValue).ToArray();
        if (defaultValue is not null) Default = MappingToFeatureSpace(Parameter.FromValue(defaultValue));
    }

    public override int FeatureSpaceDim => 1;

    public override int?[] Step => [_candidates.Length];

    public override Parameter SampleFromFeatureSpace(double[] values)
    {
        int index = (int)Math.Floor(Math.Clamp(values[0], 0, 1) * _candidates.Length);
        return _candidates[Math.Min(index, _candidates.Length - 1)].Clone();
    }

    public override double[] MappingToFeatureSpace(Parameter value)
    {
        string json = value.ToString();
        int index = Array.FindIndex(_candidates, c => c.ToString() == json);
        if (index < 0)
            throw new ArgumentOutOfRangeException(nameof(value), $"'{_member}' = {json} is not one of its [Choice] candidates.");
        return [(index + 0.5) / _candidates.Length];
    }
}
