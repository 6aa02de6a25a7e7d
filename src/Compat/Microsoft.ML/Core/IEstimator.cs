// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

using Microsoft.ML.Data;

namespace Microsoft.ML;

/// <summary>A component that can write itself into a model.</summary>
public interface ICanSaveModel
{
    /// <summary>Writes the component into <paramref name="ctx"/>.</summary>
    void Save(ModelSaveContext ctx);
}

/// <summary>Turns a source of type <typeparamref name="TSource"/> into a data view.</summary>
public interface IDataLoader<in TSource> : ICanSaveModel
{
    /// <summary>Loads the data lazily.</summary>
    IDataView Load(TSource input);

    /// <summary>The schema of loaded data.</summary>
    DataViewSchema GetOutputSchema();
}

/// <summary>Trains a data loader.</summary>
public interface IDataLoaderEstimator<in TSource, out TLoader>
    where TLoader : IDataLoader<TSource>
{
    /// <summary>Trains the loader.</summary>
    TLoader Fit(TSource input);

    /// <summary>The shape of the loader's output.</summary>
    SchemaShape GetOutputSchema();
}

/// <summary>A trained, lazy mapping from one data view to another.</summary>
public interface ITransformer : ICanSaveModel
{
    /// <summary>The schema <see cref="Transform"/> would produce for <paramref name="inputSchema"/>; throws if the input is unsuitable.</summary>
    DataViewSchema GetOutputSchema(DataViewSchema inputSchema);

    /// <summary>Maps the data lazily: no rows are read until a cursor moves.</summary>
    IDataView Transform(IDataView input);

    /// <summary>Whether the transformer maps each row independently.</summary>
    bool IsRowToRowMapper { get; }

    /// <summary>A row-by-row view of the transformer.</summary>
    IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema);
}

/// <summary>Trains a transformer from data.</summary>
public interface IEstimator<out TTransformer>
    where TTransformer : ITransformer
{
    /// <summary>Trains on <paramref name="input"/>.</summary>
    TTransformer Fit(IDataView input);

    /// <summary>The shape the trained transformer will produce; throws if the input is unsuitable.</summary>
    SchemaShape GetOutputSchema(SchemaShape inputSchema);
}
