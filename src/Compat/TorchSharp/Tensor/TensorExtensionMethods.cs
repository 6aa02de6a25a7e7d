using TorchSharp.Utils;
using static TorchSharp.torch;

namespace TorchSharp;

/// <summary>Tensor (de)serialisation in TorchSharp's .dat encoding, and host-array helpers.</summary>
public static class TensorExtensionMethods
{
    /// <summary>The value of a one-element tensor as a float.</summary>
    public static float ToSingle(this torch.Tensor value) => value.ToSingle();
    /// <summary>The value of a one-element tensor as a double.</summary>
    public static double ToDouble(this torch.Tensor value) => value.ToDouble();
    /// <summary>The value of a one-element tensor as an int.</summary>
    public static int ToInt32(this torch.Tensor value) => value.ToInt32();
    /// <summary>The value of a one-element tensor as a long.</summary>
    public static long ToInt64(this torch.Tensor value) => value.ToInt64();

    // A declared size is checked against these bounds and the bytes left in the stream before any
    // allocation, so a hostile header cannot make us allocate what it claims.
    internal const int MaxDimensions = 16;
    internal const long MaxBytes = 1L << 34;

    private static readonly HashSet<ScalarType> s_allowedTypes =
    [
        ScalarType.Byte, ScalarType.Int8, ScalarType.Int16, ScalarType.Int32, ScalarType.Int64,
        ScalarType.Float16, ScalarType.Float32, ScalarType.Float64, ScalarType.Bool, ScalarType.BFloat16,
    ];

    /// <summary>Writes dtype, shape and row-major bytes.</summary>
    public static void Save(this Tensor tensor, BinaryWriter writer)
    {
        LEB128Codec.Write(writer, (long)tensor.dtype);
        var shape = tensor.shape;
        LEB128Codec.Write(writer, shape.Length);
        foreach (var s in shape) LEB128Codec.Write(writer, s);
        writer.Write(tensor.RawBytes());
    }

    /// <summary>Reads an encoded tensor into this one (same dtype and shape), or skips it.</summary>
    public static void Load(this Tensor tensor, BinaryReader reader, bool skip = false)
    {
        var (type, shape) = ReadHeader(reader);
        var bytes = ReadPayload(reader, type, shape);
        if (skip) return;
        if (type != tensor.dtype)
            throw new ArgumentException($"The stored tensor is {type} but the target is {tensor.dtype}.");
        var expected = tensor.shape;
        if (!expected.SequenceEqual(shape))
            throw new ArgumentException($"The stored tensor has shape [{string.Join(", ", shape)}] but the target has [{string.Join(", ", expected)}].");
        using var source = FromBytes(bytes, type, shape);
        using (no_grad()) tensor.copy_(source);
    }

    /// <summary>
    /// Reads an encoded tensor as a new tensor. With <paramref name="skip"/>, the data is read past and an
    /// uninitialised tensor of the stored dtype and shape is returned, as upstream does.
    /// </summary>
    public static Tensor Load(BinaryReader reader, bool skip = false)
    {
        var (type, shape) = ReadHeader(reader);
        var bytes = ReadPayload(reader, type, shape);
        return skip ? empty(shape, type) : FromBytes(bytes, type, shape);
    }

    /// <summary>Reads past an encoded tensor without making one.</summary>
    internal static void Skip(BinaryReader reader)
    {
        var (type, shape) = ReadHeader(reader);
        ReadPayload(reader, type, shape);
    }

    internal static (ScalarType type, long[] shape) ReadHeader(BinaryReader reader)
    {
        long code = LEB128Codec.Decode(reader);
        if (code > sbyte.MaxValue || !s_allowedTypes.Contains((ScalarType)code))
            throw new InvalidDataException($"Unsupported tensor dtype code {code}.");
        long ndim = LEB128Codec.Decode(reader);
        if (ndim > MaxDimensions)
            throw new InvalidDataException($"A tensor declares {ndim} dimensions; at most {MaxDimensions} are accepted.");
        var shape = new long[ndim];
        for (int k = 0; k < ndim; k++) shape[k] = LEB128Codec.Decode(reader);
        return ((ScalarType)code, shape);
    }

    private static byte[] ReadPayload(BinaryReader reader, ScalarType type, long[] shape)
    {
        long bytes = type.ElementSize();
        foreach (var s in shape)
        {
            if (s != 0 && bytes > MaxBytes / s)
                throw new InvalidDataException($"A tensor of shape [{string.Join(", ", shape)}] is larger than the {MaxBytes}-byte limit.");
            bytes *= s;
        }
        var stream = reader.BaseStream;
        if (stream.CanSeek && bytes > stream.Length - stream.Position)
            throw new InvalidDataException(
                $"A tensor of shape [{string.Join(", ", shape)}] needs {bytes} bytes but only {stream.Length - stream.Position} remain.");
        if (bytes > int.MaxValue) throw new InvalidDataException($"A tensor of {bytes} bytes is too large to load.");
        var data = stream.CanSeek ? reader.ReadBytes((int)bytes) : ReadGrowing(reader, (int)bytes);
        if (data.Length != bytes)
            throw new InvalidDataException($"A tensor of shape [{string.Join(", ", shape)}] needs {bytes} bytes but the data ended after {data.Length}.");
        return data;
    }

    // Without a known length, memory must follow the bytes that actually arrive, not the size the header claims.
    private static byte[] ReadGrowing(BinaryReader reader, int bytes)
    {
        const int Chunk = 1 << 20;
        if (bytes <= Chunk) return reader.ReadBytes(bytes);
        using var buffer = new MemoryStream(Chunk);
        while (buffer.Length < bytes)
        {
            var part = reader.ReadBytes((int)Math.Min(Chunk, bytes - buffer.Length));
            if (part.Length == 0) break;
            buffer.Write(part);
        }
        return buffer.ToArray();
    }

    private static unsafe Tensor FromBytes(byte[] bytes, ScalarType type, long[] shape)
    {
        fixed (byte* p = bytes) fixed (long* s = shape)
            return new Tensor(Check(PInvoke.NativeMethods.ts_tensor_from_buffer(p, s, shape.Length, (int)type, 0)));
    }

    /// <summary>A tensor of the given shape copied from a host array.</summary>
    public static Tensor ToTensor<T>(this T[] rawArray, long[] dimensions, bool doCopy = false, bool requires_grad = false) where T : unmanaged
    {
        Tensor t = rawArray switch
        {
            float[] f => tensor(f, dimensions),
            double[] d => tensor(d, dimensions),
            long[] l => tensor(l, dimensions),
            int[] i => tensor(i, dimensions),
            byte[] b => tensor(b, dimensions),
            bool[] b => tensor(b, dimensions),
            _ => throw new NotSupportedException($"Arrays of {typeof(T).Name} cannot become tensors here."),
        };
        if (requires_grad) t.requires_grad = true;
        return t;
    }

    /// <summary>The elements copied to a new host array; T must match the dtype.</summary>
    internal static T[] ToArray<T>(this Tensor tensor) where T : unmanaged
    {
        tensor.ValidateType(typeof(T));
        return tensor.CopyToArray<T>();
    }
}
