using System.Reflection;
using Microsoft.ML.SearchSpace;

namespace Microsoft.ML.Diffusion.Experiments;

/// <summary>A trial's <see cref="DiffusionEstimator.Options"/>: a copy of the base options with the sampled values set by name.</summary>
internal static class TrialOptions
{
    private static readonly FieldInfo[] s_fields = typeof(DiffusionEstimator.Options).GetFields(BindingFlags.Public | BindingFlags.Instance);

    /// <summary>Keys starting with '_' belong to the tuner (budget, rung, configuration) and are skipped.</summary>
    public static DiffusionEstimator.Options Create(DiffusionEstimator.Options baseOptions, Parameter parameter)
    {
        var options = Copy(baseOptions);
        foreach (var key in parameter.Keys.Where(k => !k.StartsWith('_')))
        {
            // Every proposal carries every key of its search space, so an unknown one fails every trial alike.
            var field = s_fields.FirstOrDefault(f => f.Name == key)
                ?? throw ExperimentFailure.EveryTrial(new ArgumentException(
                    $"The search space sets '{key}', which is not a field of DiffusionEstimator.Options; name search-space members after the options they set " +
                    $"({string.Join(", ", s_fields.Select(f => f.Name).Order(StringComparer.Ordinal))}).", nameof(parameter)));
            field.SetValue(options, ReadAs(key, parameter[key], field.FieldType));
        }
        return options;
    }

    /// <summary>
    /// Throws an <see cref="ArgumentException"/> for <paramref name="parameterName"/> when a sample of <paramref name="searchSpace"/>
    /// (its default point) sets a name that is no option, or a value the option's type cannot take: found when the experiment
    /// is made, not in every trial.
    /// </summary>
    public static void RequireApplicable(SearchSpace searchSpace, DiffusionEstimator.Options baseOptions, string parameterName)
    {
        var sample = searchSpace.SampleFromFeatureSpace(searchSpace.Default ?? Enumerable.Repeat(0.5, searchSpace.FeatureSpaceDim).ToArray());
        try
        {
            Create(baseOptions, sample);
        }
        catch (ArgumentException e)
        {
            string message = e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal);
            throw new ArgumentException(message, parameterName, e);
        }
    }

    /// <summary>A shallow copy: arrays and the sampler record are shared, which is safe because trials assign fields rather than mutate them.</summary>
    public static DiffusionEstimator.Options Copy(DiffusionEstimator.Options source)
    {
        var copy = new DiffusionEstimator.Options();
        foreach (var field in s_fields) field.SetValue(copy, field.GetValue(source));
        return copy;
    }

    /// <summary>The sampled (non-tuner) keys as "Name=value" pairs, for logs and the leaderboard.</summary>
    public static string Describe(Parameter parameter)
        => string.Join(" ", parameter.Keys.Where(k => !k.StartsWith('_')).Select(k => $"{k}={parameter[k]}".Replace("\"", "", StringComparison.Ordinal)));

    private static object? ReadAs(string key, Parameter value, Type type)
    {
        try
        {
            return typeof(Parameter).GetMethod(nameof(Parameter.AsType))!.MakeGenericMethod(type).Invoke(value, null);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw new ArgumentException(
                $"The search space sets '{key}' to {value}, which DiffusionEstimator.Options.{key} ({type.Name}) cannot take: {e.InnerException.Message}", "parameter", e.InnerException);
        }
    }
}
