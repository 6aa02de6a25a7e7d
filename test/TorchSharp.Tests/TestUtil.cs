using static TorchSharp.torch;

namespace TorchSharp.Tests;

internal static class TestUtil
{
    public static float[] F(Tensor t) => t.data<float>().ToArray();
    public static double[] D(Tensor t) => t.data<double>().ToArray();
    public static long[] L(Tensor t) => t.data<long>().ToArray();
    public static bool[] B(Tensor t) => t.data<bool>().ToArray();

    public static void Close(double[] expected, double[] actual, double tol = 1e-5, string? what = null)
    {
        Assert.HasCount(expected.Length, actual, what);
        for (int k = 0; k < expected.Length; k++)
            Assert.AreEqual(expected[k], actual[k], tol, $"{what} element {k}: expected {expected[k]}, got {actual[k]}");
    }

    public static void Close(double[] expected, float[] actual, double tol = 1e-5, string? what = null)
        => Close(expected, actual.Select(v => (double)v).ToArray(), tol, what);

    public static void Close(double[] expected, Tensor actual, double tol = 1e-5, string? what = null)
    {
        using var d = actual.to(ScalarType.Float64);
        Close(expected, D(d), tol, what);
    }

    public static void Shape(long[] expected, Tensor t) => CollectionAssert.AreEqual(expected, t.shape, $"shape [{string.Join(",", t.shape)}]");
}
