// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace Microsoft.ML;

/// <summary>Saving and loading models, and single-row prediction.</summary>
public sealed class ModelOperationsCatalog
{
    internal ModelOperationsCatalog(IHostEnvironment env)
    {
        Environment = env;
    }

    internal IHostEnvironment Environment { get; }

    /// <summary>Writes <paramref name="model"/> and <paramref name="inputSchema"/> (either may be null) as a model zip to <paramref name="stream"/>.</summary>
    public void Save(ITransformer? model, DataViewSchema? inputSchema, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanWrite)
            throw new ArgumentOutOfRangeException(nameof(stream), "The stream must be writable.");
        using var repository = new RepositoryWriter(stream);
        if (model is not null)
            ModelSaveContext.SaveModel(repository, model, ModelFormat.RootDirectory);
        if (inputSchema is not null)
            repository.WriteEntry(ModelFormat.SchemaEntry, s => SchemaSerializer.Write(s, inputSchema));
    }

    /// <summary>
    /// Writes the model zip to <paramref name="filePath"/>. It is written to a temporary file next to it and then
    /// renamed, so a crash never leaves a half-written model at <paramref name="filePath"/>.
    /// </summary>
    public void Save(ITransformer? model, DataViewSchema? inputSchema, string filePath)
    {
        if (string.IsNullOrEmpty(filePath))
            throw new ArgumentOutOfRangeException(nameof(filePath), "filePath cannot be null or empty");
        string full = Path.GetFullPath(filePath);
        string temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                Save(model, inputSchema, stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            try
            {
                File.Delete(temp);
            }
            catch (IOException)
            {
                // The original error matters more than a leftover temporary file.
            }
            throw;
        }
    }

    /// <summary>Loads a model zip; <paramref name="inputSchema"/> is null when none was saved (not annotated nullable, as upstream is nullable-oblivious).</summary>
    public ITransformer Load(Stream stream, out DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var repository = new RepositoryReader(stream);
        inputSchema = repository.Contains(ModelFormat.SchemaEntry)
            ? SchemaSerializer.Read(repository.ReadAll(ModelFormat.SchemaEntry, ModelFormat.MaxModelEntryBytes))
            : null!;
        if (!repository.Contains(ModelFormat.Combine(ModelFormat.RootDirectory, ModelFormat.ModelStreamName)))
            throw new FormatException($"The model has no '{ModelFormat.RootDirectory}/{ModelFormat.ModelStreamName}' entry: it was saved without a transformer.");
        return ModelLoadContext.LoadModel<ITransformer>(Environment, repository, ModelFormat.RootDirectory);
    }

    /// <summary>Loads a model zip from <paramref name="filePath"/>.</summary>
    public ITransformer Load(string filePath, out DataViewSchema inputSchema)
    {
        if (string.IsNullOrEmpty(filePath))
            throw new ArgumentOutOfRangeException(nameof(filePath), "filePath cannot be null or empty");
        if (!File.Exists(filePath))
            throw new FileNotFoundException($"The model file '{filePath}' does not exist.", filePath);
        using var stream = File.OpenRead(filePath);
        try
        {
            return Load(stream, out inputSchema);
        }
        catch (FormatException ex)
        {
            throw new FormatException($"Cannot load model '{filePath}': {ex.Message}", ex);
        }
    }

    /// <summary>Creates an engine that runs <paramref name="transformer"/> on single objects.</summary>
    public PredictionEngine<TSrc, TDst> CreatePredictionEngine<TSrc, TDst>(ITransformer transformer, bool ignoreMissingColumns = true,
        SchemaDefinition? inputSchemaDefinition = null, SchemaDefinition? outputSchemaDefinition = null)
        where TSrc : class
        where TDst : class, new() =>
        new(Environment, transformer, ignoreMissingColumns, inputSchemaDefinition, outputSchemaDefinition);

    /// <summary>Creates an engine whose input column types come from <paramref name="inputSchema"/>.</summary>
    public PredictionEngine<TSrc, TDst> CreatePredictionEngine<TSrc, TDst>(ITransformer transformer, DataViewSchema inputSchema)
        where TSrc : class
        where TDst : class, new()
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var definition = SchemaDefinition.Create(typeof(TSrc), SchemaDefinition.Direction.Read);
        foreach (var column in definition)
        {
            if (inputSchema.GetColumnOrNull(column.ColumnName) is { } match)
                column.ColumnType = match.Type;
        }
        return new PredictionEngine<TSrc, TDst>(Environment, transformer, true, definition, null);
    }
}
