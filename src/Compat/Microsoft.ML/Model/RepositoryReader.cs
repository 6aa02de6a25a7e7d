// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

using System.IO.Compression;
using System.Text;

namespace Microsoft.ML;

/// <summary>Reads and validates the entries of a model zip.</summary>
internal sealed class RepositoryReader : IDisposable
{
    private readonly ZipArchive _zip;
    private readonly Dictionary<string, ZipArchiveEntry> _entries = new(StringComparer.Ordinal);

    public RepositoryReader(Stream stream)
    {
        try
        {
            _zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            foreach (var entry in _zip.Entries)
            {
                string name = Normalize(entry.FullName);
                _entries[name] = entry;
            }
        }
        catch (InvalidDataException ex)
        {
            throw new FormatException($"The model is not a valid zip archive: {ex.Message}", ex);
        }
        CheckVersion();
    }

    public bool Contains(string name) => _entries.ContainsKey(name);

    /// <summary>Reads a whole entry, refusing sizes beyond <paramref name="maxBytes"/> and detecting truncation.</summary>
    public byte[] ReadAll(string name, long maxBytes)
    {
        var entry = Get(name);
        if (entry.Length > maxBytes)
            throw ModelFormat.Corrupt(name, $"its size {entry.Length} exceeds the limit of {maxBytes} bytes.");
        var buffer = new byte[entry.Length];
        try
        {
            using var s = entry.Open();
            s.ReadExactly(buffer);
            if (s.ReadByte() != -1)
                throw ModelFormat.Corrupt(name, "it holds more data than its declared size.");
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException or IOException)
        {
            throw ModelFormat.Corrupt(name, $"the compressed data cannot be read ({ex.Message}).");
        }
        return buffer;
    }

    /// <summary>Opens an entry for streaming; decompression errors surface as <see cref="FormatException"/>s naming it.</summary>
    public Stream Open(string name)
    {
        var entry = Get(name);
        try
        {
            return new CheckedStream(entry.Open(), name, entry.Length);
        }
        catch (InvalidDataException ex)
        {
            throw ModelFormat.Corrupt(name, ex.Message);
        }
    }

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

    private sealed class CheckedStream : Stream
    {
        private readonly Stream _inner;
        private readonly string _name;
        private readonly long _length;
        private long _read;

        public CheckedStream(Stream inner, string name, long length)
        {
            _inner = inner;
            _name = name;
            _length = length;
        }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => _length;

        public override long Position
        {
            get => _read;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            try
            {
                int n = _inner.Read(buffer, offset, count);
                _read += n;
                return n;
            }
            catch (InvalidDataException ex)
            {
                throw ModelFormat.Corrupt(_name, ex.Message);
            }
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                _inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
