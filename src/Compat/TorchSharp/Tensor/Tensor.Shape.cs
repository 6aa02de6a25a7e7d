using TorchSharp.PInvoke;

namespace TorchSharp;

public static partial class torch
{
    public partial class Tensor
    {
        private unsafe Tensor WithDims(delegate*<IntPtr, long*, int, IntPtr> op, ReadOnlySpan<long> dims)
        {
            fixed (long* p = dims) return new Tensor(Check(op(Handle, p, dims.Length)));
        }

        /// <summary>A tensor with the same data and a new shape (copies only when it must); −1 infers a size.</summary>
        public unsafe Tensor reshape(params long[] shape) => WithDims(&NativeMethods.ts_reshape, shape);
        /// <summary>A view with a new shape; fails if the data is not laid out for it.</summary>
        public unsafe Tensor view(params long[] shape) => WithDims(&NativeMethods.ts_view, shape);
        /// <summary>A view with the dimensions reordered.</summary>
        public unsafe Tensor permute(params long[] permutation) => WithDims(&NativeMethods.ts_permute, permutation);
        /// <summary>A view broadcast to a larger shape (−1 keeps a size).</summary>
        public unsafe Tensor expand(params long[] sizes) => WithDims(&NativeMethods.ts_expand, sizes);
        /// <summary>The tensor tiled along each dimension.</summary>
        public unsafe Tensor repeat(params long[] sizes) => WithDims(&NativeMethods.ts_repeat, sizes);
        /// <summary>The tensor reversed along the given dimensions.</summary>
        public unsafe Tensor flip(params long[] dims) => WithDims(&NativeMethods.ts_flip, dims);

        /// <summary>The tensor viewed with the shape of another.</summary>
        public Tensor view_as(Tensor other) => view(other.shape);
        /// <summary>The tensor broadcast to the shape of another.</summary>
        public Tensor expand_as(Tensor other) => expand(other.shape);
        /// <summary>The tensor reshaped to the shape of another.</summary>
        internal Tensor reshape_as(Tensor other) => reshape(other.shape);

        /// <summary>The tensor rolled along dimensions.</summary>
        public unsafe Tensor roll(long[] shifts, long[] dims)
        {
            fixed (long* s = shifts) fixed (long* d = dims)
                return new Tensor(Check(NativeMethods.ts_roll(Handle, s, shifts.Length, d, dims.Length)));
        }

        /// <summary>A view with two dimensions swapped.</summary>
        public Tensor transpose(long dim0, long dim1) => new(Check(NativeMethods.ts_transpose(Handle, dim0, dim1)));
        /// <summary>Alias of <see cref="transpose"/>.</summary>
        public Tensor swapaxes(long dim0, long dim1) => transpose(dim0, dim1);
        /// <summary>A view with a size-1 dimension inserted.</summary>
        public Tensor unsqueeze(long dim) => new(Check(NativeMethods.ts_unsqueeze(Handle, dim)));
        /// <summary>A view without size-1 dimensions (all of them, or just <paramref name="dim"/>).</summary>
        public Tensor squeeze(long? dim = null) => new(Check(NativeMethods.ts_squeeze(Handle, dim ?? 0, dim is null ? 1 : 0)));
        /// <summary>The dimensions start_dim..end_dim merged into one.</summary>
        public Tensor flatten(long start_dim = 0, long end_dim = -1) => new(Check(NativeMethods.ts_flatten(Handle, start_dim, end_dim)));
        /// <summary>A view of <paramref name="length"/> elements along dim from start.</summary>
        public Tensor narrow(long dim, long start, long length) => new(Check(NativeMethods.ts_narrow(Handle, dim, start, length)));
        /// <summary>A view of index along dim, with that dimension removed.</summary>
        public Tensor select(long dim, long index) => new(Check(NativeMethods.ts_select(Handle, dim, index)));
        /// <summary>A view of elements start..end (exclusive) with a step along dim.</summary>
        public Tensor slice(long dim, long start, long finish, long step) => new(Check(NativeMethods.ts_slice(Handle, dim, start, finish, step)));
        /// <summary>The entries along dim at the given indices (a copy).</summary>
        public Tensor index_select(long dim, Tensor index) => new(Check(NativeMethods.ts_index_select(Handle, dim, index.Handle)));
        /// <summary>Values gathered along dim at index.</summary>
        public Tensor gather(long dim, Tensor index) => new(Check(NativeMethods.ts_gather(Handle, dim, index.Handle)));
        /// <summary>A copy with src scattered along dim at index.</summary>
        public Tensor scatter(long dim, Tensor index, Tensor src) => new(Check(NativeMethods.ts_scatter(Handle, dim, index.Handle, src.Handle)));
        /// <summary>Lower-triangular part (diagonal offset <paramref name="diagonal"/>).</summary>
        public Tensor tril(long diagonal = 0) => new(Check(NativeMethods.ts_tril(Handle, diagonal, 0)));
        /// <summary>Upper-triangular part (diagonal offset <paramref name="diagonal"/>).</summary>
        public Tensor triu(long diagonal = 0) => new(Check(NativeMethods.ts_tril(Handle, diagonal, 1)));
        /// <summary>Diagonal of a matrix, or a diagonal matrix from a vector.</summary>
        public Tensor diag(long diagonal = 0) => new(Check(NativeMethods.ts_diag(Handle, diagonal)));

        /// <summary>The tensor split into <paramref name="chunks"/> nearly equal views along dim.</summary>
        public unsafe Tensor[] chunk(long chunks, long dim = 0L)
        {
            if (chunks <= 0) throw new ArgumentOutOfRangeException(nameof(chunks), chunks, "The number of chunks must be positive.");
            var handles = new IntPtr[chunks];
            int n;
            fixed (IntPtr* p = handles) n = NativeMethods.ts_chunk(Handle, chunks, dim, p, handles.Length);
            if (n < 0) throw NativeError();
            var result = new Tensor[n];
            for (int k = 0; k < n; k++) result[k] = new Tensor(handles[k]);
            return result;
        }

        /// <summary>The tensor split into views of <paramref name="size"/> along dim (the last may be smaller).</summary>
        public Tensor[] split(long size, long dim = 0)
        {
            if (size <= 0) throw new ArgumentOutOfRangeException(nameof(size), size, "The split size must be positive.");
            long total = this.size((int)dim);
            var parts = new List<Tensor>();
            for (long start = 0; start < total; start += size) parts.Add(narrow(dim, start, Math.Min(size, total - start)));
            return parts.ToArray();
        }

        /// <summary>The tensor split into views of the given sizes along dim.</summary>
        public Tensor[] split(long[] sizes, long dim = 0)
        {
            long total = this.size((int)dim);
            if (sizes.Sum() != total)
                throw new ArgumentException($"split sizes add up to {sizes.Sum()} but dimension {dim} has size {total}.", nameof(sizes));
            var parts = new Tensor[sizes.Length];
            long start = 0;
            for (int k = 0; k < sizes.Length; k++) { parts[k] = narrow(dim, start, sizes[k]); start += sizes[k]; }
            return parts;
        }

        /// <summary>Views of every entry along a dimension, with that dimension removed.</summary>
        public Tensor[] unbind(long dimension = 0L)
        {
            long n = size((int)dimension);
            var parts = new Tensor[n];
            for (long k = 0; k < n; k++) parts[k] = select(dimension, k);
            return parts;
        }
    }
}
