// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

using Microsoft.ML.SearchSpace.Option;

namespace Microsoft.ML.SearchSpace;

/// <summary>Marks a field or property of an options class as a choice among candidates of one type (numbers, strings or an enum).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field, Inherited = false, AllowMultiple = false)]
public sealed class ChoiceAttribute : Attribute
{
    /// <summary>A choice among <paramref name="candidates"/>; the first is the default.</summary>
    public ChoiceAttribute(params object[] candidates)
    {
        Candidates = candidates;
    }

    /// <summary>A choice among <paramref name="candidates"/> with a default value.</summary>
    public ChoiceAttribute(object[] candidates, object defaultValue)
    {
        Candidates = candidates;
        DefaultValue = defaultValue;
    }

    /// <summary>The candidates.</summary>
    public object[] Candidates { get; }

    /// <summary>The default value, or null.</summary>
    public object? DefaultValue { get; }

    internal OptionBase ToOption(string member) => new ChoiceOption(member, Candidates, DefaultValue);
}
