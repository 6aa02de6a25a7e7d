using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.ML.Diffusion;
using TorchSharp;
using static TorchSharp.torch;

namespace Diffusion.Benchmarks;

/// <summary>
/// <c>child probe [fmnist-s|default]</c>: one training step's forward + loss and backward at the benchmark's batch, in
/// float32 and in bfloat16 (the twin of <see cref="TrainingPrecision.BFloat16"/>), on NCHW and on channels-last
/// features; milliseconds, median of 5 after 2 warm-up steps.
/// </summary>
internal static class PrecisionProbe
{
    public static JsonObject Run(string[] args)
    {
        bool small = args.Length > 0 && args[0] == "default";
        var o = small ? new DiffusionEstimator.Options() : FmnistSBenchmark.TrainingOptions(1);
        var architecture = small
            ? new UNetArchitecture(1, 28, 28, o.BaseChannels, o.ChannelMultipliers, o.ResBlocksPerLevel, o.AttentionResolutions, o.Dropout, o.GroupNormGroups, o.TimeEmbeddingWidth)
            : UNetArchitecture.FmnistS;
        int batch = o.BatchSize;
        manual_seed(1);
        using var master = new UNetModel(architecture);
        using (no_grad())
            foreach (var p in master.parameters()) p.add_(randn_like(p) * 0.02);   // away from the zero initialisation
        master.train();
        using var reduced = new BFloat16Training(master);
        var result = new JsonObject { ["network"] = small ? "default" : "fmnist-s", ["batch"] = batch };
        foreach (bool bf16 in new[] { false, true })
            foreach (bool channelsLast in new[] { false, true })
            {
                var network = bf16 ? reduced.Network : master;
                network.ChannelsLastInTraining = channelsLast;
                var forward = new List<double>();
                var backward = new List<double>();
                for (int step = 0; step < 7; step++)
                {
                    using var scope = NewDisposeScope();
                    var x = randn(batch, 1, 28, 28);
                    var t = randint(0, 1000, [batch]);
                    var clock = Stopwatch.StartNew();
                    if (bf16) reduced.LoadMasterWeights(); else master.zero_grad();
                    var prediction = network.forward(bf16 ? x.to(ScalarType.BFloat16) : x, t, null).to(ScalarType.Float32);
                    var loss = nn.functional.mse_loss(prediction, x);
                    _ = loss.ToDouble();
                    double f = clock.Elapsed.TotalMilliseconds;
                    clock.Restart();
                    loss.backward();
                    if (bf16) reduced.GradientsToMaster();
                    double b = clock.Elapsed.TotalMilliseconds;
                    if (step >= 2) { forward.Add(f); backward.Add(b); }
                }
                double Median(List<double> v) => v.Order().ElementAt(v.Count / 2);
                string key = (bf16 ? "bfloat16" : "float32") + (channelsLast ? "_nhwc" : "_nchw");
                result[key] = new JsonObject { ["forward_ms"] = Math.Round(Median(forward), 1), ["backward_ms"] = Math.Round(Median(backward), 1) };
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{key,-14} forward {Median(forward),8:F1} ms  backward {Median(backward),8:F1} ms  total {Median(forward) + Median(backward),8:F1} ms"));
            }
        return result;
    }
}
