using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.Tests.TestUtil;
using F = TorchSharp.torch.nn.functional;

namespace TorchSharp.Tests;

[TestClass]
public class NNTests
{
    // ---- functional ----------------------------------------------------------------------------

    [TestMethod]
    public void Conv2dMatchesHandComputedWindows()
    {
        using var scope = NewDisposeScope();
        var x = arange(1, 10, dtype: ScalarType.Float32).reshape(1, 1, 3, 3);
        var w = ones(1, 1, 2, 2);
        var b = tensor(new float[] { 0.5f });
        var y = F.conv2d(x, w, b);
        Shape([1, 1, 2, 2], y);
        Close([12.5, 16.5, 24.5, 28.5], y);
        // padding 1, stride 2: windows (rows/cols −1..0), (−1..0, 1..2), (1..2, −1..0), (1..2, 1..2)
        Close([1, 5, 11, 28], F.conv2d(x, w, null, strides: [2], padding: [1]));
        // two output channels, the second with a weight of −1 at the centre only (3×3 kernel, padding 1)
        var w2 = zeros(2, 1, 3, 3);
        w2[0].fill_(1);
        w2[1, 0, 1, 1] = tensor(-1f);
        var y2 = F.conv2d(x, w2, null, padding: [1, 1]);
        Shape([1, 2, 3, 3], y2);
        Close([12, 21, 16, 27, 45, 33, 24, 39, 28], y2[0, 0]);
        Close(Enumerable.Range(1, 9).Select(v => -(double)v).ToArray(), y2[0, 1]);
        // groups = 2: each output channel sees one input channel
        var xg = cat([x, x * 10], 1);
        var yg = F.conv2d(xg, ones(2, 1, 2, 2), null, groups: 2);
        Close([12, 16, 24, 28, 120, 160, 240, 280], yg);
    }

    [TestMethod]
    public void LinearGroupNormLayerNorm()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new float[] { 1, 2, 3, 4, 5, 6 }, [2, 3]);
        var w = tensor(new float[] { 1, 0, -1, 2, 2, 2 }, [2, 3]);
        Close([-2 + 1, 12 + 2, -2 + 1, 30 + 2], F.linear(x, w, tensor(new float[] { 1, 2 })));
        Close([-2, 12, -2, 30], F.linear(x, w));

        // group_norm: (1, 4, 1, 2), 2 groups → {1,2,3,4} and {5,6,7,8}; mean 2.5/6.5, biased var 1.25
        var g = arange(1, 9, dtype: ScalarType.Float32).reshape(1, 4, 1, 2);
        double sd = Math.Sqrt(1.25 + 1e-5);
        double[] z = [-1.5 / sd, -0.5 / sd, 0.5 / sd, 1.5 / sd];
        Close([.. z, .. z], F.group_norm(g, 2), 1e-5);
        var gw = tensor(new float[] { 1, 2, 3, 4 });
        var gb = tensor(new float[] { 0, 0, 0, 10 });
        Close([z[0], z[1], 2 * z[2], 2 * z[3], 3 * z[0], 3 * z[1], 4 * z[2] + 10, 4 * z[3] + 10], F.group_norm(g, 2, gw, gb), 1e-5);
        using var gn = nn.GroupNorm(2, 4);
        Close([.. z, .. z], gn.call(g), 1e-5);

        // layer_norm over the last dimension: rows {1,2,3}, {4,5,6}: mean 2/5, biased var 2/3
        double s = Math.Sqrt(2.0 / 3 + 1e-5);
        Close([-1 / s, 0, 1 / s, -1 / s, 0, 1 / s], F.layer_norm(x, [3]), 1e-5);
        Close([-1 / s + 1, 1, 3 / s + 1, -1 / s + 1, 1, 3 / s + 1],
            F.layer_norm(x, [3], tensor(new float[] { 1, 1, 3 }), ones(3)), 1e-5);
        var all = (x - 3.5) / Math.Sqrt(17.5 / 6 + 1e-5);
        Close(TestUtil.F(all).Select(v => (double)v).ToArray(), F.layer_norm(x, [2, 3]), 1e-5);
        using var ln = nn.LayerNorm(3);
        Close([-1 / s, 0, 1 / s, -1 / s, 0, 1 / s], ln.call(x), 1e-5);
    }

    [TestMethod]
    public void InterpolateAndPad()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new float[] { 1, 2, 3, 4 }, [1, 1, 2, 2]);
        var up = F.interpolate(x, scale_factor: [2.0]);
        Shape([1, 1, 4, 4], up);
        Close([1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4], up);
        Close([1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4], F.interpolate(x, size: [4, 4]));
        var lin = F.interpolate(tensor(new float[] { 0, 2, 4, 6 }, [1, 1, 2, 2]), size: [3, 3], mode: InterpolationMode.Bilinear, align_corners: true);
        Close([0, 1, 2, 2, 3, 4, 4, 5, 6], lin, 1e-6);
        Close([2.5], F.interpolate(x, size: [1, 1], mode: InterpolationMode.Area));
        using var upsample = nn.Upsample(scale_factor: [2.0]);
        Close(TestUtil.F(up).Select(v => (double)v).ToArray(), upsample.call(x));

        var m = tensor(new float[] { 1, 2, 3, 4 }, [1, 2, 2]);
        var p = F.pad(m, [1, 0, 0, 1], value: 9);
        Shape([1, 3, 3], p);
        Close([9, 1, 2, 9, 3, 4, 9, 9, 9], p);
        Close([0, 1, 2, 0, 0, 3, 4, 0], F.pad(m, [1, 1]));
        Close([3, 2, 1, 2, 3, 2], F.pad(tensor(new float[] { 1, 2, 3 }, [1, 1, 3]), [2, 1], PaddingModes.Reflect));
        Close([1, 1, 2, 3, 3], F.pad(tensor(new float[] { 1, 2, 3 }, [1, 1, 3]), [1, 1], PaddingModes.Replicate));
        Close([3, 1, 2, 3, 1], F.pad(tensor(new float[] { 1, 2, 3 }, [1, 1, 3]), [1, 1], PaddingModes.Circular));
    }

    [TestMethod]
    public void MseLossReductions()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new float[] { 1, 2, 3 });
        var t = tensor(new float[] { 0, 0, 1 });
        Assert.AreEqual((1 + 4 + 4) / 3.0, F.mse_loss(a, t).item<float>(), 1e-6);
        Assert.AreEqual(9.0, F.mse_loss(a, t, nn.Reduction.Sum).item<float>(), 1e-6);
        Close([1, 4, 4], F.mse_loss(a, t, nn.Reduction.None));
        using var loss = nn.MSELoss();
        Assert.AreEqual(3.0, loss.call(a, t).item<float>(), 1e-6);
    }

    [TestMethod]
    public void DropoutEvalIsIdentityTrainScalesSurvivors()
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        var x = ones(20_000);
        Close(Enumerable.Repeat(1.0, 20_000).ToArray(), F.dropout(x, 0.5, training: false));
        var y = TestUtil.F(F.dropout(x, 0.25, training: true));
        Assert.IsTrue(y.All(v => v == 0f || Math.Abs(v - 1 / 0.75f) < 1e-6), "survivors are scaled by 1/(1−p)");
        double zeroFraction = y.Count(v => v == 0f) / 20_000.0;
        // the fraction of zeros is a binomial proportion: sd = √(p(1−p)/n) ≈ 0.0031
        Assert.AreEqual(0.25, zeroFraction, 5 * Math.Sqrt(0.25 * 0.75 / 20_000));
        Close(new double[20_000], F.dropout(x, 1.0, training: true));

        using var d = nn.Dropout(0.5);
        Assert.IsTrue(d.training);
        Assert.IsTrue(TestUtil.F(d.call(x)).Any(v => v == 0f));
        d.eval();
        Assert.IsFalse(d.training);
        Assert.IsTrue(d.call(x).equal(x));
    }

    // ---- modules --------------------------------------------------------------------------------

    private sealed class Block : nn.Module<Tensor, Tensor>
    {
        public Linear lin = nn.Linear(4, 3);
        public GroupNorm norm = nn.GroupNorm(1, 3);
        public Tensor scale = ones(3).DetachFromDisposeScope();
        public Block() : base(nameof(Block)) => RegisterComponents();
        public override Tensor forward(Tensor x)
        {
            using var h = lin.call(x);
            return h * scale;
        }
    }

    private sealed class Net : nn.Module<Tensor, Tensor>
    {
        public Parameter alpha = new(zeros(1));
        public Block block = new();
        public Sequential seq = nn.Sequential(nn.Linear(3, 5), nn.SiLU(), nn.Dropout(0.1), nn.Linear(5, 2, hasBias: false));
        public ModuleList<Linear> heads = nn.ModuleList(nn.Linear(2, 1), nn.Linear(2, 1));
        public Net() : base(nameof(Net))
        {
            RegisterComponents();
            register_buffer("steps", zeros(1, dtype: ScalarType.Int64));
            register_buffer("cache", zeros(2), persistent: false);
        }
        public override Tensor forward(Tensor x)
        {
            using var h = block.call(x);
            using var s = seq.call(h);
            return heads[0].call(s) + alpha;
        }
    }

    [TestMethod]
    public void NestedModuleRegistrationAndStateDictKeys()
    {
        using var net = new Net();
        string[] parameters =
        [
            "alpha",
            "block.lin.weight", "block.lin.bias", "block.norm.weight", "block.norm.bias",
            "seq.0.weight", "seq.0.bias", "seq.3.weight",
            "heads.0.weight", "heads.0.bias", "heads.1.weight", "heads.1.bias",
        ];
        CollectionAssert.AreEqual(parameters, net.named_parameters().Select(p => p.name).ToArray());
        Assert.AreEqual(parameters.Length, net.parameters().Count());
        CollectionAssert.AreEqual(new[] { "alpha" }, net.named_parameters(recurse: false).Select(p => p.name).ToArray());
        CollectionAssert.AreEqual(new[] { "steps", "cache", "block.scale" }, net.named_buffers().Select(b => b.name).ToArray());
        CollectionAssert.AreEqual(new[] { "block", "seq", "heads" }, net.named_children().Select(c => c.name).ToArray());
        // TorchSharp's order: the children, then each child's descendants; the module itself is not listed.
        CollectionAssert.AreEqual(new[] { "block", "seq", "heads", "block.lin", "block.norm", "seq.0", "seq.1", "seq.2", "seq.3", "heads.0", "heads.1" },
            net.named_modules().Select(m => m.name).ToArray());
        Assert.AreSame(net.block.lin, net.named_modules().Single(m => m.name == "block.lin").module);
        var sd = net.state_dict();
        CollectionAssert.AreEqual(parameters.Concat(["steps", "block.scale"]).ToArray(), sd.Keys.ToArray(), "non-persistent buffers are not saved");
        Assert.AreSame(net.block.lin.weight, sd["block.lin.weight"]);
        CollectionAssert.AreEqual(new long[] { 3, 4 }, sd["block.lin.weight"].shape);
        CollectionAssert.AreEqual(new long[] { 2, 5 }, sd["seq.3.weight"].shape);
        var prefixed = net.block.state_dict(prefix: "block");
        CollectionAssert.Contains(prefixed.Keys.ToArray(), "block.lin.weight");
        Assert.IsTrue(net.parameters().All(p => p.requires_grad && p.is_leaf));
        Assert.IsTrue(net.buffers().All(b => !b.requires_grad));

        using var scope = NewDisposeScope();
        var y = net.call(ones(5, 4));
        Shape([5, 1], y);
    }

    [TestMethod]
    public void LoadStateDictCopiesValuesAndReportsKeys()
    {
        using var a = new Net();
        using var b = new Net();
        b.load_state_dict(a.state_dict());
        foreach (var (name, p) in a.named_parameters())
            Assert.IsTrue(p.equal(b.state_dict()[name]), name);
        using var scope = NewDisposeScope();
        var partial = new Dictionary<string, Tensor> { ["alpha"] = ones(1), ["nope"] = ones(1) };
        Assert.ThrowsExactly<InvalidOperationException>(() => b.load_state_dict(partial));
        var (missing, unexpected) = b.load_state_dict(partial, strict: false);
        CollectionAssert.AreEqual(new[] { "nope" }, unexpected.ToArray());
        Assert.HasCount(a.state_dict().Count - 1, missing);
        Assert.AreEqual(1f, b.alpha.item<float>());
        Assert.ThrowsExactly<ArgumentException>(() => b.load_state_dict(new Dictionary<string, Tensor> { ["alpha"] = ones(2) }, strict: false));
    }

    [TestMethod]
    public void TrainEvalPropagatesToDescendants()
    {
        using var net = new Net();
        Assert.IsTrue(net.modules().All(m => m.training));
        net.eval();
        Assert.IsTrue(net.modules().All(m => !m.training));
        Assert.IsFalse(((nn.Module)net.seq[2]).training);
        net.train();
        Assert.IsTrue(net.modules().All(m => m.training));
        net.train(false);
        Assert.IsFalse(net.heads[1].training);
    }

    [TestMethod]
    public void ZeroGradClearsGradients()
    {
        using var net = new Net();
        using (var scope = NewDisposeScope())
        {
            var loss = net.call(ones(2, 4)).sum();
            loss.backward();
        }
        using (var g = net.block.lin.weight.grad) Assert.IsNotNull(g);
        net.zero_grad(set_to_none: false);
        using (var g = net.block.lin.weight.grad) Assert.AreEqual(0f, g!.abs().sum().item<float>());
        net.zero_grad();
        Assert.IsNull(net.block.lin.weight.grad);
    }

    [TestMethod]
    public void DefaultInitAndInitFunctionsRespectBounds()
    {
        manual_seed(11);
        using var lin = nn.Linear(64, 32);
        double b = 1 / Math.Sqrt(64);
        var w = TestUtil.F(lin.weight);
        Assert.IsTrue(w.All(v => Math.Abs(v) <= b), "Linear weight in U(−1/√in, 1/√in)");
        Assert.IsTrue(w.Max() > 0.9 * b && w.Min() < -0.9 * b, "…and fills the range");
        Assert.IsTrue(TestUtil.F(lin.bias!).All(v => Math.Abs(v) <= b));
        CollectionAssert.AreEqual(new long[] { 32, 64 }, lin.weight.shape);
        using var conv = nn.Conv2d(8, 16, 3);
        double cb = 1 / Math.Sqrt(8 * 9);
        Assert.IsTrue(TestUtil.F(conv.weight).All(v => Math.Abs(v) <= cb));
        CollectionAssert.AreEqual(new long[] { 16, 8, 3, 3 }, conv.weight.shape);
        using var gn = nn.GroupNorm(4, 16);
        Assert.IsTrue(TestUtil.F(gn.weight!).All(v => v == 1) && TestUtil.F(gn.bias!).All(v => v == 0));

        using var scope = NewDisposeScope();
        var t = empty(100, 50);
        nn.init.kaiming_uniform_(t, a: Math.Sqrt(5));
        double kb = Math.Sqrt(3) * Math.Sqrt(2.0 / 6) / Math.Sqrt(50); // gain √(2/(1+5)), fan_in 50
        Assert.AreEqual(kb, 1 / Math.Sqrt(50), 1e-12, "kaiming_uniform_(a=√5) is U(−1/√fan_in, 1/√fan_in)");
        var tv = TestUtil.F(t);
        Assert.IsTrue(tv.All(v => Math.Abs(v) <= kb + 1e-7) && tv.Max() > 0.9 * kb);
        nn.init.xavier_uniform_(t);
        double xb = Math.Sqrt(6.0 / 150);
        tv = TestUtil.F(t);
        Assert.IsTrue(tv.All(v => Math.Abs(v) <= xb + 1e-7) && tv.Max() > 0.9 * xb);
        nn.init.kaiming_normal_(t, nonlinearity: nn.init.NonlinearityType.ReLU);
        Assert.AreEqual(Math.Sqrt(2.0 / 50), t.std().item<float>(), 5 * Math.Sqrt(2.0 / 50) / Math.Sqrt(2 * 5000));
        nn.init.zeros_(t);
        Assert.AreEqual(0f, t.abs().sum().item<float>());
        nn.init.constant_(t, 0.5);
        Assert.AreEqual(2500f, t.sum().item<float>());
        Assert.AreEqual(Math.Sqrt(2), nn.init.calculate_gain(nn.init.NonlinearityType.ReLU), 1e-12);
        Assert.AreEqual(5.0 / 3, nn.init.calculate_gain(nn.init.NonlinearityType.Tanh), 1e-12);
    }
}
