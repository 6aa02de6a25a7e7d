namespace Microsoft.ML.Tests;

/// <summary>
/// Every public member of our Microsoft.ML subset must exist upstream with the same signature
/// (ApiBaseline/upstream.txt), or be a documented superset of an upstream-internal member (ApiBaseline/superset.txt).
/// Set UPDATE_API_BASELINE=1 to print the current surface for review.
/// </summary>
[TestClass]
public sealed class ApiBaselineTests
{
    private static string[] ReadBaseline(string name) =>
        File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "ApiBaseline", name))
            .Select(l => l.TrimEnd())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Contains("  # ", StringComparison.Ordinal) ? l[..l.IndexOf("  # ", StringComparison.Ordinal)].TrimEnd() : l)
            .ToArray();

    [TestMethod]
    public void PublicSurfaceMatchesUpstreamBaseline()
    {
        var actual = ApiSignatures.Of(typeof(MLContext).Assembly);
        if (Environment.GetEnvironmentVariable("UPDATE_API_BASELINE") == "1")
            File.WriteAllLines(Path.Combine(Path.GetTempPath(), "mlnet-api-current.txt"), actual);
        var upstream = ReadBaseline("upstream.txt").ToHashSet(StringComparer.Ordinal);
        var superset = ReadBaseline("superset.txt").ToHashSet(StringComparer.Ordinal);

        var unknown = actual.Where(l => !upstream.Contains(l) && !superset.Contains(l)).ToArray();
        Assert.AreEqual(0, unknown.Length, "Public members that are neither upstream nor documented supersets:\n" + string.Join("\n", unknown));

        var missing = upstream.Where(l => !actual.Contains(l)).ToArray();
        Assert.AreEqual(0, missing.Length, "Upstream baseline members that our subset lost:\n" + string.Join("\n", missing));

        var both = upstream.Intersect(superset).ToArray();
        Assert.AreEqual(0, both.Length, "Lines listed both as upstream and as superset:\n" + string.Join("\n", both));
    }
}
