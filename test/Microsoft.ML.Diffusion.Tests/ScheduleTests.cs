using Microsoft.ML.Diffusion;
using static TorchSharp.torch;

namespace Microsoft.ML.Diffusion.Tests;

[TestClass]
public class ScheduleTests
{
    [TestMethod]
    public void LinearScheduleMatchesThePaper()
    {
        using var s = new LinearNoiseSchedule();
        Assert.AreEqual(1000, s.Timesteps);
        Assert.AreEqual(1e-4, s.Betas[0], 1e-15);
        Assert.AreEqual(0.02, s.Betas[999], 1e-15);
        Assert.AreEqual(1e-4 + (0.02 - 1e-4) * 500 / 999.0, s.Betas[500], 1e-15);
    }

    [TestMethod]
    [DataRow(NoiseScheduleKind.Linear)]
    [DataRow(NoiseScheduleKind.Cosine)]
    public void AlphaBarIsTheProductOfAlphas(NoiseScheduleKind kind)
    {
        using var s = NoiseSchedule.Create(kind);
        double product = 1;
        for (int t = 0; t < s.Timesteps; t++)
        {
            product *= 1 - s.Betas[t];
            Assert.AreEqual(product, s.AlphasCumprod[t], 1e-12 * Math.Max(1, product), $"t = {t}");
            Assert.AreEqual(Math.Sqrt(product), s.SqrtAlphasCumprod[t], 1e-12);
            Assert.AreEqual(Math.Sqrt(1 - product), s.SqrtOneMinusAlphasCumprod[t], 1e-12);
        }
    }

    [TestMethod]
    [DataRow(NoiseScheduleKind.Linear)]
    [DataRow(NoiseScheduleKind.Cosine)]
    public void PosteriorVarianceFollowsTheFormula(NoiseScheduleKind kind)
    {
        using var s = NoiseSchedule.Create(kind);
        Assert.AreEqual(0.0, s.PosteriorVariance[0], 1e-18, "β̃ is 0 at the first step (ᾱ_0 = 1)");
        for (int t = 1; t < s.Timesteps; t++)
        {
            double expected = (1 - s.AlphasCumprod[t - 1]) / (1 - s.AlphasCumprod[t]) * s.Betas[t];
            Assert.AreEqual(expected, s.PosteriorVariance[t], 1e-15);
            Assert.IsTrue(s.PosteriorVariance[t] <= s.Betas[t], "β̃_t ≤ β_t");
            Assert.AreEqual(Math.Log(expected), s.PosteriorLogVarianceClipped[t], 1e-12);
        }
        Assert.AreEqual(Math.Log(s.PosteriorVariance[1]), s.PosteriorLogVarianceClipped[0], 1e-12);
    }

    [TestMethod]
    [DataRow(NoiseScheduleKind.Linear)]
    [DataRow(NoiseScheduleKind.Cosine)]
    public void NoiseAddedUpToStepTIsOneMinusAlphaBar(NoiseScheduleKind kind)
    {
        // Σ_i β_i Π_{j>i} α_j = 1 − ᾱ_t: the variance accumulated by t single steps of the forward process.
        using var s = NoiseSchedule.Create(kind);
        foreach (int t in new[] { 0, 1, 10, 250, 999 })
        {
            double sum = 0;
            for (int i = 0; i <= t; i++)
            {
                double tail = 1;
                for (int j = i + 1; j <= t; j++) tail *= s.Alphas[j];
                sum += s.Betas[i] * tail;
            }
            Assert.AreEqual(1 - s.AlphasCumprod[t], sum, 1e-12, $"t = {t}");
        }
    }

    [TestMethod]
    public void CosineScheduleClipsBetaAndFollowsCosineAlphaBar()
    {
        using var s = new CosineNoiseSchedule(1000);
        Assert.AreEqual(CosineNoiseSchedule.MaxBeta, s.Betas.Max(), 1e-12, "the last β hits the 0.999 clip");
        static double F(double u) => Math.Pow(Math.Cos((u + 0.008) / 1.008 * Math.PI / 2), 2);
        for (int t = 0; t < 990; t += 37)
            Assert.AreEqual(F((t + 1) / 1000.0) / F(0), s.AlphasCumprod[t], 1e-9, $"t = {t}");
    }

    [TestMethod]
    public void FloatTensorsMatchTheDoubles()
    {
        using var s = new LinearNoiseSchedule();
        var values = s.SqrtOneMinusAlphasCumprodTensor.data<float>().ToArray();
        Assert.AreEqual(1000, values.Length);
        for (int t = 0; t < 1000; t++) Assert.AreEqual((float)s.SqrtOneMinusAlphasCumprod[t], values[t]);
    }

    [TestMethod]
    public void BadBetasAreRefused()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => new LinearNoiseSchedule(10, 0.5, 0.1));
        StringAssert.Contains(e.Message, "betaStart");
    }
}
