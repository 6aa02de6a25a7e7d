using Microsoft.ML.Diffusion;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Diffusion.Tests;

[TestClass]
public class UNetTests
{
    // Parameter counts of the building blocks, from their definitions (weights + biases).
    private static long Conv(long i, long o, long k) => i * o * k * k + o;
    private static long Linear(long i, long o) => i * o + o;
    private static long Norm(long c) => 2 * c;
    private static long Res(long i, long o, long temb) => Norm(i) + Conv(i, o, 3) + Linear(temb, o) + Norm(o) + Conv(o, o, 3) + (i != o ? Conv(i, o, 1) : 0);
    private static long Attn(long c) => Norm(c) + 4 * Conv(c, c, 1);

    [TestMethod]
    public void FmnistSHasTheHandCountedParameters()
    {
        // FMNIST-S: base 64, mults (1, 2, 2) → 64, 128, 128 at 28, 14, 7; 2 res blocks down, 3 up;
        // attention after each res block at 7 and in the middle; temb 64 → 256 → 256.
        long temb = Linear(64, 256) + Linear(256, 256);
        long down = Conv(1, 64, 3)
            + Res(64, 64, 256) + Res(64, 64, 256) + Conv(64, 64, 3)
            + Res(64, 128, 256) + Res(128, 128, 256) + Conv(128, 128, 3)
            + Res(128, 128, 256) + Attn(128) + Res(128, 128, 256) + Attn(128);
        long mid = Res(128, 128, 256) + Attn(128) + Res(128, 128, 256);
        // Up path skips (popped last-in first-out): level 2 takes 128,128,128; level 1 takes 128,128,64; level 0 takes 64,64,64.
        long up = Res(256, 128, 256) + Attn(128) + Res(256, 128, 256) + Attn(128) + Res(256, 128, 256) + Attn(128) + Conv(128, 128, 3)
            + Res(256, 128, 256) + Res(256, 128, 256) + Res(192, 128, 256) + Conv(128, 128, 3)
            + Res(192, 64, 256) + Res(128, 64, 256) + Res(128, 64, 256);
        long head = Norm(64) + Conv(64, 1, 3);
        using var model = new UNetModel(UNetArchitecture.FmnistS);
        Assert.AreEqual(temb + down + mid + up + head, model.ParameterCount);
    }

    [TestMethod]
    public void OutputHasTheInputShapeForNonSquareImages()
    {
        using var scope = NewDisposeScope();
        using var model = new UNetModel(new UNetArchitecture(3, 8, 12, 8, [1, 2, 2], 1, [2], 0.0, 4, 0));
        var x = randn([2, 3, 8, 12]);
        var y = model.call(x, tensor(new long[] { 0, 500 }));
        CollectionAssert.AreEqual(new long[] { 2, 3, 8, 12 }, y.shape);
    }

    [TestMethod]
    public void SizesNotDivisibleByTheDownsamplingAreRefused()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => new UNetModel(new UNetArchitecture(1, 10, 10, 8, [1, 2, 2], 1, [], 0, 4, 0)));
        StringAssert.Contains(e.Message, "divisible by 4");
    }

    [TestMethod]
    public void GroupNormAffineParametersStartAtOneAndZero()
    {
        // TorchSharp 0.107's nn.GroupNorm leaves them uninitialised (torch.empty); the U-Net sets PyTorch's defaults.
        using var model = new UNetModel(new UNetArchitecture(1, 8, 8, 8, [1, 2], 1, [4], 0.0, 4, 0));
        var norms = model.named_parameters().Where(p => p.name.Contains("norm")).ToList();
        Assert.IsGreaterThanOrEqualTo(6, norms.Count);
        foreach (var (name, p) in norms)
        {
            double expected = name.EndsWith(".weight", StringComparison.Ordinal) ? 1 : 0;
            Assert.AreEqual(expected, p.min().ToDouble(), name);
            Assert.AreEqual(expected, p.max().ToDouble(), name);
        }
    }

    [TestMethod]
    public void GradientsReachEveryParameter()
    {
        using var scope = NewDisposeScope();
        using var model = new UNetModel(new UNetArchitecture(1, 8, 8, 8, [1, 2], 1, [4], 0.0, 4, 0));
        // The reference zero-initialises the output and attention projections; perturb them so every path carries gradient.
        using (no_grad()) foreach (var p in model.parameters()) p.add_(randn_like(p) * 0.01);
        var loss = model.call(randn([2, 1, 8, 8]), tensor(new long[] { 3, 7 })).square().mean();
        loss.backward();
        foreach (var (name, p) in model.named_parameters())
        {
            using var g = p.grad;
            Assert.IsNotNull(g, name);
            Assert.IsTrue(g.abs().sum().ToDouble() > 0, $"{name} got a zero gradient");
        }
    }
}
