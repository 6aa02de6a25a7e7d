// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

using Microsoft.ML.Data;

namespace Microsoft.ML;

/// <summary>A lazily evaluated, column-oriented table of rows read through cursors.</summary>
public interface IDataView
{
    /// <summary>Whether <see cref="GetRowCursor"/> honours a non-null random generator by shuffling rows.</summary>
    bool CanShuffle { get; }

    /// <summary>The number of rows when it is known cheaply; otherwise <see langword="null"/>.</summary>
    long? GetRowCount();

    /// <summary>Creates a cursor over the rows with only <paramref name="columnsNeeded"/> active.</summary>
    /// <param name="columnsNeeded">Columns whose getters may be requested; other getters throw.</param>
    /// <param name="rand">When not null and <see cref="CanShuffle"/> is true, rows come in a random order drawn from it.</param>
    DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null);

    /// <summary>Creates up to <paramref name="n"/> cursors that together visit every row once; may return a single cursor.</summary>
    DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null);

    /// <summary>The schema of the rows.</summary>
    DataViewSchema Schema { get; }
}

/// <summary>Reads a value into a caller-owned buffer, reusing it where possible.</summary>
public delegate void ValueGetter<TValue>(ref TValue value);

/// <summary>One row of a data view, exposing typed getters for its active columns.</summary>
public abstract class DataViewRow : IDisposable
{
    /// <summary>The zero-based row index, or -1 before the first row and after the end.</summary>
    public abstract long Position { get; }

    /// <summary>Identifies the cursor set a row came from; rows of one batch are in position order.</summary>
    public abstract long Batch { get; }

    /// <summary>Returns a getter for a unique, stable identifier of the current row.</summary>
    public abstract ValueGetter<DataViewRowId> GetIdGetter();

    /// <summary>Whether <paramref name="column"/> was requested when the cursor was made.</summary>
    public abstract bool IsColumnActive(DataViewSchema.Column column);

    /// <summary>Returns a getter for an active column; throws if the column is inactive or <typeparamref name="TValue"/> is not its raw type.</summary>
    public abstract ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column);

    /// <summary>The schema of this row.</summary>
    public abstract DataViewSchema Schema { get; }

    /// <summary>Releases the row's resources.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases resources; override to release owned cursors.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }
}

/// <summary>A row that can move forward through a data view.</summary>
public abstract class DataViewRowCursor : DataViewRow
{
    /// <summary>Advances to the next row; returns false (and sets <see cref="DataViewRow.Position"/> to -1) at the end.</summary>
    public abstract bool MoveNext();
}
