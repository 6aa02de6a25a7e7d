// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

namespace Microsoft.ML.Data;

/// <summary>Maps single rows: the row-by-row form of a transformer.</summary>
public interface IRowToRowMapper
{
    /// <summary>The expected input schema.</summary>
    DataViewSchema InputSchema { get; }

    /// <summary>The output schema.</summary>
    DataViewSchema OutputSchema { get; }

    /// <summary>The input columns needed to compute <paramref name="dependingColumns"/> of the output.</summary>
    IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns);

    /// <summary>Wraps <paramref name="input"/> as an output row with <paramref name="activeColumns"/> active.</summary>
    DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns);
}
