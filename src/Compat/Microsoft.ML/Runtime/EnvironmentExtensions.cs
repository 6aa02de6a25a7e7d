// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

namespace Microsoft.ML.Runtime;

/// <summary>
/// Not in upstream (whose equivalents are internal): lets components in other assemblies read the
/// <see cref="MLContext"/> settings behind an environment and honour cancellation.
/// </summary>
public static class EnvironmentExtensions
{
    /// <summary>The seed the <see cref="MLContext"/> was created with, or null.</summary>
    public static int? GetSeed(this IHostEnvironment env) => RootOf(env)?.Seed;

    /// <summary>The <see cref="MLContext"/> behind <paramref name="env"/>, or null for a foreign environment.</summary>
    public static MLContext? GetMLContext(this IHostEnvironment env) => RootOf(env)?.Context;

    /// <summary>Whether <see cref="MLContext.CancelExecution"/> was called.</summary>
    public static bool IsCanceled(this IHostEnvironment env) => RootOf(env)?.IsCanceled ?? false;

    /// <summary>Throws <see cref="OperationCanceledException"/> once <see cref="MLContext.CancelExecution"/> was called; long loops call it regularly.</summary>
    public static void CheckAlive(this IHostEnvironment env)
    {
        if (env.IsCanceled())
            throw new OperationCanceledException($"Operation in '{env.ContextDescription}' was cancelled by MLContext.CancelExecution().");
    }

    private static EnvironmentRoot? RootOf(IHostEnvironment env)
    {
        ArgumentNullException.ThrowIfNull(env);
        return env switch
        {
            Host host => host.Root,
            MLContext context => context.Root,
            _ => null,
        };
    }
}
