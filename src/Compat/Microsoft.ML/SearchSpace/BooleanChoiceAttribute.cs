// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

using Microsoft.ML.SearchSpace.Option;

namespace Microsoft.ML.SearchSpace;

/// <summary>Marks a bool field or property of an options class as a choice between false and true.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field, Inherited = false, AllowMultiple = false)]
public sealed class BooleanChoiceAttribute : Attribute
{
    /// <summary>A boolean choice whose default is true.</summary>
    public BooleanChoiceAttribute() : this(true) { }

    /// <summary>A boolean choice with a default value.</summary>
    public BooleanChoiceAttribute(bool defaultValue)
    {
        DefaultValue = defaultValue;
    }

    /// <summary>The default value.</summary>
    public bool DefaultValue { get; }

    // Candidates in upstream's order (true, then false), so a tuner's feature-space point maps to the same value.
    internal OptionBase ToOption(string member) => new ChoiceOption(member, [true, false], DefaultValue);
}
