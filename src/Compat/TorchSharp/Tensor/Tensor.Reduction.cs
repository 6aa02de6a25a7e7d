using TorchSharp.PInvoke;

namespace TorchSharp;

public static partial class torch
{
    public partial class Tensor
    {
        private Tensor ReduceAll(PInvoke.Reduction op, ScalarType? type = null)
            => new(Check(NativeMethods.ts_reduce_all((int)op, Handle, type is null ? -1 : (int)type.Value)));

        private unsafe Tensor ReduceDims(PInvoke.Reduction op, ReadOnlySpan<long> dims, bool keepdim, ScalarType? type = null)
        {
            fixed (long* p = dims)
                return new(Check(NativeMethods.ts_reduce_dims((int)op, Handle, p, dims.Length, keepdim ? 1 : 0, type is null ? -1 : (int)type.Value)));
        }

        /// <summary>Sum of all elements.</summary>
        public Tensor sum(ScalarType? type = null) => ReduceAll(PInvoke.Reduction.Sum, type);
        /// <summary>Sum along one dimension.</summary>
        public Tensor sum(long dim, bool keepdim = false, ScalarType? type = null) => ReduceDims(PInvoke.Reduction.Sum, [dim], keepdim, type);
        /// <summary>Sum along several dimensions.</summary>
        public Tensor sum(long[] dim, bool keepdim = false, ScalarType? type = null) => ReduceDims(PInvoke.Reduction.Sum, dim, keepdim, type);
        /// <summary>Sum along several dimensions.</summary>
        public Tensor sum(ReadOnlySpan<long> dim, bool keepdim = false, ScalarType? type = null) => ReduceDims(PInvoke.Reduction.Sum, dim, keepdim, type);

        /// <summary>Mean of all elements.</summary>
        public Tensor mean() => ReduceAll(PInvoke.Reduction.Mean);
        /// <summary>Mean of all elements, accumulated in <paramref name="type"/>.</summary>
        internal Tensor mean(ScalarType type) => ReduceAll(PInvoke.Reduction.Mean, type);
        /// <summary>Mean along dimensions.</summary>
        public Tensor mean(long[] dimensions, bool keepdim = false, ScalarType? type = null) => ReduceDims(PInvoke.Reduction.Mean, dimensions, keepdim, type);

        /// <summary>Product of all elements.</summary>
        internal Tensor prod(ScalarType? type = null) => ReduceAll(PInvoke.Reduction.Prod, type);
        /// <summary>Product along one dimension.</summary>
        internal Tensor prod(long dim, bool keepdim = false, ScalarType? type = null) => ReduceDims(PInvoke.Reduction.Prod, [dim], keepdim, type);

        /// <summary>Largest element.</summary>
        public Tensor max() => ReduceAll(PInvoke.Reduction.Max);
        /// <summary>Smallest element.</summary>
        public Tensor min() => ReduceAll(PInvoke.Reduction.Min);

        /// <summary>Largest values along a dimension, with their indices.</summary>
        public unsafe (Tensor values, Tensor indexes) max(long dim, bool keepdim = false)
        {
            IntPtr v, i;
            CheckForErrors(NativeMethods.ts_max_dim(Handle, dim, keepdim ? 1 : 0, 0, &v, &i));
            return (new Tensor(v), new Tensor(i));
        }

        /// <summary>Smallest values along a dimension, with their indices.</summary>
        public unsafe (Tensor values, Tensor indexes) min(long dim, bool keepdim = false)
        {
            IntPtr v, i;
            CheckForErrors(NativeMethods.ts_max_dim(Handle, dim, keepdim ? 1 : 0, 1, &v, &i));
            return (new Tensor(v), new Tensor(i));
        }

        /// <summary>Largest values along dimensions.</summary>
        public Tensor amax(long[] dims, bool keepdim = false) => ReduceDims(PInvoke.Reduction.Max, dims, keepdim);
        /// <summary>Smallest values along dimensions.</summary>
        public Tensor amin(long[] dims, bool keepdim = false) => ReduceDims(PInvoke.Reduction.Min, dims, keepdim);

        /// <summary>Index of the largest element of the flattened tensor.</summary>
        public Tensor argmax() => ReduceAll(PInvoke.Reduction.ArgMax);
        /// <summary>Indices of the largest elements along a dimension.</summary>
        public Tensor argmax(long dim, bool keepdim = false) => ReduceDims(PInvoke.Reduction.ArgMax, [dim], keepdim);
        /// <summary>Index of the smallest element of the flattened tensor.</summary>
        public Tensor argmin() => ReduceAll(PInvoke.Reduction.ArgMin);
        /// <summary>Indices of the smallest elements along a dimension.</summary>
        public Tensor argmin(long dim, bool keepdim = false) => ReduceDims(PInvoke.Reduction.ArgMin, [dim], keepdim);

        /// <summary>Whether every element is true (non-zero).</summary>
        public Tensor all() => ReduceAll(PInvoke.Reduction.All);
        /// <summary>Whether any element is true (non-zero).</summary>
        public Tensor any() => ReduceAll(PInvoke.Reduction.Any);
        /// <summary>log Σ exp along dimensions, computed stably.</summary>
        public Tensor logsumexp(long dim, bool keepdim = false) => ReduceDims(PInvoke.Reduction.LogSumExp, [dim], keepdim);

        /// <summary>Variance of all elements (unbiased by default).</summary>
        public Tensor var(bool unbiased = true) => Var(null, unbiased ? 1 : 0, false, false);
        /// <summary>Variance along dimensions.</summary>
        public Tensor var(long[] dimensions, bool unbiased = true, bool keepdim = false, ScalarType? type = null)
        {
            if (type is not { } t) return Var(dimensions, unbiased ? 1 : 0, keepdim, false);
            using var cast = to(t);
            return cast.Var(dimensions, unbiased ? 1 : 0, keepdim, false);
        }
        /// <summary>Standard deviation of all elements (unbiased by default).</summary>
        public Tensor std(bool unbiased = true) => Var(null, unbiased ? 1 : 0, false, true);
        /// <summary>Standard deviation along dimensions.</summary>
        public Tensor std(long[] dimensions, bool unbiased = true, bool keepdim = false, ScalarType? type = null)
        {
            if (type is not { } t) return Var(dimensions, unbiased ? 1 : 0, keepdim, true);
            using var cast = to(t);
            return cast.Var(dimensions, unbiased ? 1 : 0, keepdim, true);
        }

        private unsafe Tensor Var(long[]? dims, long correction, bool keepdim, bool isStd)
        {
            fixed (long* p = dims)
                return new(Check(NativeMethods.ts_var(Handle, p, dims?.Length ?? -1, correction, keepdim ? 1 : 0, isStd ? 1 : 0)));
        }

        /// <summary>The p-norm of all elements.</summary>
        public unsafe Tensor norm(float p = 2.0f) => new(Check(NativeMethods.ts_norm(Handle, p, null, -1, 0)));
        /// <summary>The p-norm along a dimension.</summary>
        public unsafe Tensor norm(int dim, bool keepdim = false, float p = 2.0f)
        {
            long d = dim;
            return new(Check(NativeMethods.ts_norm(Handle, p, &d, 1, keepdim ? 1 : 0)));
        }

        /// <summary>Cumulative sum along a dimension.</summary>
        public Tensor cumsum(long dim, ScalarType? type = null) => new(Check(NativeMethods.ts_cumulative(Handle, dim, 0, type is null ? -1 : (int)type.Value)));
        /// <summary>Cumulative product along a dimension.</summary>
        public Tensor cumprod(long dim, ScalarType? type = null) => new(Check(NativeMethods.ts_cumulative(Handle, dim, 1, type is null ? -1 : (int)type.Value)));
    }
}
