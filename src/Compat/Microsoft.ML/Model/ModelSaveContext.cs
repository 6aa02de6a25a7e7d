// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

using System.Text;

namespace Microsoft.ML;

/// <summary>
/// Where a component writes itself: a payload through <see cref="Writer"/>, strings through a per-entry string
/// table, side streams (e.g. network weights) and sub-models in sub-folders. Its members are internal upstream and
/// public here so that other packages can persist their transformers.
/// </summary>
public sealed class ModelSaveContext : IDisposable
{
    private readonly RepositoryWriter _repository;
    private readonly MemoryStream _payload = new();
    private readonly List<string?> _strings = new();
    private readonly Dictionary<string, int> _stringIds = new(StringComparer.Ordinal);
    private VersionInfo? _version;
    private bool _done;

    internal ModelSaveContext(RepositoryWriter repository, string directory)
    {
        _repository = repository;
        Directory = directory;
        Writer = new BinaryWriter(_payload, new UTF8Encoding(false), leaveOpen: true);
    }

    /// <summary>The folder of this component inside the zip, e.g. "TransformerChain/Transform_000".</summary>
    public string Directory { get; }

    /// <summary>Writes the component's payload.</summary>
    public BinaryWriter Writer { get; }

    /// <summary>Checks that nothing has been written yet: call first in <see cref="ICanSaveModel.Save"/>.</summary>
    public void CheckAtModel()
    {
        if (_done || _version is not null || _payload.Length != 0)
            throw new InvalidOperationException($"The model at '{Directory}' has already been started; CheckAtModel must come first.");
    }

    /// <summary>Records the component's signature, versions and loader name.</summary>
    public void SetVersionInfo(VersionInfo ver)
    {
        if (ver.LoaderSignature is null)
            throw new ArgumentOutOfRangeException(nameof(ver), "The version info has no loader signature.");
        _version = ver;
    }

    /// <summary>Writes a side entry "<see cref="Directory"/>/<paramref name="name"/>" as UTF-8 text.</summary>
    public void SaveTextStream(string name, Action<TextWriter> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        _repository.WriteEntry(SideEntry(name), s =>
        {
            using var writer = new StreamWriter(s, new UTF8Encoding(false));
            action(writer);
        });
    }

    /// <summary>Writes a side entry "<see cref="Directory"/>/<paramref name="name"/>" in binary; streamed, so it suits large weights.</summary>
    public void SaveBinaryStream(string name, Action<BinaryWriter> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        _repository.WriteEntry(SideEntry(name), s =>
        {
            using var writer = new BinaryWriter(s, new UTF8Encoding(false));
            action(writer);
        });
    }

    /// <summary>Writes a string (or null) as an index into the string table.</summary>
    public void SaveStringOrNull(string? str) => Writer.Write(str is null ? -1 : Intern(str));

    /// <summary>Writes a non-null string as an index into the string table.</summary>
    public void SaveString(string str) => Writer.Write(Intern(str ?? throw new ArgumentNullException(nameof(str))));

    /// <summary>Writes a string as an index into the string table.</summary>
    public void SaveString(ReadOnlyMemory<char> str) => SaveString(str.ToString());

    /// <summary>Writes a non-empty string as an index into the string table.</summary>
    public void SaveNonEmptyString(string str)
    {
        if (string.IsNullOrEmpty(str))
            throw new ArgumentOutOfRangeException(nameof(str), "The string cannot be null or empty.");
        SaveString(str);
    }

    /// <summary>Writes a non-empty string as an index into the string table.</summary>
    public void SaveNonEmptyString(ReadOnlyMemory<char> str) => SaveNonEmptyString(str.ToString());

    /// <summary>Saves <paramref name="value"/> (an <see cref="ICanSaveModel"/>) in the sub-folder <paramref name="name"/>.</summary>
    public void SaveModel<T>(T value, string name)
        where T : class
    {
        if (string.IsNullOrEmpty(name) || name.Contains('/') || name.Contains('\\') || name == "..")
            throw new ArgumentOutOfRangeException(nameof(name), $"'{name}' is not a valid sub-model folder name.");
        SaveModel(_repository, value, ModelFormat.Combine(Directory, name));
    }

    /// <summary>Runs <paramref name="fn"/> with a context for the sub-folder <paramref name="dir"/>, then writes it.</summary>
    public void SaveSubModel(string dir, Action<ModelSaveContext> fn)
    {
        ArgumentNullException.ThrowIfNull(fn);
        using var ctx = new ModelSaveContext(_repository, ModelFormat.Combine(Directory, dir));
        fn(ctx);
        ctx.Done();
    }

    /// <summary>Writes the Model.key entry; called by the framework after the component's Save.</summary>
    public void Done()
    {
        if (_done)
            return;
        if (_version is not { } version)
            throw new InvalidOperationException($"The component saved at '{Directory}' did not call SetVersionInfo, so it could not be loaded again.");
        _done = true;
        Writer.Flush();
        _repository.WriteEntry(ModelFormat.Combine(Directory, ModelFormat.ModelStreamName), s =>
        {
            using var w = new BinaryWriter(s, new UTF8Encoding(false));
            w.Write(ModelFormat.Magic);
            w.Write(ModelFormat.EntryFormatVersion);
            w.Write(version.ModelSignature);
            w.Write(version.VerWrittenCur);
            w.Write(version.VerReadableCur);
            w.Write(version.VerWeCanReadBack);
            WriteText(w, version.LoaderSignature);
            WriteText(w, version.LoaderAssemblyName);
            w.Write(_payload.Length);
            w.Write(_payload.GetBuffer(), 0, (int)_payload.Length);
            w.Write(_strings.Count);
            foreach (var str in _strings)
                WriteText(w, str);
            w.Write(ModelFormat.Tail);
        });
    }

    /// <summary>Releases the payload buffer.</summary>
    public void Dispose()
    {
        Writer.Dispose();
        _payload.Dispose();
    }

    internal static void SaveModel<T>(RepositoryWriter repository, T value, string directory)
        where T : class
    {
        if (value is not ICanSaveModel saveable)
            throw new InvalidOperationException($"{value?.GetType().Name ?? "null"} cannot be saved: it does not implement ICanSaveModel.");
        using var ctx = new ModelSaveContext(repository, directory);
        saveable.Save(ctx);
        ctx.Done();
    }

    private int Intern(string str)
    {
        if (!_stringIds.TryGetValue(str, out int id))
        {
            id = _strings.Count;
            _strings.Add(str);
            _stringIds[str] = id;
        }
        return id;
    }

    private string SideEntry(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('/') || name.Contains('\\') || name == ModelFormat.ModelStreamName || name is "." or "..")
            throw new ArgumentOutOfRangeException(nameof(name), $"'{name}' is not a valid side stream name.");
        return ModelFormat.Combine(Directory, name);
    }

    private static void WriteText(BinaryWriter w, string? text)
    {
        if (text is null)
        {
            w.Write(-1);
            return;
        }
        var bytes = Encoding.UTF8.GetBytes(text);
        w.Write(bytes.Length);
        w.Write(bytes);
    }
}
