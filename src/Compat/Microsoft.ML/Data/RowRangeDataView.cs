// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

namespace Microsoft.ML.Data;

/// <summary>The rows [skip, skip + take) of a source view (SkipRows/TakeRows).</summary>
internal sealed class RowRangeDataView : IDataView
{
    private readonly IDataView _source;
    private readonly long _skip;
    private readonly long _take;

    public RowRangeDataView(IDataView source, long skip, long take)
    {
        _source = source;
        _skip = skip;
        _take = take;
    }

    public DataViewSchema Schema => _source.Schema;

    // Shuffling the source would change which rows fall in the range, so the range is never shuffled.
    public bool CanShuffle => false;

    public long? GetRowCount()
    {
        var count = _source.GetRowCount();
        return count is null ? null : Math.Max(0, Math.Min(_take, count.Value - _skip));
    }

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(_source.GetRowCursor(columnsNeeded), _skip, _take);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        new[] { GetRowCursor(columnsNeeded, rand) };

    private sealed class Cursor : ForwardingCursor
    {
        private long _toSkip;
        private long _left;

        public Cursor(DataViewRowCursor source, long skip, long take)
            : base(source)
        {
            _toSkip = skip;
            _left = take;
        }

        protected override bool MoveNextCore()
        {
            while (_toSkip > 0)
            {
                if (!Source.MoveNext())
                    return false;
                _toSkip--;
            }
            if (_left <= 0)
                return false;
            _left--;
            return Source.MoveNext();
        }
    }
}

/// <summary>The rows of a source view that a predicate keeps (used by TrainTestSplit).</summary>
internal sealed class FilterDataView : IDataView
{
    private readonly IDataView _source;
    private readonly Func<DataViewRowCursor, Func<bool>> _makePredicate;
    private readonly DataViewSchema.Column[] _dependencies;

    public FilterDataView(IDataView source, DataViewSchema.Column[] dependencies, Func<DataViewRowCursor, Func<bool>> makePredicate)
    {
        _source = source;
        _dependencies = dependencies;
        _makePredicate = makePredicate;
    }

    public DataViewSchema Schema => _source.Schema;

    // The predicate may depend on source order (row positions), so the source is always read in order.
    public bool CanShuffle => false;

    public long? GetRowCount() => null;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var needed = columnsNeeded.Concat(_dependencies).DistinctBy(c => c.Index).ToArray();
        var source = _source.GetRowCursor(needed);
        return new Cursor(source, _makePredicate(source), columnsNeeded.Select(c => c.Index).ToHashSet());
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        new[] { GetRowCursor(columnsNeeded, rand) };

    private sealed class Cursor : ForwardingCursor
    {
        private readonly Func<bool> _keep;
        private readonly HashSet<int> _requested;

        public Cursor(DataViewRowCursor source, Func<bool> keep, HashSet<int> requested)
            : base(source)
        {
            _keep = keep;
            _requested = requested;
        }

        // Columns activated only for the predicate stay invisible to the caller, as the cursor contract requires.
        public override bool IsColumnActive(DataViewSchema.Column column) => _requested.Contains(column.Index) && Source.IsColumnActive(column);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            CheckColumn(column);
            if (!_requested.Contains(column.Index))
                throw Inactive(column);
            return Source.GetGetter<TValue>(column);
        }

        protected override bool MoveNextCore()
        {
            while (Source.MoveNext())
            {
                if (_keep())
                    return true;
            }
            return false;
        }
    }
}
