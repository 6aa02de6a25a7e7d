using Microsoft.ML.Diffusion;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Diffusion.Tests;

[TestClass]
public class ForwardProcessTests
{
    [TestMethod]
    public void SampleIsTheClosedFormPerSample()
    {
        using var scope = NewDisposeScope();
        using var s = new LinearNoiseSchedule();
        var x0 = tensor(new float[] { 0.5f, -0.25f, 1f, 0f }, [2, 1, 1, 2]);
        var eps = tensor(new float[] { 1f, 2f, -1f, 0.5f }, [2, 1, 1, 2]);
        var t = tensor(new long[] { 0, 999 });
        var xt = ForwardProcess.Sample(s, x0, t, eps).data<float>().ToArray();
        float a0 = (float)s.SqrtAlphasCumprod[0], b0 = (float)s.SqrtOneMinusAlphasCumprod[0];
        float a1 = (float)s.SqrtAlphasCumprod[999], b1 = (float)s.SqrtOneMinusAlphasCumprod[999];
        CollectionAssert.AreEqual(new[] { a0 * 0.5f + b0 * 1f, a0 * -0.25f + b0 * 2f, a1 * 1f + b1 * -1f, a1 * 0f + b1 * 0.5f }, xt);
    }

    [TestMethod]
    [DataRow(10)]
    [DataRow(300)]
    [DataRow(900)]
    public void EmpiricalMomentsMatchQ(int step)
    {
        // Over n draws, the mean of x_t is √ᾱ_t x₀ and its variance 1 − ᾱ_t; tolerances are 5 standard errors.
        using var scope = NewDisposeScope();
        using var s = new LinearNoiseSchedule();
        const int n = 200_000;
        manual_seed(7);
        var x0 = full([n, 1, 1, 1], 0.6f);
        var eps = randn([n, 1, 1, 1]);
        var t = full([n], step, ScalarType.Int64);
        var xt = ForwardProcess.Sample(s, x0, t, eps).to(ScalarType.Float64);
        double mean = xt.mean().ToDouble(), variance = xt.var().ToDouble();
        double expectedMean = s.SqrtAlphasCumprod[step] * 0.6, expectedVar = 1 - s.AlphasCumprod[step];
        Assert.AreEqual(expectedMean, mean, 5 * Math.Sqrt(expectedVar / n));
        Assert.AreEqual(expectedVar, variance, 5 * expectedVar * Math.Sqrt(2.0 / (n - 1)));
    }
}
