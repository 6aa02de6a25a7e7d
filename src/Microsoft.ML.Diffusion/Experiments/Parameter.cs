// AutoML's experiment shapes (Microsoft.ML.AutoML is not served), kept so that an adapter to it stays a small step.

using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Microsoft.ML.Diffusion.Experiments;

/// <summary>
/// A point of a search space: a JSON-like tree whose leaves are numbers, strings, booleans or enum names and whose
/// inner nodes are keyed by option name. Convert it to an options object with <see cref="AsType{T}"/>.
/// </summary>
public sealed class Parameter
{
    // Fields as well as properties: ML.NET options classes use public fields. Enums travel by name so that a
    // parameter stays readable in logs and stable when enum values are renumbered.
    private static readonly JsonSerializerOptions s_json = new()
    {
        IncludeFields = true,
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private JsonNode? _node;

    private Parameter(JsonNode? node)
    {
        _node = node;
    }

    /// <summary>The parameter of an object's public fields and properties.</summary>
    public static Parameter FromObject<T>(T value) where T : class
        => new(JsonSerializer.SerializeToNode(value, value?.GetType() ?? typeof(T), s_json));

    /// <summary>A number.</summary>
    public static Parameter FromDouble(double value) => FromValue(value);

    /// <summary>An integer.</summary>
    public static Parameter FromInt(int value) => FromValue(value);

    /// <summary>A string.</summary>
    public static Parameter FromString(string value) => FromValue(value ?? throw new ArgumentNullException(nameof(value)));

    /// <summary>A boolean.</summary>
    public static Parameter FromBool(bool value) => FromValue(value);

    /// <summary>A parameter whose keys are the given names.</summary>
    public static Parameter CreateNestedParameter(params KeyValuePair<string, Parameter>[] parameters)
    {
        var result = new Parameter(new JsonObject());
        foreach (var (key, value) in parameters) result[key] = value;
        return result;
    }

    /// <summary>Converts to <typeparamref name="T"/>: an options object (keys matched to members by name), or a number, string, bool or enum.</summary>
    /// <exception cref="InvalidOperationException">The value does not fit <typeparamref name="T"/>; the message shows the value.</exception>
    public T AsType<T>()
    {
        try
        {
            return _node.Deserialize<T>(s_json)!;
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"Parameter {this} cannot be read as {typeof(T).Name}: {e.Message}", e);
        }
    }

    /// <summary>The names of the nested parameters (empty for a leaf).</summary>
    public ICollection<string> Keys => _node is JsonObject o ? o.Select(kv => kv.Key).ToList() : [];

    /// <summary>Whether a nested parameter of this name exists.</summary>
    public bool ContainsKey(string key) => _node is JsonObject o && o.ContainsKey(key);

    /// <summary>A nested parameter by name.</summary>
    /// <exception cref="KeyNotFoundException">There is no parameter of that name.</exception>
    public Parameter this[string key]
    {
        get
        {
            if (_node is JsonObject o && o.TryGetPropertyValue(key, out var child)) return new Parameter(child?.DeepClone());
            throw new KeyNotFoundException($"Parameter {this} has no key '{key}'.");
        }
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            if (_node is not JsonObject o)
                throw new InvalidOperationException($"Parameter {this} is a value, not a nested parameter; it cannot take key '{key}'.");
            o[key] = value._node?.DeepClone();
        }
    }

    /// <summary>The parameter as compact JSON.</summary>
    public override string ToString() => _node?.ToJsonString(s_json) ?? "null";

    internal static Parameter FromValue(object value) => new(JsonSerializer.SerializeToNode(value, value.GetType(), s_json));

    internal Parameter Clone() => new(_node?.DeepClone());
}
