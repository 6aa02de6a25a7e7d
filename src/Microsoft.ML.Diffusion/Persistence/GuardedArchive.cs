using System.IO.Compression;
using System.Text;

namespace Microsoft.ML.Diffusion;

/// <summary>
/// The zip container of training checkpoints. Entries are only ever read into memory, never extracted: names that
/// escape the archive, duplicate names, sizes over the caller's limit, sizes that disagree with the data and CRC
/// mismatches are all refused as <see cref="FormatException"/>s naming the entry.
/// </summary>
internal sealed class GuardedArchiveReader : IDisposable
{
    // More entries than any checkpoint holds; a central directory claiming more is forged.
    public const int MaxEntries = 100_000;

    // Entries are read into memory; a cap keeps a forged size from exhausting memory.
    public const long MaxEntryBytes = 1L << 30;

    // Deflate expands at most about 1032:1; a declared size beyond this ratio cannot be honest.
    private const long MaxDeflateRatio = 1100;

    private readonly ZipArchive _zip;
    private readonly Dictionary<string, ZipArchiveEntry> _entries = new(StringComparer.Ordinal);

    public GuardedArchiveReader(Stream stream)
    {
        try
        {
            _zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            if (_zip.Entries.Count > MaxEntries)
                throw new FormatException($"The archive declares {_zip.Entries.Count} entries; at most {MaxEntries} are accepted.");
            foreach (var entry in _zip.Entries)
            {
                string name = Normalize(entry.FullName);
                if (!_entries.TryAdd(name, entry))
                    throw new FormatException($"The archive holds the entry '{name}' twice.");
            }
        }
        catch (InvalidDataException ex)
        {
            throw new FormatException($"The file is not a valid zip archive: {ex.Message}", ex);
        }
        CheckVersion();
    }

    public bool Contains(string name) => _entries.ContainsKey(name);

    /// <summary>
    /// Reads a whole entry, refusing sizes beyond <paramref name="maxBytes"/> and detecting truncation, extra data and
    /// CRC mismatches. Memory grows with the data actually decompressed, not with the size the entry declares.
    /// </summary>
    public byte[] ReadAll(string name, long maxBytes)
    {
        var entry = _entries.TryGetValue(name, out var e) ? e : throw new FormatException($"The archive has no entry '{name}'.");
        long declared = entry.Length;
        if (declared < 0 || declared > maxBytes)
            throw Corrupt(name, $"its size {declared} exceeds the limit of {maxBytes} bytes.");
        if (declared > entry.CompressedLength * MaxDeflateRatio + 1024)
            throw Corrupt(name, $"its declared size {declared} cannot come from {entry.CompressedLength} compressed bytes.");
        using var buffer = new MemoryStream((int)Math.Min(declared, 1 << 20));
        try
        {
            using var s = entry.Open();
            var chunk = new byte[81920];
            int n;
            while ((n = s.Read(chunk, 0, (int)Math.Min(chunk.Length, declared + 1 - buffer.Length))) > 0)
            {
                buffer.Write(chunk, 0, n);
                if (buffer.Length > declared)
                    throw Corrupt(name, "it holds more data than its declared size.");
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or NotSupportedException)
        {
            throw Corrupt(name, $"the compressed data cannot be read ({ex.Message}).");
        }
        if (buffer.Length != declared)
            throw Corrupt(name, $"it ends after {buffer.Length} of its {declared} declared bytes (the entry is truncated).");
        var bytes = buffer.ToArray();
        if (Crc32.Compute(bytes) != entry.Crc32)
            throw Corrupt(name, "its CRC-32 does not match its data.");
        return bytes;
    }

    /// <summary>
    /// Opens an entry as a read-only, seekable in-memory stream (at most <see cref="MaxEntryBytes"/>), so readers can
    /// check every declared size against the bytes actually left before allocating.
    /// </summary>
    public Stream Open(string name) => new MemoryStream(ReadAll(name, MaxEntryBytes), writable: false);

    public void Dispose() => _zip.Dispose();

    private void CheckVersion()
    {
        if (!Contains(GuardedArchiveWriter.VersionEntry))
            throw new FormatException($"The archive has no '{GuardedArchiveWriter.VersionEntry}' entry; it was not written by Microsoft.ML.Diffusion.");
        string text = Encoding.UTF8.GetString(ReadAll(GuardedArchiveWriter.VersionEntry, 4096));
        var line = text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("format:", StringComparison.Ordinal));
        if (line is null || !int.TryParse(line["format:".Length..].Trim(), out int version))
            throw Corrupt(GuardedArchiveWriter.VersionEntry, "it has no 'format: N' line.");
        if (version != GuardedArchiveWriter.FormatVersion)
            throw new FormatException($"The entry '{GuardedArchiveWriter.VersionEntry}' declares format version {version}; this library reads version {GuardedArchiveWriter.FormatVersion}.");
    }

    // Entry names are never used as file paths, but a name that climbs out of the archive marks a forged file.
    private static string Normalize(string fullName)
    {
        string name = fullName.Replace('\\', '/');
        var segments = name.Split('/');
        if (name.Length == 0 || name.StartsWith('/') || name.Contains(':') || segments.Any(s => s == ".." || s == "."))
            throw new FormatException($"The archive entry '{fullName}' has a path that escapes the archive.");
        return name;
    }

    private static FormatException Corrupt(string entry, string detail) => new($"The entry '{entry}' is corrupt: {detail}");
}

/// <summary>Writes the entries of a <see cref="GuardedArchiveReader"/> archive, starting with its version entry.</summary>
internal sealed class GuardedArchiveWriter : IDisposable
{
    public const int FormatVersion = 1;
    public const string VersionEntry = "TrainingInfo/Version.txt";

    private readonly ZipArchive _zip;
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    public GuardedArchiveWriter(Stream stream)
    {
        _zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true, Encoding.UTF8);
        WriteEntry(VersionEntry, s =>
        {
            using var w = new StreamWriter(s, new UTF8Encoding(false));
            w.Write($"Microsoft.ML.Diffusion checkpoint\nformat: {FormatVersion}\nwriter: Microsoft.ML.Diffusion {typeof(GuardedArchiveWriter).Assembly.GetName().Version}\n");
        });
    }

    public void WriteEntry(string name, Action<Stream> write)
    {
        if (!_names.Add(name))
            throw new InvalidOperationException($"The archive entry '{name}' was written twice.");
        var entry = _zip.CreateEntry(name, CompressionLevel.Fastest);
        using var stream = entry.Open();
        write(stream);
    }

    public void Dispose() => _zip.Dispose();
}

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
