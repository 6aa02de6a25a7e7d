using System.Buffers.Binary;

namespace Microsoft.ML.Diffusion;

/// <summary>
/// Finds PNG and JPEG files that are cut short or damaged although the decoder accepts them: SkiaSharp decodes a
/// truncated file into a full-size image whose missing part is blank, which would then be trained on. The file's
/// structure is walked to its end marker (PNG: every chunk with its CRC, up to IEND; JPEG: the segments and the
/// entropy-coded scans, up to EOI), so trailing data after the end marker (as in motion photos) is accepted. Other
/// formats are not checked.
/// </summary>
internal static class ImageFileIntegrity
{
    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>What is wrong with the file, or null when it is complete or of a format not checked.</summary>
    public static string? Problem(ReadOnlySpan<byte> file)
    {
        if (file.StartsWith(PngSignature)) return PngProblem(file);
        if (file.Length >= 3 && file[0] == 0xFF && file[1] == 0xD8 && file[2] == 0xFF) return JpegProblem(file);
        return null;
    }

    private static string? PngProblem(ReadOnlySpan<byte> file)
    {
        int at = PngSignature.Length;
        while (true)
        {
            if (file.Length - at < 12)
                return $"the PNG file ends after {file.Length} bytes, inside a chunk header and before its IEND chunk (the file is truncated)";
            long length = BinaryPrimitives.ReadUInt32BigEndian(file[at..]);
            var type = file.Slice(at + 4, 4);
            string name = System.Text.Encoding.ASCII.GetString(type);
            if (length > file.Length - at - 12)
                return $"its PNG chunk '{name}' at byte {at} declares {length} bytes, but the file ends first (the file is truncated)";
            int end = at + 8 + (int)length;
            if (Crc32.Compute(file[(at + 4)..end]) != BinaryPrimitives.ReadUInt32BigEndian(file[end..]))
                return $"its PNG chunk '{name}' at byte {at} fails its CRC (the file is damaged)";
            if (type.SequenceEqual("IEND"u8)) return null;
            at = end + 4;
        }
    }

    private static string? JpegProblem(ReadOnlySpan<byte> file)
    {
        const string Truncated = "the JPEG file ends before its end-of-image marker (FF D9) (the file is truncated)";
        int at = 2;
        while (true)
        {
            // A marker is FF then its code, possibly after fill bytes FF.
            if (at >= file.Length || file[at] != 0xFF)
                return at >= file.Length ? Truncated : $"the JPEG file has no marker at byte {at} where one must be (the file is damaged)";
            while (at < file.Length && file[at] == 0xFF) at++;
            if (at >= file.Length) return Truncated;
            byte code = file[at++];
            if (code == 0xD9) return null;
            if (code is 0x01 or (>= 0xD0 and <= 0xD7)) continue;     // TEM and RSTn carry no length
            if (file.Length - at < 2) return Truncated;
            int length = BinaryPrimitives.ReadUInt16BigEndian(file[at..]);
            if (length < 2) return $"the JPEG segment FF {code:X2} at byte {at - 2} declares a length of {length} (the file is damaged)";
            if (length > file.Length - at) return Truncated;
            at += length;
            if (code != 0xDA) continue;
            // After a scan header comes entropy-coded data, in which FF is always followed by 00 or a restart marker.
            while (true)
            {
                int ff = file[at..].IndexOf((byte)0xFF);
                if (ff < 0 || at + ff + 1 >= file.Length) return Truncated;
                at += ff;
                byte next = file[at + 1];
                if (next == 0x00 || next is >= 0xD0 and <= 0xD7) { at += 2; continue; }
                if (next == 0xFF) { at++; continue; }
                break;
            }
        }
    }
}
