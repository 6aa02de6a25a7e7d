// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

namespace Microsoft.ML.Data;

/// <summary>Position bookkeeping shared by this library's cursors: -1 before the first row and for ever after the end.</summary>
internal abstract class CursorBase : DataViewRowCursor
{
    private long _position = -1;
    private bool _ended;

    public sealed override long Position => _position;

    public override long Batch => 0;

    public sealed override bool MoveNext()
    {
        if (_ended)
            return false;
        if (MoveNextCore())
        {
            _position++;
            return true;
        }
        _ended = true;
        _position = -1;
        return false;
    }

    /// <summary>Advances the underlying source; false at its end.</summary>
    protected abstract bool MoveNextCore();

    public override ValueGetter<DataViewRowId> GetIdGetter() =>
        (ref DataViewRowId value) =>
        {
            CheckOnRow();
            value = new DataViewRowId((ulong)_position, 0);
        };

    protected void CheckOnRow()
    {
        if (_position < 0)
            throw new InvalidOperationException(_ended ? "The cursor has moved past the last row; values cannot be read." : "Call MoveNext before reading values from the cursor.");
    }

    protected void CheckColumn(DataViewSchema.Column column)
    {
        if ((uint)column.Index >= (uint)Schema.Count || Schema[column.Index].Name != column.Name)
            throw new ArgumentOutOfRangeException(nameof(column), $"Column '{column.Name}' (index {column.Index}) does not belong to this cursor's schema.");
    }

    protected static InvalidOperationException Inactive(DataViewSchema.Column column) =>
        new($"Column '{column.Name}' is not active in this cursor; request it in GetRowCursor's columnsNeeded.");

    protected static InvalidOperationException WrongType<TValue>(DataViewSchema.Column column) =>
        new($"Invalid TValue in GetGetter: column '{column.Name}' has type {column.Type} (raw type {column.Type.RawType.Name}), not {typeof(TValue).Name}.");
}

/// <summary>A cursor that forwards columns to another cursor and only changes which rows are visited.</summary>
internal abstract class ForwardingCursor : CursorBase
{
    protected ForwardingCursor(DataViewRowCursor source)
    {
        Source = source;
    }

    protected DataViewRowCursor Source { get; }

    public override DataViewSchema Schema => Source.Schema;

    public override bool IsColumnActive(DataViewSchema.Column column) => Source.IsColumnActive(column);

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => Source.GetGetter<TValue>(column);

    public override ValueGetter<DataViewRowId> GetIdGetter() => Source.GetIdGetter();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            Source.Dispose();
        base.Dispose(disposing);
    }
}
