using System.Diagnostics;

namespace Microsoft.ML.Diffusion.Tests;

/// <summary>Runs a program to completion and returns its output; a hang or a non-zero exit fails the test with the output.</summary>
internal static class ChildProcess
{
    /// <summary>The dotnet host that runs the tests (dotnet test sets DOTNET_HOST_PATH), else the one on PATH.</summary>
    public static string Dotnet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    public static List<string> Run(string fileName, IEnumerable<string> args, TimeSpan timeout, string? workingDirectory = null,
        Action<IDictionary<string, string?>>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in args) info.ArgumentList.Add(a);
        environment?.Invoke(info.Environment);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"'{fileName} {string.Join(' ', info.ArgumentList)}' did not finish in {timeout}:\n{stdout.Result}{stderr.Result}");
        }
        Assert.AreEqual(0, process.ExitCode, $"'{fileName} {string.Join(' ', info.ArgumentList)}' failed:\n{stdout.Result}{stderr.Result}");
        return stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
    }
}
