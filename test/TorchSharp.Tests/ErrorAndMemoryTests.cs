using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchSharp.Tests;

[TestClass]
public class ErrorAndMemoryTests
{
    private static ExternalException AssertNativeError(Action action, string expected)
    {
        var e = Assert.ThrowsExactly<ExternalException>(action);
        StringAssert.Contains(e.Message, expected);
        Assert.IsFalse(e.Message.Contains('\n'), $"one line: {e.Message}");
        // the process (and libtorch) carry on after the failure
        using var ok = ones(2) + 1;
        Assert.AreEqual(4f, ok.sum().item<float>());
        return e;
    }

    [TestMethod]
    public void NativeFailuresBecomeOneLineExternalExceptions()
    {
        using var scope = NewDisposeScope();
        var m = arange(6, dtype: ScalarType.Float32).reshape(2, 3);
        var tr = m.t();
        AssertNativeError(() => tr.view(6), "view size is not compatible with input tensor's size and stride");
        AssertNativeError(() => m.view(4), "shape '[4]' is invalid for input of size 6");
        AssertNativeError(() => m.select(0, 5), "out of range");
        AssertNativeError(() => m.index_select(0, tensor(new long[] { 7 })), "out of range");
        AssertNativeError(() => m.gather(1, tensor(new long[] { 3 }, [1, 1])), "out of bounds");
        AssertNativeError(() => cat([m, ones(2, 2)], 0), "Sizes of tensors must match");
        AssertNativeError(() => m.add(ones(4)), "The size of tensor a (3) must match the size of tensor b (4)");
        AssertNativeError(() => m.permute(0), "permute");
        AssertNativeError(() => nn.functional.conv2d(ones(1, 2, 4, 4), ones(1, 3, 3, 3)), "expected input[1, 2, 4, 4] to have 3 channels");
        Assert.AreEqual(ScalarType.Float32, m.dtype);
    }

    [TestMethod]
    public void ManagedFailuresAreArgumentExceptions()
    {
        using var scope = NewDisposeScope();
        var f = ones(3);
        var e = Assert.ThrowsExactly<ArgumentException>(() => f.data<double>());
        StringAssert.Contains(e.Message, "Double is not compatible with Float32");
        Assert.ThrowsExactly<ArgumentException>(() => f.item<float>());
        Assert.ThrowsExactly<ArgumentException>(() => tensor(new long[] { 1 }).data<int>());
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => f.size(3));
        var d = ones(1);
        d.Dispose();
        Assert.ThrowsExactly<ObjectDisposedException>(() => d.sum());
        Assert.AreEqual(3f, f.sum().item<float>());
    }

    private static long ResidentKiB()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
        throw new InvalidOperationException("no VmRSS in /proc/self/status");
    }

    private static void Settle()
    {
        for (int k = 0; k < 3; k++) { GC.Collect(); GC.WaitForPendingFinalizers(); }
    }

    private static void Cycle(Tensor w)
    {
        using var scope = NewDisposeScope();
        var x = randn(16, 32);
        var h = x.matmul(w).relu() + 1;
        var y = (h * h).mean([1L]).softmax(0);
        var parts = h.chunk(4, 1);
        var z = cat(parts, 1)[TensorIndex.Slice(0, 8)].sum();
        _ = y.data<float>();
        _ = z.item<float>();
    }

    [TestMethod]
    public void TenThousandScopedCyclesLeaveNoTensorsAndNoResidentGrowth()
    {
        using var w = randn(32, 32);
        for (int k = 0; k < 1_000; k++) Cycle(w); // warm up allocator caches and the JIT
        Settle();
        long baseline = Tensor.TotalCount;
        long rssBefore = ResidentKiB();
        for (int k = 0; k < 10_000; k++) Cycle(w);
        Settle();
        long rssAfter = ResidentKiB();
        Assert.AreEqual(baseline, Tensor.TotalCount, "every tensor made inside a scope is released with it");
        const long boundKiB = 20 * 1024;
        Assert.IsTrue(rssAfter - rssBefore < boundKiB, $"VmRSS grew by {(rssAfter - rssBefore) / 1024.0:F1} MiB (bound 20 MiB)");
    }

    [TestMethod]
    public void ScopesReleaseAndMoveTensors()
    {
        Settle();
        long baseline = Tensor.TotalCount;
        Tensor kept;
        using (var outer = NewDisposeScope())
        {
            using (var inner = NewDisposeScope())
            {
                var a = ones(3);
                kept = (a * 2).MoveToOuterDisposeScope();
                Assert.IsTrue(outer.Contains(kept));
                Assert.AreEqual(1, inner.DisposablesCount, "a only: a*2 moved out");
            }
            Assert.IsFalse(kept.IsInvalid);
            Assert.AreEqual(baseline + 1, Tensor.TotalCount);
            kept.DetachFromDisposeScope();
        }
        Assert.IsFalse(kept.IsInvalid);
        using (var s = kept.sum()) Assert.AreEqual(6f, s.item<float>());
        kept.Dispose();
        Settle();
        Assert.AreEqual(baseline, Tensor.TotalCount);
    }
}
