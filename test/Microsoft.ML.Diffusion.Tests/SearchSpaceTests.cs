using Microsoft.ML.Diffusion.Experiments;
using Microsoft.ML.SearchSpace;

namespace Microsoft.ML.Diffusion.Tests;

[TestClass]
public sealed class SearchSpaceTests
{
    public enum Shape { Square, Circle, Star }

    public sealed class Sweep
    {
        [Range(1e-4, 1e-1, logBase: true)]
        public double Rate = 0.01;

        [Range(2, 5)]
        public int Depth = 3;

        [Range(0.5f, 1.5f)]
        public float Scale { get; set; } = 1f;

        [Choice("a", "b", "c")]
        public string Letter = "a";

        [Choice(Shape.Circle, Shape.Star)]
        public Shape Form = Shape.Circle;

        [BooleanChoice]
        public bool Flag;

        public string Untouched = "kept";
    }

    [TestMethod]
    public void SamplesStayInsideRangeAndChoice()
    {
        var space = new SearchSpace<Sweep>();
        Assert.AreEqual(6, space.FeatureSpaceDim);
        var random = new Random(3);
        var samples = Enumerable.Range(0, 3000).Select(_ => space.SampleFromFeatureSpace(Enumerable.Range(0, 6).Select(_ => random.NextDouble()).ToArray())).ToList();

        Assert.IsTrue(samples.All(s => s.Rate is >= 1e-4 and <= 1e-1), "log range");
        Assert.IsTrue(samples.All(s => s.Scale is >= 0.5f and <= 1.5f), "float range");
        CollectionAssert.AreEquivalent(new[] { 2, 3, 4, 5 }, samples.Select(s => s.Depth).Distinct().ToArray(), "integer range includes both ends");
        CollectionAssert.AreEquivalent(new[] { "a", "b", "c" }, samples.Select(s => s.Letter).Distinct().ToArray());
        CollectionAssert.AreEquivalent(new[] { Shape.Circle, Shape.Star }, samples.Select(s => s.Form).Distinct().ToArray(), "enum choice never yields a value outside its candidates");
        CollectionAssert.AreEquivalent(new[] { false, true }, samples.Select(s => s.Flag).Distinct().ToArray());
        Assert.IsTrue(samples.All(s => s.Untouched == "kept"), "members without attributes keep their initial values");

        // Log-uniform: each decade is equally likely, so a third of the samples fall in [1e-4, 1e-3).
        double firstDecade = samples.Count(s => s.Rate < 1e-3) / (double)samples.Count;
        Assert.AreEqual(1 / 3.0, firstDecade, 0.04, "log scale");
        foreach (var depth in new[] { 2, 5 })
            Assert.AreEqual(0.25, samples.Count(s => s.Depth == depth) / (double)samples.Count, 0.04, $"end value {depth} is as likely as the inner ones");
    }

    [TestMethod]
    public void FeatureSpaceRoundTrips()
    {
        var space = new SearchSpace<Sweep>();
        var value = new Sweep { Rate = 3e-3, Depth = 4, Scale = 0.75f, Letter = "c", Form = Shape.Star, Flag = true };
        var back = space.SampleFromFeatureSpace(space.MappingToFeatureSpace(value));
        Assert.AreEqual(value.Rate, back.Rate, 1e-12);
        Assert.AreEqual(value.Depth, back.Depth);
        Assert.AreEqual(value.Scale, back.Scale, 1e-6f);
        Assert.AreEqual(value.Letter, back.Letter);
        Assert.AreEqual(value.Form, back.Form);
        Assert.AreEqual(value.Flag, back.Flag);
        // Choices take their candidates in declaration order, and [BooleanChoice] declares true before false as
        // upstream does: the lowest cell of every coordinate is the first candidate.
        var lowest = space.SampleFromFeatureSpace(new double[space.FeatureSpaceDim]);
        Assert.AreEqual("a", lowest.Letter);
        Assert.AreEqual(Shape.Circle, lowest.Form);
        Assert.IsTrue(lowest.Flag, "BooleanChoice's first candidate is true");
        Assert.IsFalse(space.SampleFromFeatureSpace(Enumerable.Repeat(0.99, space.FeatureSpaceDim).ToArray()).Flag);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => space.MappingToFeatureSpace(new Sweep { Rate = 0.5 }), "a value outside its [Range] is named");
    }

    [TestMethod]
    public void ParameterReadsBackAsOptionsAndValues()
    {
        var p = Parameter.FromObject(new Sweep { Depth = 5, Form = Shape.Star });
        Assert.AreEqual(5, p["Depth"].AsType<int>());
        Assert.AreEqual(Shape.Star, p["Form"].AsType<Shape>());
        p["Depth"] = Parameter.FromInt(2);
        Assert.AreEqual(2, p.AsType<Sweep>().Depth);
        Assert.IsTrue(p.ContainsKey("Letter"));
        Assert.ThrowsExactly<KeyNotFoundException>(() => p["Missing"]);
        Assert.AreEqual(0.5, Parameter.FromDouble(0.5).AsType<double>());
    }

    [TestMethod]
    public void BadAttributesAreNamed()
    {
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new SearchSpace<BadLog>());
        StringAssert.Contains(e.Message, nameof(BadLog.Rate));
    }

    public sealed class BadLog
    {
        [Range(0.0, 1.0, logBase: true)]
        public double Rate;
    }
}
