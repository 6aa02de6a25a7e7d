// AutoML's experiment shapes (Microsoft.ML.AutoML is not served), kept so that an adapter to it stays a small step.

using System.Reflection;
using Microsoft.ML.SearchSpace;

namespace Microsoft.ML.Diffusion.Experiments;

/// <summary>
/// Named options sampled together. Coordinates follow the options' names in ordinal order, so that a feature vector
/// means the same point whatever order the options were added or declared in.
/// </summary>
public class SearchSpace : OptionBase
{
    private readonly SortedDictionary<string, OptionBase> _options = new(StringComparer.Ordinal);
    private readonly Parameter? _defaults;

    /// <summary>An empty search space; add options with <see cref="Add"/> or the indexer.</summary>
    public SearchSpace() { }

    /// <summary>The options of the [Range], [Choice] and [BooleanChoice] members of <paramref name="optionsType"/>.</summary>
    /// <param name="optionsType">The options class.</param>
    /// <param name="defaultOption">Values of the members without attributes, merged into every sample; null for none.</param>
    protected SearchSpace(Type optionsType, Parameter? defaultOption = null)
    {
        ArgumentNullException.ThrowIfNull(optionsType);
        const BindingFlags flags = BindingFlags.Public | BindingFlags.Instance;
        foreach (var member in optionsType.GetFields(flags).Cast<MemberInfo>().Concat(optionsType.GetProperties(flags)))
        {
            var attributes = member.GetCustomAttributes(false).Cast<Attribute>().Where(a => a is RangeAttribute or ChoiceAttribute or BooleanChoiceAttribute).ToArray();
            if (attributes.Length == 0) continue;
            if (attributes.Length > 1)
                throw new ArgumentException($"'{optionsType.Name}.{member.Name}' has more than one of [Range], [Choice] and [BooleanChoice].", nameof(optionsType));
            _options[member.Name] = ToOption(attributes[0], member.Name);
        }
        _defaults = defaultOption;
    }

    // The attributes are ML.NET's own (Microsoft.ML.Core defines them for AutoML); they only describe, so the options are built here.
    private static OptionBase ToOption(Attribute attribute, string member) => attribute switch
    {
        RangeAttribute r => r.Min switch
        {
            int min => new UniformNumericOption(member, min, (int)r.Max, r.LogBase, (int?)r.Init, isInteger: true),
            float min => new UniformNumericOption(member, min, (float)r.Max, r.LogBase, (float?)r.Init, isInteger: false),
            _ => new UniformNumericOption(member, (double)r.Min, (double)r.Max, r.LogBase, (double?)r.Init, isInteger: false),
        },
        ChoiceAttribute c => new ChoiceOption(member, c.Candidates, c.DefaultValue),
        // Candidates in upstream's order (true, then false), so a tuner's feature-space point maps to the same value.
        BooleanChoiceAttribute b => new ChoiceOption(member, [true, false], b.DefaultValue),
        _ => throw new ArgumentOutOfRangeException(nameof(attribute), attribute.GetType().Name, "Not a search-space attribute."),
    };

    /// <summary>The option of a name.</summary>
    public OptionBase this[string key]
    {
        get => _options.TryGetValue(key, out var option) ? option : throw new KeyNotFoundException($"The search space has no option '{key}'.");
        set => _options[key] = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>The option names, in coordinate order.</summary>
    public ICollection<string> Keys => _options.Keys;

    /// <summary>The number of options.</summary>
    public int Count => _options.Count;

    /// <summary>Adds an option.</summary>
    public void Add(string key, OptionBase value) => _options.Add(key, value ?? throw new ArgumentNullException(nameof(value)));

    /// <summary>Whether an option of that name exists.</summary>
    public bool ContainsKey(string key) => _options.ContainsKey(key);

    /// <inheritdoc/>
    public override int FeatureSpaceDim => _options.Values.Sum(o => o.FeatureSpaceDim);

    /// <inheritdoc/>
    public override int?[] Step => _options.Values.SelectMany(o => o.Step).ToArray();

    /// <summary>The options' defaults in feature space; an option without a default sits mid-range.</summary>
    public override double[]? Default
    {
        get => _options.Values.SelectMany(o => o.Default ?? Enumerable.Repeat(0.5, o.FeatureSpaceDim)).ToArray();
        protected set { }
    }

    /// <inheritdoc/>
    public override Parameter SampleFromFeatureSpace(double[] feature)
    {
        ArgumentNullException.ThrowIfNull(feature);
        if (feature.Length != FeatureSpaceDim)
            throw new ArgumentException($"The feature vector has {feature.Length} coordinates; this search space has {FeatureSpaceDim}.", nameof(feature));
        var result = _defaults?.Clone() ?? Parameter.CreateNestedParameter();
        int at = 0;
        foreach (var (key, option) in _options)
        {
            result[key] = option.SampleFromFeatureSpace(feature[at..(at + option.FeatureSpaceDim)]);
            at += option.FeatureSpaceDim;
        }
        return result;
    }

    /// <inheritdoc/>
    public override double[] MappingToFeatureSpace(Parameter parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        return _options.SelectMany(kv => kv.Value.MappingToFeatureSpace(parameter[kv.Key])).ToArray();
    }
}

/// <summary>The search space of an options class whose members carry [Range], [Choice] or [BooleanChoice].</summary>
/// <typeparam name="T">The options class.</typeparam>
public sealed class SearchSpace<T> : SearchSpace where T : class, new()
{
    /// <summary>Samples fill the attributed members; the others keep <typeparamref name="T"/>'s initial values.</summary>
    public SearchSpace() : base(typeof(T)) { }

    /// <summary>Samples fill the attributed members; the others take their values from <paramref name="defaultOption"/>.</summary>
    public SearchSpace(T defaultOption) : base(typeof(T), Parameter.FromObject(defaultOption ?? throw new ArgumentNullException(nameof(defaultOption)))) { }

    /// <summary>The options at feature-space coordinates <paramref name="feature"/>, each in [0, 1).</summary>
    public new T SampleFromFeatureSpace(double[] feature) => base.SampleFromFeatureSpace(feature).AsType<T>();

    /// <summary>The feature-space coordinates of <paramref name="input"/>.</summary>
    public double[] MappingToFeatureSpace(T input) => MappingToFeatureSpace(Parameter.FromObject(input));
}
