namespace TorchSharp.Utils;

/// <summary>Unsigned LEB128 integers, as TorchSharp's .dat format writes them.</summary>
internal static class LEB128Codec
{
    /// <summary>Encodes a non-negative value.</summary>
    public static IList<byte> Encode(long value)
    {
        if (value < 0) throw new ArgumentOutOfRangeException(nameof(value), value, "LEB128 encodes non-negative values only.");
        var bytes = new List<byte>();
        do
        {
            byte b = (byte)(value & 0x7F);
            value >>= 7;
            if (value != 0) b |= 0x80;
            bytes.Add(b);
        } while (value != 0);
        return bytes;
    }

    /// <summary>Reads one value; a value over 63 bits or a truncated stream is an <see cref="InvalidDataException"/>.</summary>
    public static long Decode(BinaryReader reader)
    {
        long result = 0;
        for (int shift = 0; shift < 63; shift += 7)
        {
            int b = reader.BaseStream.ReadByte();
            if (b < 0) throw new InvalidDataException("Unexpected end of data while reading a LEB128 integer.");
            result |= (long)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                if (result < 0) break;
                return result;
            }
        }
        throw new InvalidDataException("A LEB128 integer does not fit in 63 bits.");
    }

    internal static void Write(BinaryWriter writer, long value)
    {
        foreach (var b in Encode(value)) writer.Write(b);
    }
}
