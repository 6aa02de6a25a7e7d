using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.Tests.TestUtil;

namespace TorchSharp.Tests;

[TestClass]
public class TensorOpsTests
{
    // ---- arithmetic, broadcasting, dtype promotion ----------------------------------------------

    [TestMethod]
    public void ArithmeticTensorTensorBroadcasts()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new float[] { 1, 2, 3, 4, 5, 6 }, [2, 3]);
        var col = tensor(new float[] { 10, 20 }, [2, 1]);
        Close([11, 12, 13, 24, 25, 26], a + col);
        Close([-9, -8, -7, -16, -15, -14], a - col);
        Close([10, 20, 30, 80, 100, 120], a * col);
        Close([0.1, 0.2, 0.3, 0.2, 0.25, 0.3], a / col);
        Close([1, 2, 3, 4, 5, 6], a.add(col, -0.0) - 0, what: "alpha 0");
        Close([21, 22, 23, 44, 45, 46], a.add(col, 2));
        Close([-19, -18, -17, -36, -35, -34], a.sub(col, 2));
        var outer = tensor(new float[] { 1, 2, 3 }, [3, 1]) * tensor(new float[] { 1, 10 }, [1, 2]);
        Shape([3, 2], outer);
        Close([1, 10, 2, 20, 3, 30], outer);
    }

    [TestMethod]
    public void ArithmeticWithScalarsIncludingReversedForms()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new float[] { 1, 2, 4 });
        Close([3, 4, 6], a + 2);
        Close([3, 4, 6], 2 + a);
        Close([1.5, 2.5, 4.5], a + 0.5);
        Close([1.5, 2.5, 4.5], 0.5f + a);
        Close([-1, 0, 2], a - 2);
        Close([1, 0, -2], 2 - a);
        Close([0.5, -0.5, -2.5], 1.5 - a);
        Close([3, 6, 12], a * 3L);
        Close([3, 6, 12], 3L * a);
        Close([0.5, 1, 2], a / 2);
        Close([4, 2, 1], 4 / a);
        Close([4, 2, 1], 4.0 / a);
        Close([-1, -2, -4], -a);
        Close([1, 4, 16], a.pow(2));
        Close([1, 0, 0], a % 2);
        Scalar s = 10;
        Close([9, 8, 6], s - a);
        Close([10, 5, 2.5], s / a);
    }

    [TestMethod]
    public void DtypePromotionRules()
    {
        using var scope = NewDisposeScope();
        var i64 = tensor(new long[] { 1, 2, 3 });
        var i32 = tensor(new int[] { 1, 2, 3 });
        var f32 = tensor(new float[] { 1, 2, 3 });
        var f64 = tensor(new double[] { 1, 2, 3 });
        Assert.AreEqual(ScalarType.Int64, (i64 * 2).dtype, "int tensor * int scalar stays integral");
        Assert.AreEqual(ScalarType.Float32, (i64 * 0.5).dtype, "int tensor * float scalar -> default float");
        Close([0.5, 1, 1.5], i64 * 0.5);
        Assert.AreEqual(ScalarType.Int64, (i32 + i64).dtype);
        Assert.AreEqual(ScalarType.Int32, (i32 + 1).dtype, "a scalar does not widen a tensor");
        Assert.AreEqual(ScalarType.Float64, (f32 + f64).dtype);
        Assert.AreEqual(ScalarType.Float32, (f32 + 1.0).dtype, "a double scalar does not widen a float tensor");
        Assert.AreEqual(ScalarType.Float32, (i64 + f32).dtype);
        Assert.AreEqual(ScalarType.Float32, (i64 / 2).dtype, "true division of integers gives floats");
        Close([0.5, 1, 1.5], i64 / 2);
        var neg = tensor(new long[] { -7, 7 });
        CollectionAssert.AreEqual(new long[] { -4, 3 }, L(neg.div(2, RoundingMode.floor)));
        CollectionAssert.AreEqual(new long[] { -3, 3 }, L(neg.div(2, RoundingMode.trunc)));
        Assert.AreEqual(ScalarType.Bool, (f32 > 1.5).dtype);
        CollectionAssert.AreEqual(new[] { false, true, true }, B(f32 > 1.5));
        CollectionAssert.AreEqual(new[] { true, true, false }, B(f32 <= i64 - 1 + 1 - (f32 - 2).clamp(min: 0)));
    }

    [TestMethod]
    public void ComparisonsAndLogic()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new float[] { 1, 2, 3 });
        var b = tensor(new float[] { 3, 2, 1 });
        CollectionAssert.AreEqual(new[] { true, false, false }, B(a < b));
        CollectionAssert.AreEqual(new[] { false, true, false }, B(a.eq(b)));
        CollectionAssert.AreEqual(new[] { true, false, true }, B(a.ne(b)));
        CollectionAssert.AreEqual(new[] { false, false, true }, B(a >= 3));
        CollectionAssert.AreEqual(new[] { true, false, false }, B(2 > a));
        var t = tensor(new[] { true, true, false });
        var u = tensor(new[] { true, false, false });
        CollectionAssert.AreEqual(new[] { true, false, false }, B(t & u));
        CollectionAssert.AreEqual(new[] { true, true, false }, B(t | u));
        CollectionAssert.AreEqual(new[] { false, true, false }, B(t ^ u));
        CollectionAssert.AreEqual(new[] { false, false, true }, B(~t));
        Assert.IsTrue(a.allclose(a + 1e-7f));
        Assert.IsFalse(a.allclose(b));
        Assert.IsTrue(a.equal(tensor(new float[] { 1, 2, 3 })));
    }

    // ---- unary math -----------------------------------------------------------------------------

    [TestMethod]
    public void UnaryMath()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new double[] { -2, -0.5, 0.25, 1, 4 });
        double[] xs = [-2, -0.5, 0.25, 1, 4];
        Close(xs.Select(Math.Abs).ToArray(), x.abs(), 1e-12);
        Close(xs.Select(Math.Exp).ToArray(), x.exp(), 1e-12);
        Close(xs.Select(Math.Sin).ToArray(), x.sin(), 1e-12);
        Close(xs.Select(Math.Cos).ToArray(), x.cos(), 1e-12);
        Close(xs.Select(Math.Tanh).ToArray(), x.tanh(), 1e-12);
        Close(xs.Select(v => 1 / (1 + Math.Exp(-v))).ToArray(), x.sigmoid(), 1e-12);
        Close(xs.Select(v => v / (1 + Math.Exp(-v))).ToArray(), x.silu(), 1e-12);
        Close(xs.Select(v => Math.Max(v, 0)).ToArray(), x.relu(), 1e-12);
        Close(xs.Select(v => v * v).ToArray(), x.square(), 1e-12);
        Close(xs.Select(v => 1 / v).ToArray(), x.reciprocal(), 1e-12);
        Close(xs.Select(v => (double)Math.Sign(v)).ToArray(), x.sign(), 1e-12);
        Close(xs.Select(Math.Floor).ToArray(), x.floor(), 1e-12);
        Close(xs.Select(Math.Ceiling).ToArray(), x.ceil(), 1e-12);
        var p = x.abs();
        Close(xs.Select(v => Math.Sqrt(Math.Abs(v))).ToArray(), p.sqrt(), 1e-12);
        Close(xs.Select(v => 1 / Math.Sqrt(Math.Abs(v))).ToArray(), p.rsqrt(), 1e-12);
        Close(xs.Select(v => Math.Log(Math.Abs(v))).ToArray(), p.log(), 1e-12);
        Close(xs.Select(v => Math.Log(Math.Abs(v))).ToArray(), torch.log(p), 1e-12);
        Close([0.5, 1, 2], tensor(new double[] { 0.25, 1, 4 }).pow(0.5), 1e-12);
        Close([2, 0, 2, 4], tensor(new double[] { 2.5, 0.5, 1.5, 3.5 }).round(), 0, "half to even");
        Close([1.23, -0.01], tensor(new double[] { 1.2345, -0.0089 }).round(2), 1e-12);
        CollectionAssert.AreEqual(new[] { false, true, false }, B(tensor(new[] { 1.0, double.NaN, double.PositiveInfinity }).isnan()));
        CollectionAssert.AreEqual(new[] { true, false, false }, B(tensor(new[] { 1.0, double.NaN, double.PositiveInfinity }).isfinite()));
    }

    // ---- reductions -----------------------------------------------------------------------------

    [TestMethod]
    public void Reductions()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new float[] { 1, 2, 3, 4, 5, 6 }, [2, 3]);
        Assert.AreEqual(21f, x.sum().item<float>());
        Assert.AreEqual(3.5f, x.mean().item<float>());
        Close([5, 7, 9], x.sum(0L)); // a literal 0 would bind to sum(ScalarType?), as upstream
        Close([6, 15], x.sum(1));
        Shape([2, 1], x.sum(1, keepdim: true));
        Shape([1, 3], x.mean([0], keepdim: true));
        Close([2, 5], x.mean([1]));
        Close([21], x.sum([0L, 1L]).reshape(1));
        Assert.AreEqual(720f, x.prod().item<float>());
        Assert.AreEqual(6f, x.max().item<float>());
        Assert.AreEqual(1f, x.min().item<float>());
        var (values, indexes) = x.max(1);
        Close([3, 6], values);
        CollectionAssert.AreEqual(new long[] { 2, 2 }, L(indexes));
        CollectionAssert.AreEqual(new long[] { 5 }, new[] { x.argmax().item<long>() });
        CollectionAssert.AreEqual(new long[] { 0, 0, 0 }, L(x.argmin(0)));
        Assert.AreEqual(ScalarType.Int64, tensor(new int[] { 1, 2 }).sum().dtype, "integral sums widen to Int64");
        Assert.AreEqual(ScalarType.Float64, x.sum(ScalarType.Float64).dtype);
        // var/std: rows {1,2,3}, {4,5,6}: unbiased var 1, biased 2/3; all six: mean 3.5, Σ(x−m)² = 17.5.
        Close([1, 1], x.var([1]));
        Close([2.0 / 3, 2.0 / 3], x.var([1], unbiased: false));
        Assert.AreEqual(3.5, x.var().item<float>(), 1e-6);
        Assert.AreEqual(Math.Sqrt(17.5 / 6), x.std(unbiased: false).item<float>(), 1e-6);
        Close([1.5 * Math.Sqrt(2), 1.5 * Math.Sqrt(2), 1.5 * Math.Sqrt(2)], x.std([0]), 1e-5);
        Shape([2, 1], x.std([1], keepdim: true));
        // norms
        var v = tensor(new float[] { 3, -4 });
        Assert.AreEqual(5f, v.norm().item<float>(), 1e-6);
        Assert.AreEqual(7f, v.norm(p: 1).item<float>(), 1e-6);
        Close([Math.Sqrt(17), Math.Sqrt(29), Math.Sqrt(45)], x.norm(dim: 0));
        Close([1, 3, 6, 4, 9, 15], x.cumsum(1));
        Close([1, 2, 6, 24], tensor(new float[] { 1, 2, 3, 4 }).cumprod(0));
        Close([Math.Log(Math.Exp(1) + Math.Exp(2) + Math.Exp(3)), Math.Log(Math.Exp(4) + Math.Exp(5) + Math.Exp(6))], x.logsumexp(1));
        Assert.IsTrue(tensor(new[] { true, true }).all().item<bool>());
        Assert.IsFalse(tensor(new[] { false, false }).any().item<bool>());
    }

    // ---- shape ops ------------------------------------------------------------------------------

    [TestMethod]
    public void ReshapeViewPermuteTranspose()
    {
        using var scope = NewDisposeScope();
        var x = arange(24, dtype: ScalarType.Float32).reshape(2, 3, 4);
        Shape([6, 4], x.reshape(-1, 4));
        Shape([4, 6], x.view(4, 6));
        var p = x.permute(2, 0, 1);
        Shape([4, 2, 3], p);
        // p[i, j, k] = x[j, k, i] = 12j + 4k + i
        Assert.AreEqual(12 * 1 + 4 * 2 + 3, p[3, 1, 2].item<float>());
        Assert.IsFalse(p.is_contiguous());
        Assert.IsTrue(p.contiguous().is_contiguous());
        var t = x.transpose(0, 2);
        Shape([4, 3, 2], t);
        Assert.AreEqual(12 * 1 + 4 * 2 + 3, t[3, 2, 1].item<float>());
        var m = arange(6, dtype: ScalarType.Float32).reshape(2, 3);
        Close([0, 3, 1, 4, 2, 5], m.t().contiguous());
        Shape([2, 1, 3], m.unsqueeze(1));
        Shape([2, 3, 1], m.unsqueeze(-1));
        Shape([2, 3], m.unsqueeze(1).squeeze());
        Shape([2, 1, 3], ones(1, 2, 1, 3).squeeze(0));
        Shape([2, 1, 3], ones(2, 1, 3).squeeze(0)); // squeezing a non-1 dimension is a no-op
        Shape([24], x.flatten());
        Shape([2, 12], x.flatten(1));
        Shape([6, 4], x.flatten(0, 1));
        Close([0, 1, 2, 3, 4, 5], m.flatten());
        Close([2, 1, 0, 5, 4, 3], m.flip(1));
    }

    [TestMethod]
    public void ExpandRepeatNarrowSelect()
    {
        using var scope = NewDisposeScope();
        var v = tensor(new float[] { 1, 2, 3 }, [3, 1]);
        var e = v.expand(3, 2);
        Shape([3, 2], e);
        Close([1, 1, 2, 2, 3, 3], e);
        CollectionAssert.AreEqual(new long[] { 1, 0 }, e.stride(), "expand is a stride-0 view");
        Shape([3, 4], v.expand(-1, 4));
        var r = tensor(new float[] { 1, 2 }).repeat(2, 2);
        Shape([2, 4], r);
        Close([1, 2, 1, 2, 1, 2, 1, 2], r);
        var m = arange(12, dtype: ScalarType.Float32).reshape(3, 4);
        Close([1, 2, 5, 6, 9, 10], m.narrow(1, 1, 2));
        Close([4, 5, 6, 7], m.select(0, 1));
        Close([3, 7, 11], m.select(1, -1));
        Close([1, 3, 5, 7, 9, 11], m.slice(1, 1, 4, 2));
        // a narrow is a view: writing through it changes the base
        m.narrow(0, 0, 1).fill_(-1);
        Close([-1, -1, -1, -1], m[0]);
    }

    [TestMethod]
    public void IndexSelectGatherChunkSplitCatStack()
    {
        using var scope = NewDisposeScope();
        var m = arange(12, dtype: ScalarType.Float32).reshape(3, 4);
        var idx = tensor(new long[] { 2, 0 });
        Close([8, 9, 10, 11, 0, 1, 2, 3], m.index_select(0, idx));
        Close([2, 0, 6, 4, 10, 8], torch.index_select(m, 1, idx));
        var g = m.gather(1, tensor(new long[] { 3, 0, 1, 1, 2, 2 }, [3, 2]));
        Close([3, 0, 5, 5, 10, 10], g);
        Close([4, 1, 10, 3], torch.gather(m, 0, tensor(new long[] { 1, 0, 2, 0 }, [1, 4])));

        var chunks = arange(10, dtype: ScalarType.Float32).chunk(3);
        Assert.HasCount(3, chunks);
        CollectionAssert.AreEqual(new long[] { 4, 4, 2 }, chunks.Select(c => c.shape[0]).ToArray());
        Close([8, 9], chunks[2]);
        var cols = m.chunk(2, 1);
        Close([2, 3, 6, 7, 10, 11], cols[1]);

        var parts = arange(7, dtype: ScalarType.Float32).split(3);
        CollectionAssert.AreEqual(new long[] { 3, 3, 1 }, parts.Select(c => c.shape[0]).ToArray());
        var sized = m.split([1L, 3L], 1);
        Close([0, 4, 8], sized[0]);
        Close([1, 2, 3, 5, 6, 7, 9, 10, 11], sized[1]);
        Assert.ThrowsExactly<ArgumentException>(() => m.split([1L, 1L], 1));

        var a = ones(2, 2);
        var b = zeros(1, 2);
        var c = cat([a, b], 0);
        Shape([3, 2], c);
        Close([1, 1, 1, 1, 0, 0], c);
        Shape([2, 4], cat(new List<Tensor> { a, a }, 1));
        var s = stack([a, a * 2], 0);
        Shape([2, 2, 2], s);
        Close([1, 1, 1, 1, 2, 2, 2, 2], s);
        var s1 = stack(new[] { tensor(new float[] { 1, 2 }), tensor(new float[] { 3, 4 }) }, 1);
        Close([1, 3, 2, 4], s1);
        var unbound = m.unbind(1);
        Assert.HasCount(4, unbound);
        Close([3, 7, 11], unbound[3]);
    }

    [TestMethod]
    public void IndexersAndTensorIndex()
    {
        using var scope = NewDisposeScope();
        var x = arange(24, dtype: ScalarType.Float32).reshape(2, 3, 4);
        Close([12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23], x[1]);
        Close([20, 21, 22, 23], x[1, 2]);
        Assert.AreEqual(21f, x[1, 2, 1].item<float>());
        Assert.AreEqual(23f, x[-1, -1, -1].item<float>());
        Shape([2, 3], x[TensorIndex.Ellipsis, 0]);
        Close([0, 4, 8, 12, 16, 20], x[TensorIndex.Ellipsis, 0]);
        Close([5, 17], x[TensorIndex.Colon, 1, 1]);
        Shape([2, 1, 3, 4], x[TensorIndex.Colon, TensorIndex.None]);
        Close([1, 3], x[0, 0, TensorIndex.Slice(1, null, 2)]);
        Close([2, 3], x[0, 0, TensorIndex.Slice(-2)]);
        Close([13, 14], x[1, 0, 1..3]);
        Close([4, 5, 6, 7, 8, 9, 10, 11], x[0, 1..]);
        Close([3, 7], x[0, 0..2, TensorIndex.Slice(-1)].flatten());
        Close([3, 7, 11], x[0, TensorIndex.Ellipsis, 3]);
        // advanced indexing with a Long tensor
        var idx = tensor(new long[] { 1, 0, 1 });
        Shape([3, 3, 4], x[idx]);
        Close([12, 0, 12], x[idx][TensorIndex.Colon, 0, 0]);
        Close([2, 6, 10], x[0, TensorIndex.Colon, TensorIndex.Tensor(tensor(new long[] { 2 }))].flatten());
        // writes
        var y = zeros(2, 3);
        y[TensorIndex.Colon, 1] = tensor(new float[] { 5, 6 });
        Close([0, 5, 0, 0, 6, 0], y);
        y.index_put_(tensor(7f), 1, 2);
        Close([0, 5, 0, 0, 6, 7], y);
        y[tensor(new long[] { 0 })] = tensor(new float[] { 1, 1, 1 });
        Close([1, 1, 1, 0, 6, 7], y);
    }

    // ---- linear algebra and softmax -------------------------------------------------------------

    [TestMethod]
    public void MatmulMmBmmSoftmax()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new float[] { 1, 2, 3, 4, 5, 6 }, [2, 3]);
        var b = tensor(new float[] { 7, 8, 9, 10, 11, 12 }, [3, 2]);
        // [1 2 3; 4 5 6]·[7 8; 9 10; 11 12] = [58 64; 139 154]
        Close([58, 64, 139, 154], a.mm(b));
        Close([58, 64, 139, 154], a.matmul(b));
        Close([58, 64, 139, 154], torch.matmul(a, b));
        Close([14, 32], a.matmul(tensor(new float[] { 1, 2, 3 })), what: "matrix-vector");
        var batch = stack([a, a * 2]);
        var bb = stack([b, b]);
        var r = batch.bmm(bb);
        Shape([2, 2, 2], r);
        Close([58, 64, 139, 154, 116, 128, 278, 308], r);
        Close([58, 64, 139, 154, 116, 128, 278, 308], batch.matmul(b), what: "broadcast matmul");
        Close([1 * 3, 1 * 4, 2 * 3, 2 * 4], tensor(new float[] { 1, 2 }).outer(tensor(new float[] { 3, 4 })));

        var s = tensor(new double[] { 1, 2, 3, 1, 1, 1 }, [2, 3]);
        double z = Math.Exp(1) + Math.Exp(2) + Math.Exp(3);
        Close([Math.Exp(1) / z, Math.Exp(2) / z, Math.Exp(3) / z, 1.0 / 3, 1.0 / 3, 1.0 / 3], s.softmax(1), 1e-12);
        Close([0.5, 1 / (1 + Math.Exp(-1)), 1 / (1 + Math.Exp(-2)), 0.5, 1 / (1 + Math.Exp(1)), 1 / (1 + Math.Exp(2))], softmax(s, 0), 1e-12);
        Close([Math.Log(Math.Exp(1) / z), Math.Log(Math.Exp(2) / z), Math.Log(Math.Exp(3) / z)], s[0].log_softmax(0), 1e-12);
        Assert.AreEqual(ScalarType.Float64, tensor(new float[] { 1, 2 }).softmax(0, ScalarType.Float64).dtype);
        var c = tensor(new float[] { 1 }, [1, 1, 1]);
        Close([1 + 2 * 3], baddbmm(c, c * 3, c, beta: 1, alpha: 2));
    }

    // ---- clamp, where, maximum, in-place ---------------------------------------------------------

    [TestMethod]
    public void ClampWhereMaximum()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new float[] { -2, -0.5f, 0.5f, 2 });
        Close([-1, -0.5, 0.5, 1], x.clamp(-1, 1));
        Close([-1, -0.5, 0.5, 2], x.clamp(min: -1));
        Close([-2, -0.5, 0, 0], x.clamp(max: 0));
        Close([-1, -0.5, 0.5, 1], torch.clamp(x, -1, 1));
        Close([0, 0, 0.5, 2], x.clamp_min(0));
        Close([-2, -0.5, 0.5, 0], x.clamp(min: tensor(new float[] { -3, -3, -3, -3 }), max: tensor(new float[] { 0, 0, 1, 0 })));
        var cond = x > 0;
        Close([0, 0, 0.5, 2], torch.where(cond, x, zeros_like(x)));
        Close([0, 0, 0.5, 2], x.where(cond, zeros(4)));
        Close([-1, -0.5, 0.5, 2], x.maximum(full(4, -1f)));
        Close([-1, -0.5, 0.5, 2], maximum(full(4, -1f), x));
        Close([-2, -1, -1, -1], minimum(full(4, -1f), x));
        Close([1, 0, 0, 1], x.masked_fill(x.abs() > 1, 1).masked_fill(x.abs() < 1, 0));
    }

    [TestMethod]
    public void InPlaceOpsReturnThisAndMutate()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new float[] { 1, 2, 3 });
        var one = ones(3);
        Assert.AreSame(x, x.add_(one));
        Close([2, 3, 4], x);
        Assert.AreSame(x, x.add_(one, 2));
        Close([4, 5, 6], x);
        Assert.AreSame(x, x.sub_(one));
        Assert.AreSame(x, x.mul_(2));
        Close([6, 8, 10], x);
        Assert.AreSame(x, x.div_(2));
        Assert.AreSame(x, x.add_(1));
        Close([4, 5, 6], x);
        Assert.AreSame(x, x.mul_(one * 0.5));
        Assert.AreSame(x, x.addcmul_(one, one * 2, 3));
        Close([8, 8.5, 9], x);
        Assert.AreSame(x, x.addcdiv_(one * 4, one * 2, -1));
        Close([6, 6.5, 7], x);
        Assert.AreSame(x, x.clamp_(max: 6.5));
        Close([6, 6.5, 6.5], x);
        Assert.AreSame(x, x.neg_());
        Assert.AreSame(x, x.abs_());
        Assert.AreSame(x, x.sqrt_());
        Close([Math.Sqrt(6), Math.Sqrt(6.5), Math.Sqrt(6.5)], x);
        Assert.AreSame(x, x.fill_(3));
        Close([3, 3, 3], x);
        Assert.AreSame(x, x.zero_());
        Close([0, 0, 0], x);
        Assert.AreSame(x, x.copy_(tensor(new float[] { 7, 8, 9 })));
        Close([7, 8, 9], x);
        Assert.AreSame(x, x.lerp_(zeros(3), full(3, 0.5f)));
        Close([3.5, 4, 4.5], x);
        Assert.AreSame(x, x.pow_(2));
        Assert.AreSame(x, x.requires_grad_());
        Assert.IsTrue(x.requires_grad);
        Assert.AreSame(x, x.requires_grad_(false));
        var m = zeros(3);
        Assert.AreSame(m, m.masked_fill_(tensor(new[] { true, false, true }), 2));
        Close([2, 0, 2], m);
    }

    // ---- factories and dtype conversions ---------------------------------------------------------

    [TestMethod]
    public void FactoriesProduceExpectedValuesAndDtypes()
    {
        using var scope = NewDisposeScope();
        var r = arange(5);
        Assert.AreEqual(ScalarType.Int64, r.dtype);
        CollectionAssert.AreEqual(new long[] { 0, 1, 2, 3, 4 }, L(r));
        CollectionAssert.AreEqual(new long[] { 2, 5, 8 }, L(arange(2, 10, 3)));
        var rf = arange(0, 1, 0.25);
        Assert.AreEqual(ScalarType.Float32, rf.dtype);
        Close([0, 0.25, 0.5, 0.75], rf);
        Close([5, 3, 1], arange(5, 0, -2));
        Assert.AreEqual(ScalarType.Float64, arange(3, dtype: ScalarType.Float64).dtype);
        var ls = linspace(0, 1, 5);
        Assert.AreEqual(ScalarType.Float32, ls.dtype);
        Close([0, 0.25, 0.5, 0.75, 1], ls);
        Close([-1, 1], linspace(-1, 1, 2, ScalarType.Float64));
        var f = full(new long[] { 2, 2 }, 7.5);
        Assert.AreEqual(ScalarType.Float32, f.dtype);
        Close([7.5, 7.5, 7.5, 7.5], f);
        Assert.AreEqual(ScalarType.Int64, full(3, 4).dtype);
        Assert.AreEqual(ScalarType.Bool, full(3, true).dtype);
        Assert.AreEqual(ScalarType.Int32, full(2, 2, 1, ScalarType.Int32).dtype);
        Close([0, 0, 0], zeros(3));
        Close([1, 1, 1, 1], ones(2, 2));
        Shape([2, 3, 4, 5], zeros(2, 3, 4, 5));
        Close([1, 0, 0, 1], eye(2));
        Shape([2, 3], eye(2, 3));
        Assert.AreEqual(ScalarType.Float64, zeros_like(tensor(new double[] { 1 })).dtype);
        Assert.AreEqual(ScalarType.Int32, ones_like(tensor(new int[] { 1 })).dtype);
        Assert.AreEqual(ScalarType.Float32, tensor(3.0f).dtype);
        Assert.AreEqual(0L, tensor(3.0f).Dimensions);
        Assert.AreEqual(ScalarType.Float64, tensor(3.0).dtype);
        Assert.AreEqual(ScalarType.Int64, tensor(3L).dtype);
        Assert.AreEqual(ScalarType.Int32, tensor(3).dtype);
        Assert.AreEqual(ScalarType.Float64, tensor(new float[] { 1.5f }, ScalarType.Float64).dtype);
        var twoD = tensor(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        Shape([2, 3], twoD);
        Close([1, 2, 3, 4, 5, 6], twoD);
        // the array is copied: changing it later does not change the tensor
        var arr = new float[] { 1, 2 };
        var fromArr = tensor(arr);
        arr[0] = 99;
        Close([1, 2], fromArr);
    }

    [TestMethod]
    public void RandomFactoriesRespectTheirRanges()
    {
        using var scope = NewDisposeScope();
        manual_seed(123);
        var ri = randint(3, 7, [10_000]);
        Assert.AreEqual(ScalarType.Int64, ri.dtype);
        var values = L(ri);
        Assert.AreEqual(3L, values.Min());
        Assert.AreEqual(6L, values.Max());
        Assert.AreEqual(4, values.Distinct().Count());
        var ri0 = randint(2, [1000], ScalarType.Int32);
        Assert.AreEqual(ScalarType.Int32, ri0.dtype);
        CollectionAssert.AreEquivalent(new[] { 0, 1 }, ri0.data<int>().Distinct().ToArray());
        var perm = L(randperm(50));
        CollectionAssert.AreEquivalent(Enumerable.Range(0, 50).Select(i => (long)i).ToArray(), perm);
        CollectionAssert.AreNotEqual(Enumerable.Range(0, 50).Select(i => (long)i).ToArray(), perm);
        var u = F(rand(10_000));
        Assert.IsTrue(u.Min() >= 0 && u.Max() < 1);
        Assert.AreEqual(0.5, u.Average(), 5 * Math.Sqrt(1.0 / 12 / 10_000));
        var n = randn(20_000, dtype: ScalarType.Float64);
        // mean of N(0,1) over n samples has sd 1/√n; variance has sd ≈ √(2/n).
        Assert.AreEqual(0, n.mean().item<double>(), 5 / Math.Sqrt(20_000));
        Assert.AreEqual(1, n.var().item<double>(), 5 * Math.Sqrt(2.0 / 20_000));
        Assert.ThrowsExactly<ArgumentException>(() => randint(5, 5, [1]));
        Assert.ThrowsExactly<ArgumentException>(() => randn(3, dtype: ScalarType.Int64));
    }

    [TestMethod]
    public void DtypeConversions()
    {
        using var scope = NewDisposeScope();
        var f = tensor(new float[] { -1.7f, 0.2f, 2.9f });
        CollectionAssert.AreEqual(new long[] { -1, 0, 2 }, L(f.to(ScalarType.Int64)), "float->int truncates");
        CollectionAssert.AreEqual(new long[] { -1, 0, 2 }, L(f.@long()));
        CollectionAssert.AreEqual(new[] { -1, 0, 2 }, f.@int().data<int>().ToArray());
        CollectionAssert.AreEqual(new[] { true, true, true }, B(f.@bool()));
        Assert.AreEqual(ScalarType.Float64, f.@double().dtype);
        Assert.AreEqual(-1.7f, (float)f.@double().data<double>()[0]);
        Assert.AreEqual(ScalarType.Float32, tensor(new long[] { 1 }).@float().dtype);
        Assert.AreEqual(ScalarType.Byte, tensor(new long[] { 255 }).@byte().dtype);
        Assert.AreEqual(ScalarType.Float16, f.to_type(ScalarType.Float16).dtype);
        Assert.AreEqual(2, f.to_type(ScalarType.Float16).ElementSize);
        Assert.AreEqual(ScalarType.Float64, f.to(tensor(1.0)).dtype);
        Assert.AreEqual(ScalarType.Int32, f.type(ScalarType.Int32).dtype);
        var same = f.to(ScalarType.Float32);
        var copy = f.to(ScalarType.Float32, copy: true);
        f.fill_(5);
        Close([5, 5, 5], same, what: "to(same dtype) aliases");
        Close([-1.7, 0.2, 2.9], copy, 1e-6, "to(copy: true) copies");
        Assert.AreEqual(5.0, f[0].ToDouble());
        Assert.AreEqual(5L, f[0].ToInt64());
        Assert.AreEqual(ScalarType.Float32, f.cpu().dtype);
        Assert.AreEqual(DeviceType.CPU, f.device_type);
        Assert.AreEqual("cpu", f.device.ToString());
        CollectionAssert.AreEqual(new float[] { 5, 5, 5 }, f.ToArray<float>());
        Assert.ThrowsExactly<ArgumentException>(() => f.ToArray<double>());
    }
}
