// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

using System.Text;
using Microsoft.ML.Runtime;

namespace Microsoft.ML;

/// <summary>
/// Where a component reads itself back: its payload, string table, side streams and sub-models. Internal upstream;
/// public here so that other packages can load their transformers. Every format error is a
/// <see cref="FormatException"/> naming the entry.
/// </summary>
public sealed class ModelLoadContext : IDisposable
{
    /// <summary>The name of a component's main entry inside its folder.</summary>
    public const string ModelStreamName = ModelFormat.ModelStreamName;

    private readonly RepositoryReader _repository;
    private readonly MemoryStream _payload;
    private readonly string _entry;

    private ModelLoadContext(RepositoryReader repository, string directory, byte[] bytes)
    {
        _repository = repository;
        Directory = directory;
        _entry = ModelFormat.Combine(directory, ModelStreamName);
        try
        {
            using var r = new BinaryReader(new MemoryStream(bytes, writable: false), Encoding.UTF8);
            var magic = r.ReadBytes(8);
            if (!magic.AsSpan().SequenceEqual(ModelFormat.Magic))
                throw ModelFormat.Corrupt(_entry, "it does not start with the model header signature.");
            uint entryVersion = r.ReadUInt32();
            if (entryVersion != ModelFormat.EntryFormatVersion)
                throw ModelFormat.Corrupt(_entry, $"its header format version {entryVersion} is unknown (expected {ModelFormat.EntryFormatVersion}).");
            ModelSignature = r.ReadUInt64();
            ModelVerWritten = r.ReadUInt32();
            ModelVerReadable = r.ReadUInt32();
            r.ReadUInt32();
            LoaderSignature = ReadText(r, "loader signature") ?? throw ModelFormat.Corrupt(_entry, "the loader signature is missing.");
            LoaderAssemblyName = ReadText(r, "loader assembly name") ?? string.Empty;
            long payloadLength = r.ReadInt64();
            long remaining = bytes.Length - r.BaseStream.Position;
            if (payloadLength < 0 || payloadLength > remaining)
                throw ModelFormat.Corrupt(_entry, $"the declared payload size {payloadLength} is larger than the {remaining} bytes left in the entry.");
            var payload = r.ReadBytes((int)payloadLength);
            int count = r.ReadInt32();
            if (count < 0 || count > remaining / 4)
                throw ModelFormat.Corrupt(_entry, $"the declared string count {count} does not fit in the entry.");
            Strings = new string[count];
            for (int i = 0; i < count; i++)
                Strings[i] = ReadText(r, $"string {i}")!;
            var tail = r.ReadBytes(8);
            if (!tail.AsSpan().SequenceEqual(ModelFormat.Tail))
                throw ModelFormat.Corrupt(_entry, "the end-of-entry marker is missing (the entry is truncated).");
            if (r.BaseStream.Position != bytes.Length)
                throw ModelFormat.Corrupt(_entry, "there are extra bytes after the end-of-entry marker.");
            _payload = new MemoryStream(payload, writable: false);
            Reader = new BinaryReader(_payload, Encoding.UTF8);
        }
        catch (EndOfStreamException)
        {
            throw ModelFormat.Corrupt(_entry, "it ends before its header is complete (the entry is truncated).");
        }
    }

    /// <summary>The component's folder inside the zip.</summary>
    public string Directory { get; }

    /// <summary>Reads the component's payload.</summary>
    public BinaryReader Reader { get; }

    /// <summary>The entry's string table.</summary>
    public string[] Strings { get; }

    /// <summary>The name the component was saved under; selects the factory in <see cref="ModelLoaderCatalog"/>.</summary>
    public string LoaderSignature { get; }

    /// <summary>The assembly that saved the component (diagnostic only).</summary>
    public string LoaderAssemblyName { get; }

    /// <summary>The saved model signature.</summary>
    public ulong ModelSignature { get; }

    /// <summary>The version the saving code wrote.</summary>
    public uint ModelVerWritten { get; }

    /// <summary>The oldest reader version able to read it.</summary>
    public uint ModelVerReadable { get; }

    /// <summary>Checks that the payload has not been read yet.</summary>
    public void CheckAtModel()
    {
        if (_payload.Position != 0)
            throw new InvalidOperationException($"The payload of '{_entry}' has already been read from.");
    }

    /// <summary>Checks the payload is unread and was written by a compatible version of the component.</summary>
    public void CheckAtModel(VersionInfo ver)
    {
        CheckAtModel();
        CheckVersionInfo(ver);
    }

    /// <summary>Checks the model signature and that the saved version is neither too new nor too old.</summary>
    public void CheckVersionInfo(VersionInfo ver)
    {
        if (ModelSignature != ver.ModelSignature)
            throw ModelFormat.Corrupt(_entry, $"its model signature '{VersionInfo.SignatureText(ModelSignature)}' is not the expected '{VersionInfo.SignatureText(ver.ModelSignature)}'.");
        if (ModelVerReadable > ver.VerWrittenCur)
            throw new FormatException($"The model entry '{_entry}' ({LoaderSignature}) was saved by a newer version (0x{ModelVerWritten:X8}, readable from 0x{ModelVerReadable:X8}) than this code reads (0x{ver.VerWrittenCur:X8}).");
        if (ModelVerWritten < ver.VerWeCanReadBack)
            throw new FormatException($"The model entry '{_entry}' ({LoaderSignature}) was saved by an older version (0x{ModelVerWritten:X8}) than this code can read (from 0x{ver.VerWeCanReadBack:X8}).");
    }

    /// <summary>Reads a string or null written by <see cref="ModelSaveContext.SaveStringOrNull"/>.</summary>
    public string? LoadStringOrNull()
    {
        int id = ReadInt("string index");
        if (id == -1)
            return null;
        if (id < 0 || id >= Strings.Length)
            throw ModelFormat.Corrupt(_entry, $"string index {id} is outside the string table of {Strings.Length} entries.");
        return Strings[id];
    }

    /// <summary>Reads a non-null string.</summary>
    public string LoadString() => LoadStringOrNull() ?? throw ModelFormat.Corrupt(_entry, "a required string is null.");

    /// <summary>Reads a non-empty string.</summary>
    public string LoadNonEmptyString()
    {
        var s = LoadString();
        return s.Length != 0 ? s : throw ModelFormat.Corrupt(_entry, "a required string is empty.");
    }

    /// <summary>Whether a sub-model folder <paramref name="name"/> exists.</summary>
    public bool ContainsModel(string name) =>
        _repository.Contains(ModelFormat.Combine(ModelFormat.Combine(Directory, name), ModelStreamName));

    /// <summary>Loads the sub-model in folder <paramref name="name"/>.</summary>
    public void LoadModel<TRes>(IHostEnvironment env, out TRes result, string name)
        where TRes : class
    {
        result = LoadModel<TRes>(env, _repository, ModelFormat.Combine(Directory, name));
    }

    /// <summary>Runs <paramref name="action"/> on the sub-folder <paramref name="dir"/>; false if it does not exist.</summary>
    public bool TryProcessSubModel(string dir, Action<ModelLoadContext> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        string directory = ModelFormat.Combine(Directory, dir);
        string entry = ModelFormat.Combine(directory, ModelStreamName);
        if (!_repository.Contains(entry))
            return false;
        using var ctx = new ModelLoadContext(_repository, directory, _repository.ReadAll(entry, ModelFormat.MaxModelEntryBytes));
        action(ctx);
        ctx.Done();
        return true;
    }

    /// <summary>Reads the side entry <paramref name="name"/> in binary; false if it does not exist.</summary>
    public bool TryLoadBinaryStream(string name, Action<BinaryReader> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        string entry = ModelFormat.Combine(Directory, name);
        if (!_repository.Contains(entry))
            return false;
        using var stream = _repository.Open(entry);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        try
        {
            action(reader);
        }
        catch (EndOfStreamException)
        {
            throw ModelFormat.Corrupt(entry, "it ends before all its data was read (the entry is truncated).");
        }
        return true;
    }

    /// <summary>Reads the side entry <paramref name="name"/> as text; false if it does not exist.</summary>
    public bool TryLoadTextStream(string name, Action<TextReader> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        string entry = ModelFormat.Combine(Directory, name);
        if (!_repository.Contains(entry))
            return false;
        using var stream = _repository.Open(entry);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        action(reader);
        return true;
    }

    /// <summary>Checks the whole payload was consumed: leftovers mean the reader and writer disagree.</summary>
    public void Done()
    {
        if (_payload.Position != _payload.Length)
            throw ModelFormat.Corrupt(_entry, $"{_payload.Length - _payload.Position} payload bytes were left unread by the {LoaderSignature} loader.");
    }

    /// <summary>Releases the payload.</summary>
    public void Dispose()
    {
        Reader.Dispose();
        _payload.Dispose();
    }

    /// <summary>A payload read that names the entry when the payload is too short.</summary>
    internal int ReadInt(string what)
    {
        try
        {
            return Reader.ReadInt32();
        }
        catch (EndOfStreamException)
        {
            throw ModelFormat.Corrupt(_entry, $"the payload ends before the {what}.");
        }
    }

    internal FormatException Corrupt(string detail) => ModelFormat.Corrupt(_entry, detail);

    internal static TRes LoadModel<TRes>(IHostEnvironment env, RepositoryReader repository, string directory)
        where TRes : class
    {
        ArgumentNullException.ThrowIfNull(env);
        string entry = ModelFormat.Combine(directory, ModelStreamName);
        if (!repository.Contains(entry))
            throw new FormatException($"The model has no entry '{entry}'.");
        using var ctx = new ModelLoadContext(repository, directory, repository.ReadAll(entry, ModelFormat.MaxModelEntryBytes));
        var factory = ModelLoaderCatalog.Find(ctx.LoaderSignature)
            ?? throw new FormatException($"The model entry '{entry}' needs loader '{ctx.LoaderSignature}' (saved by {ctx.LoaderAssemblyName}), which is not registered. If it comes from another package, register that package first, e.g. mlContext.ComponentCatalog.RegisterAssembly(typeof(SomeTypeOfThatPackage).Assembly).");
        ITransformer loaded;
        try
        {
            loaded = factory(env, ctx);
        }
        catch (EndOfStreamException)
        {
            throw ModelFormat.Corrupt(entry, $"the payload ends before the {ctx.LoaderSignature} loader finished reading (the entry is truncated).");
        }
        ctx.Done();
        return loaded as TRes ?? throw new FormatException($"The model entry '{entry}' holds a {loaded?.GetType().Name ?? "null"}, not a {typeof(TRes).Name}.");
    }

    private string? ReadText(BinaryReader r, string what)
    {
        int length = r.ReadInt32();
        if (length == -1)
            return null;
        long remaining = r.BaseStream.Length - r.BaseStream.Position;
        if (length < 0 || length > remaining)
            throw ModelFormat.Corrupt(_entry, $"the declared size {length} of the {what} is larger than the {remaining} bytes left in the entry.");
        return Encoding.UTF8.GetString(r.ReadBytes(length));
    }
}
