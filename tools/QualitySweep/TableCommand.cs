using System.Globalization;

namespace Microsoft.ML.Diffusion.Tools;

/// <summary>Prints the results file as the markdown table of docs/quality.md, best FD first within each budget.</summary>
internal static class TableCommand
{
    public static int Run(Arguments args)
    {
        string path = args.String("results", "out/quality-sweep.jsonl");
        if (!File.Exists(path)) throw new FileNotFoundException($"--results: '{path}' does not exist; run the 'run' command first.", path);
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine("| configuration | budget | steps | images/s | loss | FD (samples) | classifier score | load avg |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in SweepResult.ReadAll(path).OrderBy(r => r.BudgetMinutes).ThenBy(r => r.FrechetDistance))
            Console.WriteLine(string.Format(c, "| `{0}`: {1} | {2:0.#} min | {3:N0} | {4:F0} | {5:F4} | {6:F2} ({7:N0}) | {8:F2} | {9:F1}–{10:F1} |",
                r.Name, r.Description, r.BudgetMinutes, r.Steps, r.ImagesPerSecond, r.RecentLoss, r.FrechetDistance, r.Samples,
                r.ClassifierScore, r.LoadAverageBefore, r.LoadAverageAfter));
        return 0;
    }
}
