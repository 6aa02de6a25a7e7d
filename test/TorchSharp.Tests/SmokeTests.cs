using TorchSharp;
using static TorchSharp.torch;

namespace TorchSharp.Tests;

[TestClass]
public class SmokeTests
{
    [TestMethod]
    public void AddBroadcastsAndReadsBack()
    {
        using var a = tensor(new float[] { 1, 2, 3, 4, 5, 6 }, [2, 3]);
        using var b = tensor(new float[] { 10, 20, 30 });
        using var c = a + b;
        CollectionAssert.AreEqual(new long[] { 2, 3 }, c.shape);
        CollectionAssert.AreEqual(new float[] { 11, 22, 33, 14, 25, 36 }, c.data<float>().ToArray());
    }

    [TestMethod]
    public void ShapeMismatchThrowsOneLineMessage()
    {
        using var a = ones(2, 3);
        using var b = ones(4, 5);
        var e = Assert.ThrowsExactly<System.Runtime.InteropServices.ExternalException>(() => a.matmul(b));
        StringAssert.Contains(e.Message, "cannot be multiplied (2x3 and 4x5)");
        Assert.IsFalse(e.Message.Contains('\n'));
    }
}
