using System.Text.Json;
using System.Text.Json.Nodes;

namespace Diffusion.Benchmarks;

/// <summary>
/// Entry point: <c>Diffusion.Benchmarks [micro|fmnist-s ...] [--json PATH] [--soak]</c>. With no
/// subcommand every available benchmark runs. Each benchmark prints a table and contributes a JSON
/// object, written to <c>--json</c> (default <c>artifacts/bench/results.json</c>).
/// </summary>
public static class Program
{
    /// <summary>A benchmark: its name and a function that runs it and returns its results.</summary>
    private sealed record Benchmark(string Name, string Description, Func<BenchOptions, JsonObject> Run);

    // Register benchmarks here. `fmnist-s` (the FashionMNIST-S training benchmark) will be added next
    // to `micro`; `--soak` (the memory soak) is passed to every benchmark in BenchOptions.Soak.
    private static readonly Benchmark[] s_benchmarks =
    [
        new("micro", "per-call overhead, conv 3x3 fwd+bwd, 2048^2 matmul", MicroBenchmarks.Run),
        new("fmnist-s", "FMNIST-S training and sampling (../shared/bench/FMNIST-S.md)", FmnistSBenchmark.Run),
        new("profile", "phase profile of FMNIST-S training and DDIM sampling (TorchSharp has no libtorch profiler)", ProfileBenchmark.Run),
        new("soak", "memory soak: 10 min sampling + 10 min training, RSS every 30 s (only with --soak)", SoakBenchmark.Run),
        new("reference", "FMNIST-S against PyTorch eager in the same run, as ratios (only with --reference)", ReferenceBenchmark.Run),
    ];

    /// <summary>Parses the arguments, runs the selected benchmarks and writes the JSON report.</summary>
    public static int Main(string[] args)
    {
        // A measurement of the reference benchmark in its own process (ReferenceBenchmark.RunChild).
        if (args.Length > 0 && args[0] == "child") return ReferenceBenchmark.RunChild(args[1..]);
        var options = new BenchOptions();
        var selected = new List<string>();
        for (int k = 0; k < args.Length; k++)
        {
            switch (args[k])
            {
                case "--json" when k + 1 < args.Length: options.JsonPath = args[++k]; break;
                case "--soak": options.Soak = true; break;
                case "--soak-minutes" when k + 1 < args.Length && double.TryParse(args[k + 1], System.Globalization.CultureInfo.InvariantCulture, out var m) && m >= 2.5:
                    options.Soak = true;
                    options.SoakSamplingMinutes = m;
                    k++;
                    break;
                case "--reference": selected.Add("reference"); break;
                case "--quick": options.Quick = true; break;
                case "-h" or "--help": PrintUsage(); return 0;
                default:
                    if (args[k].StartsWith('-')) { Console.Error.WriteLine($"unknown option {args[k]}"); PrintUsage(); return 2; }
                    selected.Add(args[k]);
                    break;
            }
        }

        if (options.Soak && selected.Count == 0) selected.Add("soak"); // `bench --soak` means the soak alone
        var unknown = selected.Where(s => s_benchmarks.All(b => b.Name != s)).ToList();
        if (unknown.Count > 0)
        {
            Console.Error.WriteLine($"unknown benchmark(s): {string.Join(", ", unknown)}");
            PrintUsage();
            return 2;
        }

        var report = new JsonObject
        {
            ["timestamp_utc"] = DateTime.UtcNow.ToString("O"),
            ["machine"] = Environment.MachineName,
            ["processor_count"] = Environment.ProcessorCount,
        };
        // The reference needs Debian's python3-torch and takes about 15 minutes: only when asked for.
        foreach (var b in s_benchmarks.Where(b => selected.Count == 0 ? b.Name != "reference" : selected.Contains(b.Name)))
        {
            Console.WriteLine($"== {b.Name}: {b.Description}");
            report[b.Name] = b.Run(options);
        }

        var dir = Path.GetDirectoryName(Path.GetFullPath(options.JsonPath));
        if (dir is not null) Directory.CreateDirectory(dir);
        File.WriteAllText(options.JsonPath, report.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        Console.WriteLine($"results written to {options.JsonPath}");
        return 0;
    }

    private static void PrintUsage()
    {
        Console.WriteLine("usage: Diffusion.Benchmarks [benchmark ...] [--json PATH] [--soak] [--soak-minutes N] [--reference] [--quick]");
        foreach (var b in s_benchmarks) Console.WriteLine($"  {b.Name,-10} {b.Description}");
    }
}

/// <summary>Options shared by every benchmark.</summary>
public sealed class BenchOptions
{
    /// <summary>Where the JSON report goes.</summary>
    public string JsonPath { get; set; } = Path.Combine("artifacts", "bench", "results.json");

    /// <summary>Run the long memory soak where a benchmark has one.</summary>
    public bool Soak { get; set; }

    /// <summary>The sampling phase of the soak in minutes (<c>--soak-minutes</c>, at least 2.5; null: 10, or 2.5 with --quick).</summary>
    public double? SoakSamplingMinutes { get; set; }

    /// <summary>Fewer repetitions (smoke runs).</summary>
    public bool Quick { get; set; }
}
