using Microsoft.ML.Runtime;

namespace Microsoft.ML.Diffusion;

/// <summary>What ML.NET keeps internal about an environment that a component still needs.</summary>
internal static class MlNetEnvironment
{
    /// <summary>The seed the MLContext was created with (null for none); hosts registered from it report the same.</summary>
    public static int? GetSeed(this IHostEnvironment environment) => (environment as IHostEnvironmentInternal)?.Seed;
}
