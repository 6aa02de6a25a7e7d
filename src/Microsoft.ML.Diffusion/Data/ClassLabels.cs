using Microsoft.ML.Data;

namespace Microsoft.ML.Diffusion;

/// <summary>The class of each training image as an index into the class embedding: 0 = no class, 1…K the classes.</summary>
/// <param name="Classes">One index per image, in row order.</param>
/// <param name="ClassCount">K.</param>
/// <param name="Names">The classes' names (a key column's KeyValues), or null.</param>
internal sealed record TrainingLabels(long[] Classes, int ClassCount, string[]? Names);

/// <summary>
/// Reads class labels, for training and for generation requests. A key column's values are the embedding indices
/// already (0 = missing = no class); an integer column holds classes 0…K − 1 (index = value + 1); a text column
/// (generation only) is matched against the saved class names. Every bad value names the column and row.
/// </summary>
internal static class ClassLabels
{
    private const string KeyValues = "KeyValues";

    public static TrainingLabels Read(IDataView data, DiffusionEstimator.Options options)
    {
        string name = options.LabelColumnName!;
        var column = data.Schema.GetColumnOrNull(name) ?? throw new ArgumentOutOfRangeException(nameof(options.LabelColumnName),
            $"Could not find label column '{name}' (LabelColumnName); expected a key column (MapValueToKey) or an Int32/Int64/UInt32 column.");
        int classCount;
        string[]? names = null;
        if (column.Type is KeyDataViewType key)
        {
            if (key.Count == 0 || key.Count > ModelBounds.MaxClasses)
                throw new ArgumentOutOfRangeException(nameof(options.LabelColumnName),
                    $"Label column '{name}' is a key column of {key.Count} values; it must have 1…{ModelBounds.MaxClasses}.");
            if (options.ClassCount is int stated && (ulong)stated != key.Count)
                throw new ArgumentException(
                    $"Option 'ClassCount' is {stated}, but label column '{name}' is a key column of {key.Count} values; set ClassCount to null or {key.Count}.",
                    nameof(options.ClassCount));
            classCount = (int)key.Count;
            names = Names(column);
        }
        else if (IsInteger(column.Type))
        {
            classCount = options.ClassCount ?? throw new ArgumentException(
                $"Label column '{name}' holds {column.Type} values; set Option 'ClassCount' to the number of classes (the values must be 0…ClassCount − 1).",
                nameof(options.ClassCount));
        }
        else
            throw new ArgumentOutOfRangeException(nameof(options.LabelColumnName),
                $"Schema mismatch for label column '{name}': expected a key column (MapValueToKey) or Int32/Int64/UInt32, got {column.Type}.");

        var classes = new List<long>();
        using var cursor = data.GetRowCursor([column]);
        var getter = Getter(cursor, column, classCount, names: null);
        long value = 0;
        while (cursor.MoveNext())
        {
            getter(ref value);
            classes.Add(value);
        }
        return new TrainingLabels(classes.ToArray(), classCount, names);
    }

    /// <summary>
    /// A getter of the embedding index of <paramref name="column"/> in <paramref name="row"/>: a key column (index = key),
    /// an integer column (index = value + 1), or, when <paramref name="names"/> is given, a text column of class names
    /// (an empty text is no class).
    /// </summary>
    public static ValueGetter<long> Getter(DataViewRow row, DataViewSchema.Column column, int classCount, string[]? names)
    {
        string where() => $"Row {row.Position} of label column '{column.Name}'";
        if (column.Type is KeyDataViewType key)
        {
            var raw = Widened(row, column);
            // Keys with names are matched by name, so a request's own MapValueToKey (another key order) means the same classes.
            if (names is not null && Names(column) is string[] keyNames)
            {
                var index = names.Select((n, i) => (n, i)).GroupBy(p => p.n).ToDictionary(g => g.Key, g => g.First().i + 1L);
                return (ref long value) =>
                {
                    ulong k = raw();
                    if (k == 0 || k > (ulong)keyNames.Length) { value = 0; return; }
                    string s = keyNames[k - 1];
                    if (!index.TryGetValue(s, out value))
                        throw new InvalidOperationException($"{where()} holds '{s}', which is no class of the model; the classes are {string.Join(", ", names.Select(n => $"'{n}'"))}.");
                };
            }
            if (key.Count != (ulong)classCount)
                throw new ArgumentOutOfRangeException(nameof(column),
                    $"Label column '{column.Name}' is a key column of {key.Count} values, but the model has {classCount} classes.");
            return (ref long value) =>
            {
                ulong k = raw();
                if (k > (ulong)classCount) throw new InvalidOperationException($"{where()} holds key {k}; keys of {classCount} classes are 0 (missing) to {classCount}.");
                value = (long)k;
            };
        }
        if (IsInteger(column.Type))
        {
            var signed = Signed(row, column);
            return (ref long value) =>
            {
                long v = signed();
                if (v < 0 || v >= classCount)
                    throw new InvalidOperationException($"{where()} holds {v}; class labels must be 0…{classCount - 1} (ClassCount {classCount}).");
                value = v + 1;
            };
        }
        if (column.Type is TextDataViewType && names is not null)
        {
            var text = row.GetGetter<ReadOnlyMemory<char>>(column);
            ReadOnlyMemory<char> buffer = default;
            var index = names.Select((n, i) => (n, i)).GroupBy(p => p.n).ToDictionary(g => g.Key, g => g.First().i + 1L);
            return (ref long value) =>
            {
                text(ref buffer);
                string s = buffer.ToString();
                if (s.Length == 0) { value = 0; return; }
                if (!index.TryGetValue(s, out value))
                    throw new InvalidOperationException($"{where()} holds '{s}', which is no class of the model; the classes are {string.Join(", ", names.Select(n => $"'{n}'"))}.");
            };
        }
        string accepted = names is null ? "a key column of the model's classes or an Int32/Int64/UInt32 column" : "a key column, an Int32/Int64/UInt32 column or a text column of class names";
        throw new ArgumentOutOfRangeException(nameof(column), $"Schema mismatch for label column '{column.Name}': expected {accepted}, got {column.Type}.");
    }

    private static bool IsInteger(DataViewType type) =>
        type == NumberDataViewType.Int32 || type == NumberDataViewType.Int64 || type == NumberDataViewType.UInt32;

    private static Func<long> Signed(DataViewRow row, DataViewSchema.Column column)
    {
        if (column.Type == NumberDataViewType.Int64) { var g = row.GetGetter<long>(column); long v = 0; return () => { g(ref v); return v; }; }
        if (column.Type == NumberDataViewType.Int32) { var g = row.GetGetter<int>(column); int v = 0; return () => { g(ref v); return v; }; }
        var u = row.GetGetter<uint>(column);
        uint w = 0;
        return () => { u(ref w); return w; };
    }

    private static Func<ulong> Widened(DataViewRow row, DataViewSchema.Column column)
    {
        var raw = column.Type.RawType;
        if (raw == typeof(uint)) { var g = row.GetGetter<uint>(column); uint v = 0; return () => { g(ref v); return v; }; }
        if (raw == typeof(ulong)) { var g = row.GetGetter<ulong>(column); ulong v = 0; return () => { g(ref v); return v; }; }
        if (raw == typeof(ushort)) { var g = row.GetGetter<ushort>(column); ushort v = 0; return () => { g(ref v); return v; }; }
        var b = row.GetGetter<byte>(column);
        byte w = 0;
        return () => { b(ref w); return w; };
    }

    // The KeyValues annotation of a key column, when it is a text vector of one name per key.
    private static string[]? Names(DataViewSchema.Column column)
    {
        var annotation = column.Annotations.Schema.GetColumnOrNull(KeyValues);
        if (annotation is not { Type: VectorDataViewType { ItemType: TextDataViewType } }) return null;
        VBuffer<ReadOnlyMemory<char>> values = default;
        column.Annotations.GetValue(KeyValues, ref values);
        var names = values.DenseValues().Select(v => v.ToString()).ToArray();
        return names.Length == (int)((KeyDataViewType)column.Type).Count ? names : null;
    }
}
