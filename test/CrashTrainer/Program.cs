using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Diffusion;

namespace CrashTrainer;

/// <summary>
/// The tests' child process.
/// <c>CrashTrainer FOLDER MAX_STEPS EVERY_STEPS</c>: trains a tiny model on two 8×8 patterns, resuming from the
/// newest checkpoint in FOLDER and writing one every EVERY_STEPS steps. Prints <c>step N</c> after each step,
/// <c>checkpoint N</c> after each write, <c>resumed N</c> and <c>done N</c>, so the crash test can tell what a kill lost.
/// <c>CrashTrainer generate MODEL COUNT</c>: see <see cref="FreshProcessLoad"/>.
/// </summary>
public static class Program
{
    /// <summary>Runs training or generation; returns 0 when it finishes.</summary>
    // Main names no Microsoft.ML.Diffusion type, so that the generate mode starts without that assembly loaded.
    public static int Main(string[] args)
    {
        if (args.Length == 3 && args[0] == "generate") return FreshProcessLoad.Run(args[1], int.Parse(args[2]));
        if (args.Length != 3)
        {
            Console.Error.WriteLine("usage: CrashTrainer FOLDER MAX_STEPS EVERY_STEPS | CrashTrainer generate MODEL COUNT");
            return 2;
        }
        return Train(args);
    }

    private static int Train(string[] args)
    {
        TorchSharp.torch.set_num_threads(1);
        var ml = new MLContext(seed: 1);
        ml.Log += (_, e) =>
        {
            if (e.RawMessage.StartsWith("Resuming from", StringComparison.Ordinal)) Console.WriteLine($"resumed {StepOf(e.RawMessage)}");
            else if (e.RawMessage.StartsWith("Wrote checkpoint", StringComparison.Ordinal)) Console.WriteLine($"checkpoint {StepOf(e.RawMessage)}");
        };
        var options = new DiffusionEstimator.Options
        {
            BaseChannels = 8,
            ChannelMultipliers = [1, 2],
            AttentionResolutions = [],
            GroupNormGroups = 4,
            Dropout = 0.1,
            Timesteps = 100,
            BetaEnd = 0.2,
            BatchSize = 4,
            WarmupSteps = 5,
            MaxSteps = int.Parse(args[1]),
            MaxEpochs = null,
            Seed = 11,
            LogEveryNSteps = 0,
            CheckpointFolder = args[0],
            CheckpointEverySteps = int.Parse(args[2]),
            CheckpointsToKeep = 3,
            ResumeFromLatest = true,
            Progress = new Immediate(p => Console.WriteLine($"step {p.Step}")),
        };
        var data = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 6).Select(i => new Row { Image = Pattern(i % 2) }).ToList());
        using var model = ml.Transforms.Diffusion(options).Fit(data);
        Console.WriteLine($"done {model.TrainedSteps}");
        return 0;
    }

    private static string StepOf(string message)
    {
        int at = message.IndexOf(" step ", StringComparison.Ordinal) + 6;
        int end = at;
        while (end < message.Length && char.IsDigit(message[end])) end++;
        return message[at..end];
    }

    private static float[] Pattern(int kind)
    {
        var pixels = new float[64];
        for (int y = 0; y < 8; y++)
            for (int x = 0; x < 8; x++)
                pixels[8 * y + x] = kind == 0 ? (x is >= 2 and < 6 && y is >= 2 and < 6 ? 255f : 0f) : (y % 2 == 0 ? 255f : 0f);
        return pixels;
    }

    private sealed class Row
    {
        [VectorType(1, 8, 8)]
        public float[] Image { get; set; } = [];
    }

    // Progress<T> posts to the thread pool; the test needs each line out before the next step starts.
    private sealed class Immediate(Action<DiffusionTrainingProgress> report) : IProgress<DiffusionTrainingProgress>
    {
        public void Report(DiffusionTrainingProgress value) => report(value);
    }
}
