using System.Text;

namespace Microsoft.ML.Diffusion.Tests;

/// <summary>build/Microsoft.ML.Diffusion.targets: the copy of libLibTorchSharp.so in the output, not the NuGet cache, is patched.</summary>
[TestClass]
public sealed class Debian12LoadFixTests
{
    [TestMethod]
    public void OnlyTheOutputCopyDiffersFromTheCacheAndOnlyInTheWeakFlag()
    {
        if (!OperatingSystem.IsLinux()) Assert.Inconclusive("The fix applies to Linux only.");
        string output = Path.Combine(AppContext.BaseDirectory, "libLibTorchSharp.so");
        string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string cached = Path.Combine(packages, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        if (!File.Exists(output) || !File.Exists(cached)) Assert.Inconclusive($"{output} or {cached} is not there (not an x64 Linux build).");
        var patched = File.ReadAllBytes(output);
        var original = File.ReadAllBytes(cached);
        Assert.HasCount(original.Length, patched);
        var differences = Enumerable.Range(0, original.Length).Where(i => patched[i] != original[i]).ToList();

        bool systemHasVersion = new[] { "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6" }
            .Where(File.Exists).Any(f => Encoding.ASCII.GetString(File.ReadAllBytes(f)).Contains("GLIBCXX_3.4.32\0", StringComparison.Ordinal));
        if (systemHasVersion)
        {
            Assert.IsEmpty(differences, "the system libstdc++ defines GLIBCXX_3.4.32, so nothing should be patched");
            return;
        }
        // One Vernaux entry's vna_flags gains VER_FLG_WEAK (0x2); the cache keeps the original.
        Assert.HasCount(1, differences);
        int at = differences[0];
        Assert.AreEqual(original[at] | 0x2, patched[at]);
        Assert.AreEqual(0, original[at] & 0x2, "the NuGet cache copy must not be patched");
    }

    [TestMethod]
    public void TorchSharpLoadsWithoutTheConsolidatedFallbackCopy()
    {
        using var x = TorchSharp.torch.ones(3);
        Assert.AreEqual(3f, x.sum().item<float>());
        // TorchSharp copies ~480 MB of unpatched natives into <bin>/cpu/ when its normal load fails.
        Assert.IsFalse(Directory.Exists(Path.Combine(AppContext.BaseDirectory, "cpu")), "TorchSharp fell back to its cpu/ copy");
    }
}
