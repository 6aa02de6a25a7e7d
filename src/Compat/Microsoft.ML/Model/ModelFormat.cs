// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

namespace Microsoft.ML;

/// <summary>
/// The model zip layout, format version 1. It follows upstream's layout in spirit but is not byte compatible:
/// <code>
/// TrainingInfo/Version.txt            "Microsoft.ML model zip" / "format: 1" / "writer: {assembly version}"
/// TransformerChain/Model.key          the saved model (a TransformerChain or any transformer)
/// TransformerChain/Transform_000/...  one folder per chain element: Model.key plus side streams
/// Schema                              the input schema (see SchemaSerializer), when one was given
/// </code>
/// Model.key (little-endian): magic "MLCMODEL"; uint32 entry format (1); 8-byte model signature; uint32
/// verWritten, verReadable, verWeCanReadBack; loader signature and loader assembly as length-prefixed UTF-8; int64
/// payload length; payload; int32 string count; strings (int32 UTF-8 byte length, -1 for null, bytes); tail "LEDOM\0LM".
/// Loading maps the loader signature to a factory registered in <see cref="ModelLoaderCatalog"/>; no type named by
/// the file is ever instantiated by reflection.
/// </summary>
internal static class ModelFormat
{
    public const int FormatVersion = 1;
    public const string VersionEntry = "TrainingInfo/Version.txt";
    public const string RootDirectory = "TransformerChain";
    public const string SchemaEntry = "Schema";
    public const string ModelStreamName = "Model.key";
    public const uint EntryFormatVersion = 1;
    public static readonly byte[] Magic = "MLCMODEL"u8.ToArray();
    public static readonly byte[] Tail = "LEDOM\0LM"u8.ToArray();

    // Entries are read into memory; a cap keeps a forged size from exhausting memory.
    public const long MaxModelEntryBytes = 1L << 30;

    public static string Combine(string directory, string name) => directory.Length == 0 ? name : directory + "/" + name;

    public static FormatException Corrupt(string entry, string detail) =>
        new($"The model entry '{entry}' is corrupt: {detail}");
}
