using TorchSharp;
using static TorchSharp.torch;

namespace TorchSharp.Tests;

[TestClass]
public class DeviceTests
{
    [TestMethod]
    public void CudaIsUnavailableAndRequestsFailClearly()
    {
        Assert.IsFalse(cuda.is_available());
        Assert.IsFalse(cuda_is_available());
        Assert.AreEqual(0, cuda.device_count());
        using var scope = NewDisposeScope();
        var t = ones(2);
        var e = Assert.ThrowsExactly<NotSupportedException>(() => t.to(CUDA));
        StringAssert.Contains(e.Message, "cuda");
        StringAssert.Contains(e.Message, "CPU-only");
        Assert.ThrowsExactly<NotSupportedException>(() => t.cuda());
        Assert.ThrowsExactly<NotSupportedException>(() => t.to("cuda:0"));
        Assert.ThrowsExactly<NotSupportedException>(() => t.to(DeviceType.CUDA));
        Assert.ThrowsExactly<NotSupportedException>(() => zeros(2, device: CUDA));
        Assert.ThrowsExactly<NotSupportedException>(() => randn(2, device: new Device("cuda")));
        var g = Assert.ThrowsExactly<NotSupportedException>(() => new Generator(device: CUDA));
        StringAssert.Contains(g.Message, "is not available");
        using var lin = nn.Linear(2, 2);
        Assert.ThrowsExactly<NotSupportedException>(() => lin.cuda());
        Assert.ThrowsExactly<NotSupportedException>(() => lin.to(CUDA));
        Assert.AreSame(lin, lin.to(CPU));
        Assert.AreEqual(DeviceType.CPU, t.to(CPU).device_type);
        Assert.AreEqual("cuda:1", new Device(DeviceType.CUDA, 1).ToString());
    }
}
