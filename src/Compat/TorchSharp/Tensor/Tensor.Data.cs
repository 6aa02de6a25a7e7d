using System.Runtime.InteropServices;
using TorchSharp.PInvoke;
using TorchSharp.Utils;

namespace TorchSharp;

public static partial class torch
{
    public partial class Tensor
    {
        // data<T> and item<T> insist on the exact element type, as upstream's ValidateType does.
        internal void ValidateType(Type t)
        {
            var expected = dtype switch
            {
                ScalarType.Byte => typeof(byte),
                ScalarType.Int8 => typeof(sbyte),
                ScalarType.Int16 => typeof(short),
                ScalarType.Int32 => typeof(int),
                ScalarType.Int64 => typeof(long),
                ScalarType.Float32 => typeof(float),
                ScalarType.Float64 => typeof(double),
                ScalarType.Bool => typeof(bool),
                ScalarType.Float16 => typeof(Half),
                _ => null,
            };
            if (expected != t)
                throw new ArgumentException($"{t.Name} is not compatible with {dtype}");
        }

        /// <summary>An accessor over a host copy of the elements, in row-major order.</summary>
        public TensorAccessor<T> data<T>() where T : unmanaged
        {
            ValidateType(typeof(T));
            return new TensorAccessor<T>(CopyToArray<T>(), shape);
        }

        internal unsafe T[] CopyToArray<T>() where T : unmanaged
        {
            var result = new T[NumberOfElements];
            fixed (T* p = result) CheckForErrors(NativeMethods.ts_tensor_copy_to_buffer(Handle, p, (long)result.Length * sizeof(T)));
            return result;
        }

        /// <summary>Overwrites the elements from a host span of the same length and dtype.</summary>
        internal unsafe void CopyFrom<T>(ReadOnlySpan<T> source) where T : unmanaged
        {
            ValidateType(typeof(T));
            fixed (T* p = source) CheckForErrors(NativeMethods.ts_tensor_copy_from_buffer(Handle, p, (long)source.Length * sizeof(T)));
        }

        /// <summary>The value of a one-element tensor.</summary>
        public unsafe T item<T>() where T : unmanaged
        {
            ValidateType(typeof(T));
            if (NumberOfElements != 1)
                throw new ArgumentException($"item<T>() needs a one-element tensor, but the tensor has {NumberOfElements} elements.");
            var one = new T[1];
            fixed (T* p = one) CheckForErrors(NativeMethods.ts_tensor_copy_to_buffer(Handle, p, sizeof(T)));
            return one[0];
        }

        /// <summary>The value of a one-element tensor as a double.</summary>
        internal unsafe double ToDouble()
        {
            double v;
            CheckForErrors(NativeMethods.ts_tensor_item_f64(Handle, &v));
            return v;
        }

        /// <summary>The value of a one-element tensor as a float.</summary>
        internal float ToSingle() => (float)ToDouble();

        /// <summary>The value of a one-element tensor as a long.</summary>
        internal unsafe long ToInt64()
        {
            long v;
            CheckForErrors(NativeMethods.ts_tensor_item_i64(Handle, &v));
            return v;
        }

        /// <summary>The value of a one-element tensor as an int.</summary>
        internal int ToInt32() => checked((int)ToInt64());

        /// <summary>Writes the raw element bytes (row-major, little-endian) to a stream.</summary>
        public void WriteBytesToStream(Stream stream, int bufferSize = 1024)
        {
            var bytes = RawBytes();
            stream.Write(bytes, 0, bytes.Length);
        }

        /// <summary>Reads raw element bytes (row-major, little-endian) from a stream into this tensor.</summary>
        public unsafe void ReadBytesFromStream(Stream stream, int bufferSize = 1024)
        {
            var bytes = new byte[NumberOfElements * ElementSize];
            stream.ReadExactly(bytes);
            fixed (byte* p = bytes) CheckForErrors(NativeMethods.ts_tensor_copy_from_buffer(Handle, p, bytes.Length));
        }

        internal unsafe byte[] RawBytes()
        {
            var bytes = new byte[NumberOfElements * ElementSize];
            fixed (byte* p = bytes) CheckForErrors(NativeMethods.ts_tensor_copy_to_buffer(Handle, p, bytes.Length));
            return bytes;
        }
    }
}
