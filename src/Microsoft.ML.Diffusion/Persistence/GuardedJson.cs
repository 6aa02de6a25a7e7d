using System.Text.Json;
using System.Text.Json.Serialization;

namespace Microsoft.ML.Diffusion;

/// <summary>
/// The JSON settings of model zips and checkpoints. Reading is strict, because the text may be forged: enums only
/// by name, required constructor parameters present, non-nullable members not null, bounded depth; every failure
/// is an <see cref="InvalidDataException"/> naming the entry.
/// </summary>
internal static class GuardedJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        WriteIndented = true,
        IncludeFields = true,
        Converters = { new JsonStringEnumConverter(allowIntegerValues: false) },
        MaxDepth = 16,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Parse<T>(string json, string entry) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, Options) ?? throw new InvalidDataException($"Entry '{entry}' is empty (null).");
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or ArgumentException or FormatException or OverflowException)
        {
            throw new InvalidDataException($"Entry '{entry}' is not valid JSON of the expected shape: {e.Message}", e);
        }
    }

    /// <summary>Refuses enum values that name no member (a flags-style "A, B" string parses to one).</summary>
    public static void RequireDefined<TEnum>(TEnum value, string name, string entry) where TEnum : struct, Enum
    {
        if (!Enum.IsDefined(value))
            throw new InvalidDataException($"Entry '{entry}' sets {name} to {value}, which is not a {typeof(TEnum).Name}.");
    }
}
