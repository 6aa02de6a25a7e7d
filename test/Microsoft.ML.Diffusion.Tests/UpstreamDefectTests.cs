using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Microsoft.ML.Diffusion;
using static TorchSharp.torch;

namespace Microsoft.ML.Diffusion.Tests;

/// <summary>The TorchSharp 0.107 defects the package works around, pinned so that a change is noticed.</summary>
[TestClass]
public sealed class UpstreamDefectTests
{
    [TestMethod]
    public void ThePackageNeverCallsMatmul()
    {
        // THSTensor_matmul has no error guard: a shape mismatch aborts the process instead of throwing.
        using var pe = new PEReader(File.OpenRead(typeof(DiffusionEstimator).Assembly.Location));
        var md = pe.GetMetadataReader();
        var calls = md.MemberReferences.Select(h => md.GetMemberReference(h))
            .Where(m => md.GetString(m.Name) is "matmul" or "matmul_")
            .Select(m => m.Parent.Kind == HandleKind.TypeReference ? md.GetString(md.GetTypeReference((TypeReferenceHandle)m.Parent).Name) : "?")
            .ToList();
        Assert.IsEmpty(calls, $"Microsoft.ML.Diffusion calls matmul on {string.Join(", ", calls)}; use mm or bmm, which throw on bad shapes.");
    }

    [TestMethod]
    public void MmAndBmmThrowOnMismatchedShapes()
    {
        using var a = ones(2, 3);
        using var b = ones(4, 5);
        Assert.Throws<Exception>(() => a.mm(b));
        using var c = ones(2, 2, 3);
        using var d = ones(2, 4, 5);
        Assert.Throws<Exception>(() => c.bmm(d));
    }

    [TestMethod]
    public void SpecialErfcxReturnsErfcSoTheBoundAvoidsIt()
    {
        // torch.special.erfcx calls THSSpecial_erfc in TorchSharp 0.107: erfcx(2) should be e⁴·erfc(2) = 0.2553, it is 0.0047.
        // GaussianTerms uses erfc and an asymptotic series instead; when this fails, TorchSharp is fixed and erfcx may be used.
        using var x = tensor(2.0);
        using var erfcx = special.erfcx(x);
        using var erfc = special.erfc(x);
        Assert.AreEqual(erfc.item<double>(), erfcx.item<double>(), 1e-15);
        Assert.AreEqual(0.004677734981047266, erfc.item<double>(), 1e-15);
    }
}
