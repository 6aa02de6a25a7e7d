using TorchSharp.PInvoke;

namespace TorchSharp;

public static partial class torch
{
    /// <summary>One index of a subscript: a single position, a slice, an ellipsis, a new axis or an index tensor.</summary>
    public sealed class TensorIndex
    {
        internal enum Kind { Single, Slice, Ellipsis, None, Tensor, Bool }

        internal readonly Kind kind;
        internal readonly long? startIndexOrBoolOrSingle;
        internal readonly long? stopIndex;
        internal readonly long? step;
        internal readonly Tensor? tensor;

        private TensorIndex(Kind kind, long? start = null, long? stop = null, long? step = null, Tensor? tensor = null)
        {
            this.kind = kind;
            startIndexOrBoolOrSingle = start;
            stopIndex = stop;
            this.step = step;
            this.tensor = tensor;
        }

        /// <summary>A slice start:stop:step (nulls mean the ends).</summary>
        public static TensorIndex Slice(long? start = null, long? stop = null, long? step = null) => new(Kind.Slice, start, stop, step);
        /// <summary>A single position; the dimension is removed.</summary>
        public static TensorIndex Single(long? index) => new(Kind.Single, index);
        /// <summary>An index tensor (advanced indexing).</summary>
        public static TensorIndex Tensor(Tensor tensor) => new(Kind.Tensor, tensor: tensor);
        /// <summary>Stands for as many full slices as needed.</summary>
        public static TensorIndex Ellipsis { get; } = new(Kind.Ellipsis);
        /// <summary>Inserts a new axis of size 1.</summary>
        public static TensorIndex None { get; } = new(Kind.None);
        /// <summary>A full slice (":").</summary>
        public static TensorIndex Colon { get; } = new(Kind.Slice);

        /// <summary>A single position.</summary>
        public static implicit operator TensorIndex(long value) => Single(value);
        /// <summary>An index tensor.</summary>
        public static implicit operator TensorIndex(Tensor tensor) => Tensor(tensor);
        /// <summary>A range as a slice.</summary>
        public static implicit operator TensorIndex(System.Range range)
        {
            long? start = range.Start.IsFromEnd ? -range.Start.Value : range.Start.Value;
            long? stop = range.End.IsFromEnd ? (range.End.Value == 0 ? null : -range.End.Value) : range.End.Value;
            return Slice(start, stop);
        }
    }

    public partial class Tensor
    {
        /// <summary>The entry at index i along the first dimension.</summary>
        [System.Runtime.CompilerServices.IndexerName("TensorItems")]
        public Tensor this[long i1] { get => select(0, i1); set => index_put_(value, i1); }

        /// <summary>The entry at (i1, i2).</summary>
        [System.Runtime.CompilerServices.IndexerName("TensorItems")]
        public Tensor this[long i1, long i2] { get { using var a = select(0, i1); return a.select(0, i2); } set => index_put_(value, i1, i2); }

        /// <summary>The entry at (i1, i2, i3).</summary>
        [System.Runtime.CompilerServices.IndexerName("TensorItems")]
        public Tensor this[long i1, long i2, long i3] { get { using var a = select(0, i1); using var b = a.select(0, i2); return b.select(0, i3); } set => index_put_(value, i1, i2, i3); }

        /// <summary>Advanced indexing with one index tensor per leading dimension.</summary>
        [System.Runtime.CompilerServices.IndexerName("TensorItems")]
        public unsafe Tensor this[params Tensor[] indices]
        {
            get
            {
                var handles = indices.Select(t => t.Handle).ToArray();
                fixed (IntPtr* p = handles) return new Tensor(Check(NativeMethods.ts_index(Handle, p, handles.Length)));
            }
            set => index_put_(value, indices.Select(TensorIndex.Tensor).ToArray());
        }

        /// <summary>NumPy-style subscript with slices, positions, ellipsis, new axes and index tensors.</summary>
        [System.Runtime.CompilerServices.IndexerName("TensorItems")]
        public Tensor this[params TensorIndex[] indices]
        {
            get => Index(indices);
            set => index_put_(value, indices);
        }

        private Tensor Index(TensorIndex[] indices)
        {
            var (view, advanced) = BasicIndex(indices);
            if (advanced.All(a => a is null)) return view;
            using (view) return AdvancedIndex(view, advanced);
        }

        // Applies slices, positions and new axes as views; returns the per-dimension index tensors left over.
        private (Tensor view, List<Tensor?> advanced) BasicIndex(TensorIndex[] indices)
        {
            int specified = indices.Count(i => i.kind is not (TensorIndex.Kind.Ellipsis or TensorIndex.Kind.None));
            long rank = Dimensions;
            if (specified > rank) throw new ArgumentException($"Too many indices ({specified}) for a tensor of {rank} dimensions.");
            var current = alias();
            var advanced = new List<Tensor?>();
            long dim = 0;
            foreach (var index in indices)
            {
                Tensor next;
                switch (index.kind)
                {
                    case TensorIndex.Kind.Single:
                        next = current.select(dim, index.startIndexOrBoolOrSingle!.Value);
                        break;
                    case TensorIndex.Kind.Slice:
                        long size = current.size((int)dim);
                        long step = index.step ?? 1;
                        long start = Normalise(index.startIndexOrBoolOrSingle ?? 0, size);
                        long stop = index.stopIndex is null ? size : Normalise(index.stopIndex.Value, size);
                        next = current.slice(dim, start, Math.Max(start, stop), step);
                        advanced.Add(null);
                        dim++;
                        break;
                    case TensorIndex.Kind.None:
                        next = current.unsqueeze(dim);
                        advanced.Add(null);
                        dim++;
                        break;
                    case TensorIndex.Kind.Ellipsis:
                        long skip = current.Dimensions - dim - (indices.Count(i => i.kind is not (TensorIndex.Kind.Ellipsis or TensorIndex.Kind.None)) - advanced.Count(a => a is not null)
                            - indices.TakeWhile(i => !ReferenceEquals(i, index)).Count(i => i.kind is TensorIndex.Kind.Single));
                        for (long k = 0; k < skip; k++) advanced.Add(null);
                        dim += skip;
                        continue;
                    default:
                        advanced.Add(index.tensor);
                        dim++;
                        continue;
                }
                current.Dispose();
                current = next;
            }
            return (current, advanced);
        }

        private static long Normalise(long i, long size) => Math.Clamp(i < 0 ? i + size : i, 0, size);

        private static unsafe Tensor AdvancedIndex(Tensor view, List<Tensor?> advanced)
        {
            var handles = advanced.Select(t => t?.Handle ?? IntPtr.Zero).ToArray();
            fixed (IntPtr* p = handles) return new Tensor(Check(NativeMethods.ts_index(view.Handle, p, handles.Length)));
        }

        /// <summary>Writes value into the subscripted region; returns this.</summary>
        public unsafe Tensor index_put_(Tensor value, params TensorIndex[] indices)
        {
            var (view, advanced) = BasicIndex(indices);
            using (view)
            {
                if (advanced.All(a => a is null))
                {
                    view.copy_(value);
                    return this;
                }
                var handles = advanced.Select(t => t?.Handle ?? IntPtr.Zero).ToArray();
                fixed (IntPtr* p = handles) CheckForErrors(NativeMethods.ts_index_put_(view.Handle, p, handles.Length, value.Handle));
            }
            return this;
        }
    }
}
