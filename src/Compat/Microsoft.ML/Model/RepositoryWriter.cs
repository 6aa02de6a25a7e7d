// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

using System.IO.Compression;
using System.Text;

namespace Microsoft.ML;

/// <summary>Writes the entries of a model zip.</summary>
internal sealed class RepositoryWriter : IDisposable
{
    private readonly ZipArchive _zip;
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    public RepositoryWriter(Stream stream)
    {
        _zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true, Encoding.UTF8);
        WriteEntry(ModelFormat.VersionEntry, s =>
        {
            using var w = new StreamWriter(s, new UTF8Encoding(false));
            w.Write($"Microsoft.ML model zip\nformat: {ModelFormat.FormatVersion}\nwriter: Microsoft.ML {typeof(RepositoryWriter).Assembly.GetName().Version}\n");
        });
    }

    public void WriteEntry(string name, Action<Stream> write)
    {
        if (!_names.Add(name))
            throw new InvalidOperationException($"The model entry '{name}' was written twice.");
        var entry = _zip.CreateEntry(name, CompressionLevel.Fastest);
        using var stream = entry.Open();
        write(stream);
    }

    public void Dispose() => _zip.Dispose();
}
