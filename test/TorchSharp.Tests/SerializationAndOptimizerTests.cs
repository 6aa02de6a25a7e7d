using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.Tests.TestUtil;

namespace TorchSharp.Tests;

[TestClass]
public class SerializationAndOptimizerTests
{
    private sealed class Mlp : nn.Module<Tensor, Tensor>
    {
        public Linear fc1 = nn.Linear(4, 8);
        public Linear fc2 = nn.Linear(8, 1);
        public Mlp() : base(nameof(Mlp))
        {
            RegisterComponents();
            register_buffer("count", tensor(new long[] { 3 }));
        }
        public override Tensor forward(Tensor x)
        {
            using var h = fc1.call(x);
            using var a = h.silu();
            return fc2.call(a);
        }
    }

    private static string TempFile() => Path.Combine(Path.GetTempPath(), $"ts-test-{Guid.NewGuid():N}.dat");

    private static List<(Tensor x, Tensor y)> Batches(int count)
    {
        using var g = new Generator(99);
        var list = new List<(Tensor, Tensor)>();
        for (int k = 0; k < count; k++)
            list.Add((randn([16, 4], generator: g).DetachFromDisposeScope(), randn([16, 1], generator: g).DetachFromDisposeScope()));
        return list;
    }

    private static void Train(Mlp model, torch.optim.Optimizer opt, IEnumerable<(Tensor x, Tensor y)> batches)
    {
        foreach (var (x, y) in batches)
        {
            using var scope = NewDisposeScope();
            opt.zero_grad();
            var loss = nn.functional.mse_loss(model.call(x), y);
            loss.backward();
            opt.step();
        }
    }

    private static void AssertBitIdentical(nn.Module a, nn.Module b)
    {
        var sa = a.state_dict();
        var sb = b.state_dict();
        CollectionAssert.AreEqual(sa.Keys.ToArray(), sb.Keys.ToArray());
        foreach (var (k, t) in sa)
        {
            if (t.dtype == ScalarType.Float32)
                CollectionAssert.AreEqual(t.data<float>().Select(BitConverter.SingleToInt32Bits).ToArray(),
                    sb[k].data<float>().Select(BitConverter.SingleToInt32Bits).ToArray(), k);
            else
                Assert.IsTrue(t.equal(sb[k]), k);
        }
    }

    [TestMethod]
    public void ModuleSaveLoadRoundTripsBitExactlyInDatFormat()
    {
        manual_seed(1);
        using var a = new Mlp();
        manual_seed(2);
        using var b = new Mlp();
        var path = TempFile();
        try
        {
            a.save(path);
            var bytes = File.ReadAllBytes(path);
            Assert.AreEqual(5, bytes[0], "LEB128 entry count: 4 parameters + 1 buffer");
            Assert.AreEqual(10, bytes[1], "BinaryWriter string length of 'fc1.weight'");
            Assert.AreEqual("fc1.weight", System.Text.Encoding.UTF8.GetString(bytes, 2, 10));
            Assert.AreEqual((byte)ScalarType.Float32, bytes[12], "dtype code");
            Assert.AreEqual(2, bytes[13], "rank");
            Assert.AreEqual(8, bytes[14]);
            Assert.AreEqual(4, bytes[15]);
            // header + 4·(32+8+8+1) floats + the Int64 buffer
            Assert.IsGreaterThan(4 * (32 + 8 + 8 + 1) + 8, bytes.Length);
            b.load(path);
            AssertBitIdentical(a, b);
            using var wrong = nn.Linear(4, 8);
            Assert.ThrowsExactly<ArgumentException>(() => wrong.load(path));
        }
        finally { File.Delete(path); }
    }

    [TestMethod]
    public void AdamStateRoundTripContinuesBitIdentically()
    {
        var batches = Batches(6);
        var modelPath = TempFile();
        var optPath = TempFile();
        try
        {
            manual_seed(5);
            using var a = new Mlp();
            using var optA = optim.Adam(a.parameters(), lr: 0.01, weight_decay: 0.001);
            Train(a, optA, batches.Take(3));
            a.save(modelPath);
            optA.save_state_dict(optPath);
            Train(a, optA, batches.Skip(3));

            manual_seed(6);
            using var b = new Mlp();
            b.load(modelPath);
            using var optB = optim.Adam(b.parameters(), lr: 0.01, weight_decay: 0.001);
            optB.load_state_dict(optPath);
            Assert.AreEqual(3L, optB.State[0].state!.step);
            Train(b, optB, batches.Skip(3));
            AssertBitIdentical(a, b);

            // and a reload without optimizer state does diverge, so the comparison has teeth
            manual_seed(6);
            using var c = new Mlp();
            c.load(modelPath);
            using var optC = optim.Adam(c.parameters(), lr: 0.01, weight_decay: 0.001);
            Train(c, optC, batches.Skip(3));
            Assert.IsFalse(a.fc1.weight.equal(c.fc1.weight));
        }
        finally
        {
            File.Delete(modelPath);
            File.Delete(optPath);
            foreach (var (x, y) in batches) { x.Dispose(); y.Dispose(); }
        }
    }

    [TestMethod]
    public void SeedsAndGeneratorStatesReplay()
    {
        using var scope = NewDisposeScope();
        manual_seed(42);
        var a = randn(8);
        var ia = randint(0, 100, [8]);
        manual_seed(42);
        var b = randn(8);
        var ib = randint(0, 100, [8]);
        Assert.IsTrue(a.equal(b));
        Assert.IsTrue(ia.equal(ib));
        Assert.AreEqual(42L, random.initial_seed());
        manual_seed(43);
        Assert.IsFalse(randn(8).equal(a));

        var g = new Generator(7);
        var state = g.get_state();
        Assert.AreEqual(ScalarType.Byte, state.dtype);
        var first = randn([5], generator: g);
        var firstPerm = randperm(10, generator: g);
        g.set_state(state);
        Assert.IsTrue(randn([5], generator: g).equal(first));
        Assert.IsTrue(randperm(10, generator: g).equal(firstPerm));
        using var g2 = new Generator(7);
        Assert.IsTrue(randn([5], generator: g2).equal(first), "same seed, same stream");
        Assert.AreEqual(7L, g2.initial_seed());
        g2.manual_seed(8);
        Assert.IsFalse(randn([5], generator: g2).equal(first));
        Assert.AreSame(g2, g2.manual_seed(7));
        g.Dispose();

        var saved = random.get_rng_state();
        var c = rand(4);
        random.set_rng_state(saved);
        Assert.IsTrue(rand(4).equal(c));
    }

    // ---- optimizers -----------------------------------------------------------------------------

    private static (Parameter p, double[] grad) OneParam(double[] values, double[] coef)
    {
        var p = new Parameter(tensor(values, ScalarType.Float64));
        using var scope = NewDisposeScope();
        (p * tensor(coef, ScalarType.Float64)).sum().backward();
        return (p, coef);
    }

    [TestMethod]
    public void AdamOneStepMatchesClosedForm()
    {
        double lr = 0.1, b1 = 0.9, b2 = 0.999, eps = 1e-8, wd = 0.1;
        double[] p0 = [1.0, -2.0, 0.5];
        double[] g = [0.5, -3.0, 1e-3];
        var (p, _) = OneParam(p0, g);
        using (p)
        using (var opt = optim.Adam([p], lr, b1, b2, eps, weight_decay: wd))
        {
            opt.step();
            // L2 decay folds into the gradient; after one step m̂ = g', v̂ = g'², so Δ = −lr·g'/(|g'| + ε)
            var expected = p0.Select((v, i) => { double gp = g[i] + wd * v; return v - lr * gp / (Math.Abs(gp) + eps); }).ToArray();
            Close(expected, p, 1e-12);
            var s = opt.State.Single().state!;
            Assert.AreEqual(1L, s.step);
            Close(p0.Select((v, i) => (1 - b1) * (g[i] + wd * v)).ToArray(), s.exp_avg, 1e-15);
            Close(p0.Select((v, i) => (1 - b2) * Math.Pow(g[i] + wd * v, 2)).ToArray(), s.exp_avg_sq, 1e-15);
        }

        var (q, _) = OneParam(p0, g);
        using (q)
        using (var opt = optim.AdamW([q], lr, b1, b2, eps, weight_decay: wd))
        {
            opt.step();
            // decoupled: θ ← θ(1 − lr·wd) − lr·g/(|g| + ε)
            Close(p0.Select((v, i) => v * (1 - lr * wd) - lr * g[i] / (Math.Abs(g[i]) + eps)).ToArray(), q, 1e-12);
        }

        // two steps with a constant gradient and no decay: m̂ = g and v̂ = g² again
        var (r, _) = OneParam(p0, g);
        using (r)
        using (var opt = optim.Adam([r], lr))
        {
            opt.step();
            opt.step();
            Close(p0.Select((v, i) => v - 2 * lr * g[i] / (Math.Abs(g[i]) + 1e-8)).ToArray(), r, 1e-12);
        }
    }

    [TestMethod]
    public void ClipGradNormReturnsTotalNormAndScales()
    {
        var (p1, _) = OneParam([1, 1], [3, 4]);
        var (p2, _) = OneParam([1, 1], [0, 12]);
        using (p1)
        using (p2)
        {
            // ‖(3, 4, 0, 12)‖ = 13
            double total = nn.utils.clip_grad_norm_([p1, p2], max_norm: 100);
            Assert.AreEqual(13.0, total, 1e-12);
            using (var g = p1.grad) Close([3, 4], g!, 0, "no scaling below the bound");
            total = nn.utils.clip_grad_norm_([p1, p2], max_norm: 6.5);
            Assert.AreEqual(13.0, total, 1e-12);
            double coef = 6.5 / (13 + 1e-6);
            using (var g = p1.grad) Close([3 * coef, 4 * coef], g!, 1e-12);
            using (var g = p2.grad) Close([0, 12 * coef], g!, 1e-12);
            Assert.AreEqual(12 * coef, nn.utils.clip_grad_norm_([p2], 1, double.PositiveInfinity), 1e-12, "∞-norm");
        }
    }

    [TestMethod]
    public void LambdaLRAndLinearLRSetLearningRates()
    {
        using var p = new Parameter(zeros(1));
        using var opt = optim.Adam([p], lr: 0.1);
        var sched = optim.lr_scheduler.LambdaLR(opt, e => Math.Pow(0.5, e));
        Assert.AreEqual(0.1, sched.get_last_lr().Single(), 1e-15, "λ(0) is applied at construction");
        var seen = new List<double>();
        for (int k = 0; k < 3; k++) { sched.step(); seen.Add(opt.ParamGroups.Single().LearningRate); }
        Close([0.05, 0.025, 0.0125], seen.ToArray(), 1e-15);

        using var opt2 = optim.Adam([p], lr: 0.1);
        var lin = optim.lr_scheduler.LinearLR(opt2, start_factor: 0.5, end_factor: 1.0, total_iters: 4);
        var lrs = new List<double> { lin.get_last_lr().Single() };
        for (int k = 0; k < 5; k++) { lin.step(); lrs.Add(lin.get_last_lr().Single()); }
        Close([0.05, 0.0625, 0.075, 0.0875, 0.1, 0.1], lrs.ToArray(), 1e-15);
    }
}
