using TorchSharp.PInvoke;

namespace TorchSharp;

// Function forms of tensor operations (torch.cat, torch.where, torch.sqrt, ...).
public static partial class torch
{
    private static unsafe Tensor Join(IList<Tensor> tensors, long dim, delegate*<IntPtr*, int, long, IntPtr> op, string name)
    {
        if (tensors.Count == 0) throw new ArgumentException($"{name} needs at least one tensor.", nameof(tensors));
        var handles = new IntPtr[tensors.Count];
        for (int k = 0; k < handles.Length; k++) handles[k] = tensors[k].Handle;
        fixed (IntPtr* p = handles) return new Tensor(Check(op(p, handles.Length, dim)));
    }

    /// <summary>Concatenates tensors along an existing dimension.</summary>
    public static unsafe Tensor cat(IList<Tensor> tensors, long dim = 0) => Join(tensors, dim, &NativeMethods.ts_cat, nameof(cat));
    /// <summary>Concatenates tensors along an existing dimension.</summary>
    public static unsafe Tensor cat(Tensor[] tensors, long dim = 0) => Join(tensors, dim, &NativeMethods.ts_cat, nameof(cat));
    /// <summary>Stacks tensors along a new dimension.</summary>
    public static unsafe Tensor stack(IEnumerable<Tensor> tensors, long dim = 0) => Join(tensors.ToList(), dim, &NativeMethods.ts_stack, nameof(stack));
    /// <summary>Alias of <see cref="cat(IList{Tensor}, long)"/>.</summary>
    public static Tensor concatenate(IList<Tensor> tensors, long axis = 0) => cat(tensors, axis);

    /// <summary>Elements of x where condition holds, else of y.</summary>
    public static Tensor where(Tensor condition, Tensor x, Tensor y) => new(Check(NativeMethods.ts_where(condition.Handle, x.Handle, y.Handle)));

    /// <summary>Advanced indexing: entries of input at the given indices along dim.</summary>
    public static Tensor index_select(Tensor input, long dim, Tensor index) => input.index_select(dim, index);
    /// <summary>Values gathered along dim at index.</summary>
    public static Tensor gather(Tensor input, long dim, Tensor index) => input.gather(dim, index);

    /// <summary>Element-wise square root.</summary>
    public static Tensor sqrt(Tensor input) => input.sqrt();
    /// <summary>Element-wise reciprocal square root.</summary>
    public static Tensor rsqrt(Tensor input) => input.rsqrt();
    /// <summary>Element-wise exponential.</summary>
    public static Tensor exp(Tensor input) => input.exp();
    /// <summary>Element-wise natural logarithm.</summary>
    public static Tensor log(Tensor input) => input.log();
    /// <summary>Element-wise sine.</summary>
    public static Tensor sin(Tensor input) => input.sin();
    /// <summary>Element-wise cosine.</summary>
    public static Tensor cos(Tensor input) => input.cos();
    /// <summary>Element-wise hyperbolic tangent.</summary>
    public static Tensor tanh(Tensor input) => input.tanh();
    /// <summary>Element-wise sigmoid.</summary>
    public static Tensor sigmoid(Tensor input) => input.sigmoid();
    /// <summary>Element-wise absolute value.</summary>
    public static Tensor abs(Tensor input) => input.abs();
    /// <summary>Element-wise power.</summary>
    public static Tensor pow(Tensor input, Scalar exponent) => input.pow(exponent);
    /// <summary>Element-wise power.</summary>
    public static Tensor pow(Tensor input, Tensor exponent) => input.pow(exponent);
    /// <summary>Element-wise x².</summary>
    public static Tensor square(Tensor input) => input.square();
    /// <summary>Clamps every element into [min, max].</summary>
    public static Tensor clamp(Tensor input, Scalar? min = null, Scalar? max = null) => input.clamp(min, max);
    /// <summary>Element-wise maximum.</summary>
    public static Tensor maximum(Tensor input, Tensor other) => input.maximum(other);
    /// <summary>Element-wise minimum.</summary>
    public static Tensor minimum(Tensor input, Tensor other) => input.minimum(other);
    /// <summary>Element-wise NaN test.</summary>
    public static Tensor isnan(Tensor input) => input.isnan();
    /// <summary>Element-wise finiteness test.</summary>
    public static Tensor isfinite(Tensor tensor) => tensor.isfinite();
    /// <summary>Cumulative product along a dimension.</summary>
    public static Tensor cumprod(Tensor input, long dim, ScalarType? dtype = null) => input.cumprod(dim, dtype);
    /// <summary>Cumulative sum along a dimension.</summary>
    public static Tensor cumsum(Tensor input, long dim, ScalarType? type = null) => input.cumsum(dim, type);
    /// <summary>Mean of all elements.</summary>
    public static Tensor mean(Tensor input) => input.mean();
    /// <summary>Mean along dimensions.</summary>
    public static Tensor mean(Tensor input, long[] dimensions, bool keepdim = false, ScalarType? type = null) => input.mean(dimensions, keepdim, type);
    /// <summary>Sum of all elements.</summary>
    public static Tensor sum(Tensor input, ScalarType? type = null) => input.sum(type);
    /// <summary>Sum along a dimension.</summary>
    public static Tensor sum(Tensor input, long dim, bool keepdim = false, ScalarType? type = null) => input.sum(dim, keepdim, type);
    /// <summary>Matrix product with broadcasting.</summary>
    public static Tensor matmul(Tensor input, Tensor other) => input.matmul(other);
    /// <summary>Product of 2-D matrices.</summary>
    public static Tensor mm(Tensor input, Tensor mat2) => input.mm(mat2);
    /// <summary>Batched product of 3-D tensors.</summary>
    public static Tensor bmm(Tensor input, Tensor batch2) => input.bmm(batch2);
    /// <summary>β·input + α·(batch1 @ batch2).</summary>
    public static Tensor baddbmm(Tensor input, Tensor batch1, Tensor batch2, float beta = 1, float alpha = 1)
        => new(Check(NativeMethods.ts_baddbmm(input.Handle, batch1.Handle, batch2.Handle, beta, alpha)));
    /// <summary>Softmax along a dimension.</summary>
    public static Tensor softmax(Tensor input, long dim, ScalarType? dtype = null) => input.softmax(dim, dtype);
    /// <summary>Outer product of vectors.</summary>
    public static Tensor outer(Tensor input, Tensor vec2) => input.outer(vec2);
    /// <summary>Whether all elements are close.</summary>
    public static bool allclose(Tensor tensor, Tensor target, double rtol = 1e-05, double atol = 1e-08, bool equal_nan = false) => tensor.allclose(target, rtol, atol, equal_nan);
    /// <summary>Whether both tensors have the same shape and elements.</summary>
    public static Tensor equal(Tensor tensor, Tensor target) => tensor.eq(target);
    /// <summary>A view with dimensions reordered.</summary>
    public static Tensor permute(Tensor input, params long[] permutation) => input.permute(permutation);
    /// <summary>A view with two dimensions swapped.</summary>
    public static Tensor transpose(Tensor input, long dim0, long dim1) => input.transpose(dim0, dim1);
    /// <summary>The tensor reshaped.</summary>
    public static Tensor reshape(Tensor input, params long[] shape) => input.reshape(shape);
    /// <summary>The dimensions start_dim..end_dim merged into one.</summary>
    public static Tensor flatten(Tensor input, long start_dim = 0, long end_dim = -1) => input.flatten(start_dim, end_dim);
    /// <summary>A view with a size-1 dimension inserted.</summary>
    public static Tensor unsqueeze(Tensor input, long dim) => input.unsqueeze(dim);
    /// <summary>The tensor split into chunks along dim.</summary>
    public static Tensor[] chunk(Tensor input, long chunks, long dim = 0L) => input.chunk(chunks, dim);
    /// <summary>Lerp: input + weight·(end − input).</summary>
    public static Tensor lerp(Tensor input, Tensor end, Tensor weight) => input.lerp(end, weight);
}
