using System.Runtime.CompilerServices;

namespace Microsoft.ML.Diffusion.Tests;

/// <summary>Files of the repository the tests were compiled from (the README, Directory.Build.props, the package project).</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(ThisFile())!, "..", ".."));

    public static string Get(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string ThisFile([CallerFilePath] string path = "") => path;
}
