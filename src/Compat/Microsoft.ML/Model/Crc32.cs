// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

namespace Microsoft.ML;

/// <summary>The zip CRC-32 (IEEE 802.3, reflected 0xEDB88320). ZipArchive does not verify it on read, so flipped bits would load silently.</summary>
internal static class Crc32
{
    private static readonly uint[] s_table = BuildTable();

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFFu;
        foreach (byte b in data)
            crc = s_table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return ~crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int k = 0; k < 8; k++)
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[i] = c;
        }
        return table;
    }
}
