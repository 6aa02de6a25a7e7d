using System.Globalization;

namespace Microsoft.ML.Diffusion;

/// <summary>
/// A setting outside what is accepted: its name, what was given and the rule. One rule serves two readers, so it
/// is described once and reported either as a bad option (training) or as malformed data (a model file).
/// </summary>
/// <param name="Name">The option, as the user spells it.</param>
/// <param name="Given">What was given, as a verb phrase: "is NaN", "holds 7".</param>
/// <param name="Rule">What is accepted, as a clause: "it must be a finite number &gt; 0".</param>
/// <param name="Range">Whether the value lies outside a range (an <see cref="ArgumentOutOfRangeException"/>) rather than
/// clashing with another setting or having the wrong form (an <see cref="ArgumentException"/>).</param>
internal sealed record Violation(string Name, string Given, string Rule, bool Range = true)
{
    /// <summary>"'LearningRate' is NaN; it must be a finite number &gt; 0."</summary>
    public string Text => $"'{Name}' {Given}; {Rule}.";

    /// <summary>The error of a bad option, with the option as the parameter name.</summary>
    public ArgumentException ForOption(string kind = "Option") =>
        Range ? new ArgumentOutOfRangeException(Name, $"{kind} {Text}") : new ArgumentException($"{kind} {Text}", Name);

    /// <summary>The error of a file entry that declares the setting.</summary>
    public InvalidDataException ForEntry(string entry) => new($"Entry '{entry}' declares an invalid setting: {Text}");

    public static string Show(double value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Show(string? value) => value is null ? "null" : $"'{value}'";

    /// <summary>A floating value that must be finite and satisfy <paramref name="accepted"/>; NaN and ±∞ never pass.</summary>
    public static Violation? Finite(string name, double value, Func<double, bool> accepted, string range, string? shown = null) =>
        double.IsFinite(value) && accepted(value) ? null : new(name, "is " + (shown ?? Show(value)), $"it must be a finite number {range}".TrimEnd());

    public static Violation? Finite(string name, float value, Func<double, bool> accepted, string range) =>
        Finite(name, value, accepted, range, value.ToString(CultureInfo.InvariantCulture));

    public static Violation? Between(string name, long value, long min, long max) =>
        value >= min && value <= max ? null : new(name, $"is {value}", $"it must be an integer in {min}…{max}");

    public static Violation? AtLeast(string name, long value, long min, string? note = null) =>
        value >= min ? null : new(name, $"is {value}", $"it must be at least {min}{note}");

    /// <summary>Refuses enum values that name no member (a cast integer).</summary>
    public static Violation? Defined<TEnum>(string name, TEnum value) where TEnum : struct, Enum
    {
        if (Enum.IsDefined(value)) return null;
        var names = Enum.GetNames<TEnum>();
        return new(name, $"is {value}", $"it must be {string.Join(", ", names[..^1])} or {names[^1]}");
    }

    public static Violation? NonEmpty(string name, string? value, bool nullable = false)
    {
        if (value is null) return nullable ? null : new(name, "is null", "it must be a non-empty column name");
        return string.IsNullOrWhiteSpace(value) ? new(name, $"is {Show(value)}", nullable ? "it must be a non-empty column name, or null for none" : "it must be a non-empty column name") : null;
    }
}
