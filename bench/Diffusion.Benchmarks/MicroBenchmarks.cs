using System.Diagnostics;
using System.Text.Json.Nodes;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Diffusion.Benchmarks;

/// <summary>Micro-benchmarks of TorchSharp over libtorch: per-call overhead and the machine's convolution and matmul peaks.</summary>
public static class MicroBenchmarks
{
    /// <summary>Runs the micro-benchmarks, prints a table and returns the figures.</summary>
    public static JsonObject Run(BenchOptions options)
    {
        int threads = get_num_threads();
        string coreType = Environment.GetEnvironmentVariable("OPENBLAS_CORETYPE") ?? "(unset)";
        var rows = new List<(string name, string value, string unit, string note)>();
        var json = new JsonObject { ["threads"] = threads, ["openblas_coretype"] = coreType };

        // 1. per-call overhead: a + b on one-element tensors, including the result's dispose.
        var (medianNs, p90Ns) = TinyOpOverhead(options.Quick ? 20_000 : 200_000);
        rows.Add(("add 1-elem (median)", $"{medianNs:F0}", "ns/call", "incl. result dispose"));
        rows.Add(("add 1-elem (p90)", $"{p90Ns:F0}", "ns/call", ""));
        json["tiny_add_median_ns"] = Math.Round(medianNs, 1);
        json["tiny_add_p90_ns"] = Math.Round(p90Ns, 1);

        // 2. conv 64→64, 3×3, pad 1, batch 32, 28×28: forward + backward.
        var (convSec, convGflops) = ConvForwardBackward(options.Quick ? 3 : 10);
        rows.Add(("conv3x3 64->64 b32 28x28 f+b", $"{convGflops:F1}", "GFLOP/s", $"{convSec * 1e3:F1} ms/iter"));
        json["conv_fwd_bwd_ms"] = Math.Round(convSec * 1e3, 2);
        json["conv_fwd_bwd_gflops"] = Math.Round(convGflops, 2);

        // 3. 2048² fp32 matmul.
        var (mmSec, mmGflops) = Matmul(2048, options.Quick ? 2 : 5);
        rows.Add(("matmul 2048^2 fp32", $"{mmGflops:F1}", "GFLOP/s", $"{mmSec * 1e3:F1} ms/iter"));
        json["matmul_2048_ms"] = Math.Round(mmSec * 1e3, 2);
        json["matmul_2048_gflops"] = Math.Round(mmGflops, 2);

        rows.Add(("threads (get_num_threads)", threads.ToString(), "", ""));
        rows.Add(("OPENBLAS_CORETYPE", coreType, "", ""));
        Console.WriteLine($"{"benchmark",-32} {"value",12} {"unit",-9} note");
        foreach (var (name, value, unit, note) in rows) Console.WriteLine($"{name,-32} {value,12} {unit,-9} {note}");
        return json;
    }

    private static (double median, double p90) TinyOpOverhead(int calls)
    {
        using var a = ones(1);
        using var b = ones(1);
        for (int k = 0; k < 10_000; k++) { using var c = a + b; }
        // Time batches of 100 calls: a single call is too close to the timer's resolution.
        const int batch = 100;
        var perCall = new double[calls / batch];
        for (int r = 0; r < perCall.Length; r++)
        {
            long t0 = Stopwatch.GetTimestamp();
            for (int k = 0; k < batch; k++) { using var c = a + b; }
            perCall[r] = Stopwatch.GetElapsedTime(t0).TotalNanoseconds / batch;
        }
        Array.Sort(perCall);
        return (perCall[perCall.Length / 2], perCall[(int)(perCall.Length * 0.9)]);
    }

    internal static (double seconds, double gflops) ConvForwardBackward(int iterations)
    {
        const long n = 32, c = 64, h = 28, w = 28, k = 3;
        manual_seed(0);
        using var x = randn(n, c, h, w);
        using var weight = randn(new long[] { c, c, k, k }, requires_grad: true);
        using var bias = zeros(new long[] { c }, requires_grad: true);
        void Step()
        {
            using var scope = NewDisposeScope();
            var y = F.conv2d(x, weight, bias, padding: [1]);
            y.sum().backward();
        }
        Step(); // warm-up (oneDNN primitive creation)
        var times = new double[iterations];
        for (int r = 0; r < iterations; r++)
        {
            long t0 = Stopwatch.GetTimestamp();
            Step();
            times[r] = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        }
        Array.Sort(times);
        double median = times[iterations / 2];
        // MACs of the forward pass: N·Cout·H·W·Cin·k²; a FLOP count of 2·MACs forward and twice that
        // backward (grad input + grad weight), so 6·MACs per iteration.
        double macs = (double)n * c * h * w * c * k * k;
        return (median, 6 * macs / median / 1e9);
    }

    internal static (double seconds, double gflops) Matmul(long size, int iterations)
    {
        manual_seed(0);
        using var a = randn(size, size);
        using var b = randn(size, size);
        using (var warm = a.matmul(b)) { }
        var times = new double[iterations];
        for (int r = 0; r < iterations; r++)
        {
            long t0 = Stopwatch.GetTimestamp();
            using var c = a.matmul(b);
            times[r] = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        }
        Array.Sort(times);
        double median = times[iterations / 2];
        return (median, 2.0 * size * size * size / median / 1e9);
    }
}
