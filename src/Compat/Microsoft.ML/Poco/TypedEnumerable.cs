// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

namespace Microsoft.ML.Data;

/// <summary>Reads the rows of a data view into POCOs; each enumeration opens a new cursor.</summary>
internal static class TypedEnumerable
{
    public static IEnumerable<TRow> Create<TRow>(IDataView data, bool reuseRowObject, bool ignoreMissingColumns, SchemaDefinition? definition, TRow? target = null)
        where TRow : class, new()
    {
        ArgumentNullException.ThrowIfNull(data);
        definition ??= SchemaDefinition.Create(typeof(TRow), SchemaDefinition.Direction.Write);
        var members = PocoMapping.Resolve(typeof(TRow), definition);
        var bound = new List<(PocoMapping.Member Member, DataViewSchema.Column Column)>();
        foreach (var member in members)
        {
            var column = data.Schema.GetColumnOrNull(member.Column.ColumnName);
            if (column is null)
            {
                if (ignoreMissingColumns)
                    continue;
                throw new ArgumentOutOfRangeException(nameof(data), $"Could not find column '{member.Column.ColumnName}' (for member {typeof(TRow).Name}.{member.Info.Name}) in the data.");
            }
            CheckCompatible(member, column.Value);
            bound.Add((member, column.Value));
        }
        return Enumerate<TRow>(data, bound, reuseRowObject, target);
    }

    private static IEnumerable<TRow> Enumerate<TRow>(IDataView data, List<(PocoMapping.Member Member, DataViewSchema.Column Column)> bound, bool reuseRowObject, TRow? target)
        where TRow : class, new()
    {
        using var cursor = data.GetRowCursor(bound.Select(b => b.Column));
        var setters = bound.Select(b => PocoMapping.MakeSetter<TRow>(b.Member, cursor, b.Column)).ToArray();
        TRow? reused = target;
        while (cursor.MoveNext())
        {
            var row = reuseRowObject ? reused ??= new TRow() : new TRow();
            foreach (var set in setters)
                set(row);
            yield return row;
        }
    }

    private static void CheckCompatible(PocoMapping.Member member, DataViewSchema.Column column)
    {
        var expected = member.Column.ColumnType;
        bool ok = expected.RawType == column.Type.RawType;
        if (ok && expected is VectorDataViewType ev && column.Type is VectorDataViewType av)
            ok = !ev.IsKnownSize || ev.Size == av.Size;
        if (ok && expected is KeyDataViewType ek && column.Type is KeyDataViewType ak)
            ok = ek.Count == ak.Count;
        if (!ok)
            throw new ArgumentOutOfRangeException(nameof(member), $"Schema mismatch for column '{column.Name}': expected {expected}, got {column.Type}.");
    }
}
