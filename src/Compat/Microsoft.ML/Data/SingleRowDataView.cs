// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

namespace Microsoft.ML.Data;

/// <summary>A one-row view over an existing row, so that a row can be pushed through transformers.</summary>
internal sealed class SingleRowDataView : IDataView
{
    private readonly DataViewRow _row;

    public SingleRowDataView(DataViewRow row) => _row = row;

    public DataViewSchema Schema => _row.Schema;

    public bool CanShuffle => false;

    public long? GetRowCount() => 1;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(_row, columnsNeeded.Select(c => c.Index).ToHashSet());

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        new[] { GetRowCursor(columnsNeeded, rand) };

    private sealed class Cursor : CursorBase
    {
        private readonly DataViewRow _row;
        private readonly HashSet<int> _active;
        private bool _done;

        public Cursor(DataViewRow row, HashSet<int> active)
        {
            _row = row;
            _active = active;
        }

        public override DataViewSchema Schema => _row.Schema;

        public override bool IsColumnActive(DataViewSchema.Column column) => _active.Contains(column.Index) && _row.IsColumnActive(column);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            CheckColumn(column);
            if (!_active.Contains(column.Index))
                throw Inactive(column);
            return _row.GetGetter<TValue>(column);
        }

        protected override bool MoveNextCore()
        {
            if (_done)
                return false;
            _done = true;
            return true;
        }
    }
}
