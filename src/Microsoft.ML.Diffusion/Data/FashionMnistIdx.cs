using System.Buffers.Binary;
using System.IO.Compression;

namespace Microsoft.ML.Diffusion;

/// <summary>Reads gzipped IDX files (big-endian magic, counts and dimensions, then unsigned bytes).</summary>
internal static class IdxReader
{
    private const int LabelsMagic = 0x00000801;
    private const int ImagesMagic = 0x00000803;

    public static byte[] ReadLabels(string path)
    {
        var data = ReadGz(path);
        int magic = Header(data, path, 0);
        if (magic != LabelsMagic)
            throw new InvalidDataException($"'{path}' is not an IDX label file: magic number 0x{magic:X8}, expected 0x{LabelsMagic:X8}.");
        int count = Header(data, path, 4);
        if (count < 0 || data.Length - 8 != count)
            throw new InvalidDataException($"'{path}' declares {count} labels but holds {data.Length - 8} bytes of labels.");
        var labels = data.AsSpan(8).ToArray();
        int bad = Array.FindIndex(labels, l => l > 9);
        if (bad >= 0)
            throw new InvalidDataException($"'{path}' has label {labels[bad]} at index {bad}; Fashion-MNIST labels are 0 to 9.");
        return labels;
    }

    public static byte[] ReadImages(string path, int size, out int count)
    {
        var data = ReadGz(path);
        int magic = Header(data, path, 0);
        if (magic != ImagesMagic)
            throw new InvalidDataException($"'{path}' is not an IDX image file: magic number 0x{magic:X8}, expected 0x{ImagesMagic:X8}.");
        count = Header(data, path, 4);
        int rows = Header(data, path, 8);
        int cols = Header(data, path, 12);
        if (rows != size || cols != size)
            throw new InvalidDataException($"'{path}' holds {rows}x{cols} images; expected {size}x{size}.");
        if (count < 0 || data.Length - 16 != (long)count * size * size)
            throw new InvalidDataException($"'{path}' declares {count} images of {size}x{size} but holds {data.Length - 16} bytes of pixels.");
        return data.AsSpan(16).ToArray();
    }

    private static int Header(byte[] data, string path, int offset) =>
        data.Length >= offset + 4
            ? BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(offset))
            : throw new InvalidDataException($"'{path}' is too short for an IDX header ({data.Length} bytes).");

    private static byte[] ReadGz(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"The Fashion-MNIST file '{path}' does not exist. Install the apt package {FashionMnist.AptPackage} (it provides {FashionMnist.DefaultDirectory}) or pass the folder that holds the .gz files.", path);
        try
        {
            using var file = File.OpenRead(path);
            using var gz = new GZipStream(file, CompressionMode.Decompress);
            using var buffer = new MemoryStream();
            gz.CopyTo(buffer);
            return buffer.ToArray();
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidDataException($"'{path}' is not a valid gzip file: {ex.Message}", ex);
        }
    }
}
