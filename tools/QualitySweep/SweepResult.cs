using System.Text.Json;

namespace Microsoft.ML.Diffusion.Tools;

/// <summary>One trained-and-scored configuration: a line of the results file (JSON lines, appended).</summary>
internal sealed record SweepResult(
    string Name, string Description, DateTimeOffset Finished, double BudgetMinutes, long Steps, double TrainSeconds,
    double ImagesPerSecond, double RecentLoss, double FrechetDistance, double ClassifierScore, int Samples,
    double SampleSeconds, double LoadAverageBefore, double LoadAverageAfter)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    public void AppendTo(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.AppendAllText(path, JsonSerializer.Serialize(this, Json) + Environment.NewLine);
    }

    public static List<SweepResult> ReadAll(string path) =>
        File.ReadLines(path).Where(l => l.Length > 0)
            .Select((l, i) => JsonSerializer.Deserialize<SweepResult>(l, Json) ?? throw new InvalidDataException($"{path}: line {i + 1} is empty JSON."))
            .ToList();
}
