// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

using System.IO.Compression;
using System.Text;

namespace Microsoft.ML;

/// <summary>
/// Reads and validates the entries of a model zip (and of any other archive this library writes, such as training
/// checkpoints). Entries are only ever read into memory, never extracted: names that escape the archive, duplicate
/// names, sizes over the caller's limit, sizes that disagree with the data and CRC mismatches are all refused as
/// <see cref="FormatException"/>s naming the entry.
/// </summary>
internal sealed class RepositoryReader : IDisposable
{
    // More entries than any model or checkpoint holds; a central directory claiming more is forged.
    public const int MaxEntries = 100_000;

    // Deflate expands at most about 1032:1; a declared size beyond this ratio cannot be honest.
    private const long MaxDeflateRatio = 1100;

    private readonly ZipArchive _zip;
    private readonly Dictionary<string, ZipArchiveEntry> _entries = new(StringComparer.Ordinal);

    public RepositoryReader(Stream stream)
    {
        try
        {
            _zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            if (_zip.Entries.Count > MaxEntries)
                throw new FormatException($"The model zip declares {_zip.Entries.Count} entries; at most {MaxEntries} are accepted.");
            foreach (var entry in _zip.Entries)
            {
                string name = Normalize(entry.FullName);
                if (!_entries.TryAdd(name, entry))
                    throw new FormatException($"The model zip holds the entry '{name}' twice.");
            }
        }
        catch (InvalidDataException ex)
        {
            throw new FormatException($"The model is not a valid zip archive: {ex.Message}", ex);
        }
        CheckVersion();
    }

    public bool Contains(string name) => _entries.ContainsKey(name);

    /// <summary>The entry names, in archive order.</summary>
    public IEnumerable<string> Names => _entries.Keys;

    /// <summary>
    /// Reads a whole entry, refusing sizes beyond <paramref name="maxBytes"/> and detecting truncation, extra data and
    /// CRC mismatches. Memory grows with the data actually decompressed, not with the size the entry declares.
    /// </summary>
    public byte[] ReadAll(string name, long maxBytes)
    {
        var entry = Get(name);
        long declared = entry.Length;
        if (declared < 0 || declared > maxBytes)
            throw ModelFormat.Corrupt(name, $"its size {declared} exceeds the limit of {maxBytes} bytes.");
        if (declared > entry.CompressedLength * MaxDeflateRatio + 1024)
            throw ModelFormat.Corrupt(name, $"its declared size {declared} cannot come from {entry.CompressedLength} compressed bytes.");
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
                    throw ModelFormat.Corrupt(name, "it holds more data than its declared size.");
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or NotSupportedException)
        {
            throw ModelFormat.Corrupt(name, $"the compressed data cannot be read ({ex.Message}).");
        }
        if (buffer.Length != declared)
            throw ModelFormat.Corrupt(name, $"it ends after {buffer.Length} of its {declared} declared bytes (the entry is truncated).");
        var bytes = buffer.ToArray();
        if (Crc32.Compute(bytes) != entry.Crc32)
            throw ModelFormat.Corrupt(name, "its CRC-32 does not match its data.");
        return bytes;
    }

    /// <summary>
    /// Opens an entry as a read-only, seekable in-memory stream (at most <see cref="ModelFormat.MaxModelEntryBytes"/>),
    /// so readers can check every declared size against the bytes actually left before allocating.
    /// </summary>
    public Stream Open(string name) => new MemoryStream(ReadAll(name, ModelFormat.MaxModelEntryBytes), writable: false);

    public void Dispose() => _zip.Dispose();

    private ZipArchiveEntry Get(string name) =>
        _entries.TryGetValue(name, out var entry) ? entry : throw new FormatException($"The model has no entry '{name}'.");

    private void CheckVersion()
    {
        if (!Contains(ModelFormat.VersionEntry))
            throw new FormatException($"The model has no '{ModelFormat.VersionEntry}' entry; it is not a model zip written by this library.");
        string text = Encoding.UTF8.GetString(ReadAll(ModelFormat.VersionEntry, 4096));
        var line = text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("format:", StringComparison.Ordinal));
        if (line is null || !int.TryParse(line["format:".Length..].Trim(), out int version))
            throw ModelFormat.Corrupt(ModelFormat.VersionEntry, "it has no 'format: N' line.");
        if (version != ModelFormat.FormatVersion)
            throw new FormatException($"The model entry '{ModelFormat.VersionEntry}' declares format version {version}; this library reads version {ModelFormat.FormatVersion}.");
    }

    // Entry names are never used as file paths, but a name that climbs out of the archive marks a forged file.
    private static string Normalize(string fullName)
    {
        string name = fullName.Replace('\\', '/');
        var segments = name.Split('/');
        if (name.Length == 0 || name.StartsWith('/') || name.Contains(':') || segments.Any(s => s == ".." || s == "."))
            throw new FormatException($"The model entry '{fullName}' has a path that escapes the archive.");
        return name;
    }
}
