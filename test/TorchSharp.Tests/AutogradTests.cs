using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.Tests.TestUtil;

namespace TorchSharp.Tests;

[TestClass]
public class AutogradTests
{
    [TestMethod]
    public void ReparameterizationGradientsAreExact()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var mu = tensor(new float[] { 0.3f, -1.2f, 2.5f }, requires_grad: true);
        var sigma = tensor(new float[] { 0.7f, 2.0f, 0.01f }, requires_grad: true);
        var eps = randn(3);
        var z = mu + sigma * eps;
        z.sum().backward();
        CollectionAssert.AreEqual(new float[] { 1, 1, 1 }, F(mu.grad!), "∂z/∂μ = 1");
        CollectionAssert.AreEqual(F(eps), F(sigma.grad!), "∂z/∂σ = ε, bit for bit");
        Assert.IsNull(eps.grad);
        Assert.IsTrue(mu.is_leaf);
        Assert.IsFalse(z.is_leaf);
    }

    [TestMethod]
    public void FactoriesHonourRequiresGrad()
    {
        using var scope = NewDisposeScope();
        Tensor[] made =
        [
            zeros(2, requires_grad: true), ones(new long[] { 2 }, requires_grad: true), empty(2, requires_grad: true),
            full(2, 1.5, requires_grad: true), rand(2, requires_grad: true), randn(new long[] { 2, 2 }, requires_grad: true),
            arange(0.0, 1.0, 0.5, requires_grad: true), linspace(0, 1, 3, requires_grad: true), eye(2, requires_grad: true),
        ];
        foreach (var t in made)
        {
            Assert.IsTrue(t.requires_grad, t.ToString());
            Assert.IsTrue(t.is_leaf);
        }
        Assert.IsFalse(zeros(2).requires_grad);
        var w = randn(new long[] { 3 }, requires_grad: true);
        (w * 2).sum().backward();
        Close([2, 2, 2], w.grad!, 0);
    }

    [TestMethod]
    public void BackwardWithGradTensorsAndNoGrad()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new double[] { 1, 2, 3 }, requires_grad: true);
        var y = x * x;
        y.backward([tensor(new double[] { 1, 10, 100 })]);
        Close([2, 40, 600], x.grad!, 0);
        using (no_grad())
        {
            Assert.IsFalse(is_grad_enabled());
            Assert.IsFalse((x * 2).requires_grad);
        }
        Assert.IsTrue(is_grad_enabled());
        var d = (x * 2).detach();
        Assert.IsFalse(d.requires_grad);
        // retain_graph lets backward run twice; gradients accumulate
        x.grad = null;
        var s = (x * x).sum();
        s.backward(retain_graph: true);
        s.backward();
        Close([4, 8, 12], x.grad!, 0);
        var h = x * 3;
        h.retain_grad();
        h.sum().backward();
        Close([1, 1, 1], h.grad!, 0);
    }

    // Per-sample pathwise gradients g_i have a sample mean ḡ whose standard error is sd(g)/√N; the
    // autograd result must equal ḡ and lie within 5 standard errors of the exact gradient.
    private static void AssertWithin5SE(Tensor perSample, Tensor autogradMean, double[] expected, string what)
    {
        long n = perSample.shape[0];
        var mean = perSample.mean([0L]).flatten();
        var se = perSample.std([0L]).flatten() / Math.Sqrt(n);
        var m = D(mean);
        var s = D(se);
        var a = D(autogradMean.flatten().to(ScalarType.Float64));
        for (int k = 0; k < expected.Length; k++)
        {
            Assert.AreEqual(m[k], a[k], 1e-9 * Math.Max(1, Math.Abs(m[k])), $"{what}[{k}]: autograd equals the mean of per-sample gradients");
            if (s[k] == 0) { Assert.AreEqual(expected[k], a[k], 1e-12, $"{what}[{k}]"); continue; }
            Assert.IsTrue(Math.Abs(a[k] - expected[k]) <= 5 * s[k],
                $"{what}[{k}] = {a[k]}, expected {expected[k]} ± 5·{s[k]:g3}");
        }
    }

    [TestMethod]
    public void MonteCarloPathwiseGradientScalar()
    {
        using var scope = NewDisposeScope();
        manual_seed(2024);
        const int n = 100_000;
        double a0 = 0.5, b0 = -1.5;
        var a = tensor(a0, ScalarType.Float64, requires_grad: true);
        var b = tensor(b0, ScalarType.Float64, requires_grad: true);
        var eps = randn(n, ScalarType.Float64);
        var z = a + b * eps;
        (z * z).mean().backward();
        // J = E[z²] = a² + b²  ⇒  ∂J/∂a = 2a, ∂J/∂b = 2b; per-sample: 2z and 2zε
        var zd = z.detach();
        AssertWithin5SE((zd * 2).unsqueeze(1), a.grad!, [2 * a0], "dJ/da");
        AssertWithin5SE((zd * eps * 2).unsqueeze(1), b.grad!, [2 * b0], "dJ/db");
    }

    [TestMethod]
    public void MonteCarloPathwiseGradientMultivariate()
    {
        using var scope = NewDisposeScope();
        manual_seed(77);
        const int n = 100_000, d = 4;
        double[] mu0 = [0.5, -1, 2, 0.25];
        double[] l0 =
        [
            1.0, 0, 0, 0,
            0.3, 0.8, 0, 0,
            -0.5, 0.2, 1.5, 0,
            0.1, -0.4, 0.6, 0.9,
        ];
        var mu = tensor(mu0, ScalarType.Float64, requires_grad: true);
        var lFull = tensor(l0, [d, d], ScalarType.Float64, requires_grad: true);
        var lower = lFull.tril();
        var eps = randn(n, d, ScalarType.Float64);
        var z = mu + eps.matmul(lower.t());            // z_i = μ + L ε_i
        (z * z).sum(1L).mean().backward();            // J = E‖z‖² = ‖μ‖² + ‖L‖²_F
        var zd = z.detach();
        AssertWithin5SE(zd * 2, mu.grad!, mu0.Select(v => 2 * v).ToArray(), "∇μ");
        // per-sample ∇L = tril(2 z εᵀ)
        var perL = (zd.unsqueeze(2) * eps.unsqueeze(1) * 2).tril().reshape(n, d * d);
        AssertWithin5SE(perL, lFull.grad!, l0.Select(v => 2 * v).ToArray(), "∇L");
        Close(new double[6], lFull.grad!.triu(1).flatten()[TensorIndex.Tensor(tensor(new long[] { 1, 2, 3, 6, 7, 11 }))], 0, "upper part is exactly zero");
    }
}
