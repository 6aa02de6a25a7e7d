using System.Reflection;

namespace Microsoft.ML.Diffusion;

/// <summary>The version of this package (VersionPrefix in Directory.Build.props), as model zips and checkpoints record it.</summary>
internal static class PackageVersion
{
    public const string PackageName = "Microsoft.ML.Diffusion";

    /// <summary>Semantic version without build metadata (the SDK appends "+commit" to the informational version).</summary>
    public static string Current { get; } =
        typeof(PackageVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(PackageVersion).Assembly.GetName().Version?.ToString(3)
        ?? "0.0.0";

    /// <summary>"Microsoft.ML.Diffusion 0.1.0", the form written into model zips and checkpoints.</summary>
    public static string WrittenBy => $"{PackageName} {Current}";

    /// <summary>ML.NET's packed format version 0xMMMMmmmm as "M.m".</summary>
    public static string Format(uint version) => $"{version >> 16}.{version & 0xFFFF}";

    /// <summary>
    /// The error for data written in a format newer than this version reads: it names the package version that wrote it
    /// (when the writer recorded one) as the one to install.
    /// </summary>
    public static InvalidDataException NewerFormat(string what, string writtenFormat, string readableFormat, string? writtenBy)
    {
        string needed = IsWellFormed(writtenBy) ? $"{writtenBy} or later" : $"a {PackageName} newer than {Current}";
        return new InvalidDataException(
            $"{what} was written {(IsWellFormed(writtenBy) ? $"by {writtenBy} " : "")}in format {writtenFormat}; this is {WrittenBy}, " +
            $"which reads format {readableFormat} and earlier. Reading it needs {needed}.");
    }

    // A recorded version is shown to the user only when it looks like one (a forged entry gets the generic wording).
    private static bool IsWellFormed(string? writtenBy) =>
        writtenBy is { Length: > 0 and <= 100 } && writtenBy.StartsWith(PackageName + " ", StringComparison.Ordinal)
        && writtenBy[(PackageName.Length + 1)..].All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-');
}
