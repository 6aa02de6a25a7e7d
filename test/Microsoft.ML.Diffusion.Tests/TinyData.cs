using Microsoft.ML.Data;
using Microsoft.ML.Diffusion;

namespace Microsoft.ML.Diffusion.Tests;

/// <summary>Small images and options that train in seconds.</summary>
internal static class TinyData
{
    public sealed class Row
    {
        [VectorType(1, 8, 8)]
        public float[] Image { get; set; } = [];

        public int Seed { get; set; }
    }

    public sealed class Generated
    {
        [VectorType(1, 8, 8)]
        public float[] Image { get; set; } = [];

        public int Seed { get; set; }

        [VectorType(1, 8, 8)]
        public float[] GeneratedPixels { get; set; } = [];
    }

    /// <summary>Two 8×8 patterns in 0…255: a bright square on dark, and horizontal stripes.</summary>
    public static float[][] Patterns()
    {
        var square = new float[64];
        var stripes = new float[64];
        for (int y = 0; y < 8; y++)
            for (int x = 0; x < 8; x++)
            {
                square[8 * y + x] = x is >= 2 and < 6 && y is >= 2 and < 6 ? 255f : 0f;
                stripes[8 * y + x] = y % 2 == 0 ? 255f : 0f;
            }
        return [square, stripes];
    }

    public static IEnumerable<Row> Rows(int count) => Enumerable.Range(0, count).Select(i => new Row { Image = Patterns()[i % 2], Seed = 1000 + i });

    public static DiffusionEstimator.Options Options(int steps = 40) => new()
    {
        InputColumnName = "Image",
        OutputColumnName = "GeneratedImage",
        BaseChannels = 8,
        ChannelMultipliers = [1, 2],
        ResBlocksPerLevel = 1,
        AttentionResolutions = [],
        GroupNormGroups = 4,
        Dropout = 0,
        Timesteps = 100,
        BetaEnd = 0.2,
        BatchSize = 4,
        LearningRate = 2e-3,
        WarmupSteps = 0,
        MaxSteps = steps,
        MaxEpochs = null,
        Seed = 11,
        LogEveryNSteps = 10,
        Sampler = new DiffusionSamplerOptions { Kind = SamplerKind.Ddim, Steps = 10, BatchSize = 3 },
    };
}
