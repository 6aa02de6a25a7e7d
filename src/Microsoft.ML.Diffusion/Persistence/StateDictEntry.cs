using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Diffusion;

/// <summary>
/// A module's weights as one archive entry in TorchSharp's .dat format, read without knowing the module: every
/// count, key and tensor header is checked against the bytes left in the entry before anything is allocated, so
/// a hostile entry fails with an <see cref="InvalidDataException"/> naming it instead of exhausting memory.
/// </summary>
internal static class StateDictEntry
{
    // No U-Net has this many tensors; the bound keeps a forged count from driving a long loop.
    private const long MaxTensors = 100_000;

    // A key length, a dtype and a rank byte at the least.
    private const int MinEntryBytes = 3;

    // A header names at most this many dimensions; more marks a forged file.
    private const int MaxDimensions = 8;

    // No U-Net weight comes near this; the bound keeps a forged shape from overflowing the size computation.
    private const long MaxTensorBytes = 1L << 32;

    private static readonly HashSet<ScalarType> s_allowedTypes =
        [ScalarType.Float32, ScalarType.Float64, ScalarType.Float16, ScalarType.BFloat16, ScalarType.Int64, ScalarType.Int32,
         ScalarType.Int16, ScalarType.Int8, ScalarType.Byte, ScalarType.Bool];

    /// <summary>Writes <paramref name="module"/>'s state dict; the stream stays open.</summary>
    public static void Write(Stream stream, nn.Module module)
    {
        // Module.save(Stream) closes the stream; ML.NET's SaveBinaryStream flushes it afterwards.
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        module.save(writer);
    }

    /// <summary>Reads every (key, tensor) pair of the entry; the caller owns the tensors.</summary>
    public static Dictionary<string, Tensor> Read(Stream stream, string entry)
    {
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            long count = ReadUnsignedLeb128(reader);
            long remaining = stream.Length - stream.Position;
            if (count > MaxTensors || count > remaining / MinEntryBytes)
                throw new InvalidDataException($"Entry '{entry}' declares {count} tensors, more than its {remaining} bytes can hold.");
            for (long k = 0; k < count; k++)
            {
                string key = reader.ReadString();
                CheckTensorHeader(reader, entry, key);
                var tensor = TensorExtensionMethods.Load(reader);
                if (!tensors.TryAdd(key, tensor))
                {
                    tensor.Dispose();
                    throw new InvalidDataException($"Entry '{entry}' holds the tensor '{key}' twice.");
                }
            }
            if (stream.Position != stream.Length)
                throw new InvalidDataException($"Entry '{entry}' has {stream.Length - stream.Position} bytes after its last tensor.");
            return tensors;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or FormatException)
        {
            Dispose(tensors);
            throw e is InvalidDataException && e.Message.Contains(entry, StringComparison.Ordinal)
                ? e
                : new InvalidDataException($"Entry '{entry}' is not a valid weights file: {e.Message}", e);
        }
    }

    // TorchSharp's TensorExtensionMethods.Load allocates whatever shape the header declares, so the header (dtype,
    // rank, dimensions, all LEB128) is checked first against the bytes left, then the reader is put back.
    internal static void CheckTensorHeader(BinaryReader reader, string entry, string key)
    {
        try
        {
            CheckTensorHeaderCore(reader, entry, key);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"Entry '{entry}' ends inside the header of '{key}'.", e);
        }
    }

    private static void CheckTensorHeaderCore(BinaryReader reader, string entry, string key)
    {
        var stream = reader.BaseStream;
        long start = stream.Position;
        long code = ReadUnsignedLeb128(reader);
        if (code > sbyte.MaxValue || !s_allowedTypes.Contains((ScalarType)code))
            throw new InvalidDataException($"Entry '{entry}' stores '{key}' with the unsupported dtype code {code}.");
        long rank = ReadUnsignedLeb128(reader);
        if (rank > MaxDimensions)
            throw new InvalidDataException($"Entry '{entry}' stores '{key}' with {rank} dimensions; at most {MaxDimensions} are accepted.");
        var shape = new long[rank];
        long bytes = ((ScalarType)code).ElementSize();
        for (int k = 0; k < rank; k++)
        {
            shape[k] = ReadUnsignedLeb128(reader);
            if (shape[k] != 0 && bytes > MaxTensorBytes / shape[k])
                throw new InvalidDataException($"Entry '{entry}' stores '{key}' with a shape larger than the {MaxTensorBytes}-byte limit.");
            bytes *= shape[k];
        }
        if (bytes > stream.Length - stream.Position)
            throw new InvalidDataException(
                $"Entry '{entry}' stores '{key}' as [{string.Join(", ", shape)}], which needs {bytes} bytes, but only {stream.Length - stream.Position} remain.");
        stream.Position = start;
    }

    // The entry count and tensor headers of a .dat file are unsigned LEB128 integers (TorchSharp's codec is internal).
    private static long ReadUnsignedLeb128(BinaryReader reader)
    {
        long value = 0;
        for (int shift = 0; shift < 63; shift += 7)
        {
            byte b = reader.ReadByte();
            value |= (long)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return value;
        }
        throw new InvalidDataException("A LEB128 count does not fit in 63 bits.");
    }

    /// <summary>Copies the tensors into <paramref name="module"/>; keys, shapes and dtypes must match exactly.</summary>
    public static void Apply(IReadOnlyDictionary<string, Tensor> saved, nn.Module module, string entry)
    {
        var target = module.state_dict();
        if (saved.Count != target.Count)
            throw new InvalidDataException($"Entry '{entry}' holds {saved.Count} tensors but the network has {target.Count}.");
        foreach (var (key, destination) in target)
        {
            if (!saved.TryGetValue(key, out var source))
                throw new InvalidDataException($"Entry '{entry}' lacks the tensor '{key}'.");
            if (source.dtype != destination.dtype || !source.shape.SequenceEqual(destination.shape))
                throw new InvalidDataException(
                    $"Entry '{entry}' stores '{key}' as {source.dtype} [{string.Join(", ", source.shape)}] but the network expects {destination.dtype} [{string.Join(", ", destination.shape)}].");
        }
        using (no_grad())
            foreach (var (key, destination) in target)
                destination.copy_(saved[key]);
    }

    /// <summary>The total element count of the tensors.</summary>
    public static long Elements(IReadOnlyDictionary<string, Tensor> tensors) => tensors.Values.Sum(t => t.numel());

    public static void Dispose(Dictionary<string, Tensor> tensors)
    {
        foreach (var t in tensors.Values) t.Dispose();
        tensors.Clear();
    }
}
