namespace Microsoft.ML.Diffusion.Tools;

/// <summary>"--name value" pairs of the command line.</summary>
internal sealed class Arguments
{
    private readonly Dictionary<string, string> _values;

    private Arguments(Dictionary<string, string> values) => _values = values;

    public static Arguments Parse(string[] args)
    {
        var values = new Dictionary<string, string>();
        for (int i = 0; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
                throw new ArgumentException($"Expected '--name value' pairs, got '{args[i]}'.");
            values[args[i][2..]] = args[i + 1];
        }
        return new Arguments(values);
    }

    public string String(string name, string fallback) => _values.GetValueOrDefault(name, fallback);

    public string? OptionalString(string name) => _values.GetValueOrDefault(name);

    public int Int(string name, int fallback) =>
        _values.TryGetValue(name, out var v) ? int.TryParse(v, out int n) ? n : throw new ArgumentException($"--{name} expects an integer, got '{v}'.") : fallback;

    public double Double(string name, double fallback) =>
        _values.TryGetValue(name, out var v)
            ? double.TryParse(v, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double x) ? x : throw new ArgumentException($"--{name} expects a number, got '{v}'.")
            : fallback;
}
