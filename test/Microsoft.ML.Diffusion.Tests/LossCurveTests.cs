using System.Globalization;
using System.Xml.Linq;

namespace Microsoft.ML.Diffusion.Tests;

[TestClass]
public class LossCurveTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static float[] Losses(int count) => Enumerable.Range(0, count).Select(i => 1f / (1 + 0.01f * i) + 0.05f * (i % 3)).ToArray();

    private static (double X, double Y)[] Points(XDocument svg, string cssClass)
    {
        var line = svg.Descendants(Svg + "polyline").Single(e => (string?)e.Attribute("class") == cssClass);
        return line.Attribute("points")!.Value.Split(' ')
            .Select(p => p.Split(','))
            .Select(xy => (double.Parse(xy[0], CultureInfo.InvariantCulture), double.Parse(xy[1], CultureInfo.InvariantCulture)))
            .ToArray();
    }

    [TestMethod]
    public void WritesWellFormedSvgWithAPointPerStep()
    {
        var path = Path.Combine(Path.GetTempPath(), $"loss-{Guid.NewGuid():N}.svg");
        try
        {
            LossCurve.WriteSvg(Losses(300), path, title: "Fashion-MNIST <demo> & co", width: 640, height: 320);
            var svg = XDocument.Load(path);
            Assert.AreEqual(Svg + "svg", svg.Root!.Name);
            Assert.AreEqual("640", (string?)svg.Root.Attribute("width"));
            Assert.AreEqual(300, Points(svg, "raw").Length);
            Assert.AreEqual(300, Points(svg, "smoothed").Length);
            Assert.IsTrue(svg.Descendants(Svg + "text").Any(t => t.Value == "Fashion-MNIST <demo> & co"), "the title is escaped, not dropped");
            foreach (var (x, y) in Points(svg, "raw"))
            {
                Assert.IsTrue(x is >= 0 and <= 640 && y is >= 0 and <= 320, $"point ({x}, {y}) is inside the picture");
            }
            var raw = Points(svg, "raw");
            Assert.IsTrue(raw.Zip(raw.Skip(1)).All(p => p.Second.X > p.First.X), "x increases with the step");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void LongHistoriesAreBucketed()
    {
        var svg = XDocument.Parse(LossCurve.ToSvg(Losses(10_001), maxPoints: 500));
        Assert.AreEqual(500, Points(svg, "raw").Length);
        Assert.AreEqual(500, Points(svg, "smoothed").Length);
        Assert.AreEqual(Points(svg, "raw")[^1].X, Points(svg, "smoothed")[^1].X, "both lines end at the last step");
    }

    [TestMethod]
    public void HigherLossIsDrawnHigher()
    {
        foreach (bool log in new[] { true, false })
        {
            var svg = XDocument.Parse(LossCurve.ToSvg([4f, 1f, 0.25f], logScale: log));
            var raw = Points(svg, "raw");
            Assert.IsTrue(raw[0].Y < raw[1].Y && raw[1].Y < raw[2].Y, $"log {log}: SVG y grows downwards");
            if (log) Assert.AreEqual(raw[1].Y - raw[0].Y, raw[2].Y - raw[1].Y, 0.11, "equal ratios are equal distances on a log axis");
        }
    }

    [TestMethod]
    public void SingleAndFlatHistoriesRender()
    {
        var one = XDocument.Parse(LossCurve.ToSvg([0.5f]));
        Assert.AreEqual(1, Points(one, "raw").Length);
        var flat = XDocument.Parse(LossCurve.ToSvg([0.5f, 0.5f, 0.5f], logScale: false));
        Assert.IsTrue(Points(flat, "raw").All(p => double.IsFinite(p.Y)));
    }

    [TestMethod]
    public void SmoothMatchesTheTrainersBiasCorrectedAverage()
    {
        var s = LossCurve.Smooth([1f, 3f], 0.5);
        Assert.AreEqual(1f, s[0], 1e-6f, "bias correction makes the first value the loss itself");
        Assert.AreEqual((0.5 * 0.5 * 1 + 0.5 * 3) / (1 - 0.25), s[1], 1e-6);
        CollectionAssert.AreEqual(new[] { 1f, 3f }, LossCurve.Smooth([1f, 3f], 0));
    }

    [TestMethod]
    public void SmoothingAdaptsToShortHistories()
    {
        Assert.AreEqual(0, LossCurve.SmoothingFor(5), "fewer than 10 steps are drawn unsmoothed");
        Assert.AreEqual(0.9, LossCurve.SmoothingFor(100), 1e-12);
        Assert.AreEqual(LossCurve.DefaultSmoothing, LossCurve.SmoothingFor(500), 1e-12);
        Assert.AreEqual(LossCurve.DefaultSmoothing, LossCurve.SmoothingFor(100_000), 1e-12);

        // A loss that drops from 1 to 0.1 halfway: the adaptive line follows it, the trainer's 0.98 lags.
        var losses = Enumerable.Range(0, 100).Select(i => i < 50 ? 1f : 0.1f).ToArray();
        var adaptive = Points(XDocument.Parse(LossCurve.ToSvg(losses)), "smoothed");
        var fixedFactor = Points(XDocument.Parse(LossCurve.ToSvg(losses, smoothing: LossCurve.DefaultSmoothing)), "smoothed");
        Assert.IsTrue(adaptive[^1].Y > fixedFactor[^1].Y, "the adaptive line ends lower (larger SVG y)");
    }

    [TestMethod]
    public void BadHistoriesAreRejectedWithTheStep()
    {
        var empty = Assert.ThrowsExactly<ArgumentException>(() => LossCurve.ToSvg([]));
        StringAssert.Contains(empty.Message, "empty");
        var nan = Assert.ThrowsExactly<ArgumentException>(() => LossCurve.ToSvg([1f, float.NaN]));
        StringAssert.Contains(nan.Message, "step 2 is NaN");
        var zero = Assert.ThrowsExactly<ArgumentException>(() => LossCurve.ToSvg([1f, 0f]));
        StringAssert.Contains(zero.Message, "logScale: false");
        Assert.IsNotNull(LossCurve.ToSvg([1f, 0f], logScale: false), "zero is fine on a linear axis");
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => LossCurve.ToSvg([1f], maxPoints: 1));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => LossCurve.Smooth([1f], 1.0));
        var noFolder = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}", "loss.svg");
        var e = Assert.ThrowsExactly<DirectoryNotFoundException>(() => LossCurve.WriteSvg([1f], noFolder));
        StringAssert.Contains(e.Message, "missing-");
    }
}
