using Microsoft.ML.Data;

namespace Microsoft.ML.Diffusion;

/// <summary>
/// Reads an image column so that an image that cannot be decoded names its row and its file. ML.NET's LoadImages
/// reports a corrupt file as "Invalid input stream contents (Parameter 'imageStream')", which names neither.
/// </summary>
internal static class ImageReading
{
    /// <summary>A cursor over <paramref name="column"/> and the view's text columns, which hold the file paths of loaded images.</summary>
    public static DataViewRowCursor OpenCursor(IDataView data, DataViewSchema.Column column) =>
        data.GetRowCursor(TextColumns(data.Schema).Append(column).DistinctBy(c => c.Index));

    /// <summary>The column's getter; a decoding failure becomes an <see cref="InvalidDataException"/> naming the row and its text values.</summary>
    public static ValueGetter<MLImage> Getter(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        var getter = cursor.GetGetter<MLImage>(column);
        var texts = TextColumns(cursor.Schema).Where(cursor.IsColumnActive)
            .Select(c => (c.Name, Get: cursor.GetGetter<ReadOnlyMemory<char>>(c))).ToList();
        return (ref MLImage image) =>
        {
            try
            {
                getter(ref image);
            }
            catch (Exception e) when (e is ArgumentException or IOException)
            {
                var values = texts.Select(t =>
                {
                    ReadOnlyMemory<char> value = default;
                    t.Get(ref value);
                    return $"{t.Name} = '{value}'";
                });
                string source = texts.Count == 0 ? "" : $"; the row has {string.Join(", ", values)}";
                throw new InvalidDataException($"Row {cursor.Position} of image column '{column.Name}' cannot be read as an image ({e.Message}){source}.", e);
            }
        };
    }

    private static IEnumerable<DataViewSchema.Column> TextColumns(DataViewSchema schema) =>
        schema.Where(c => !c.IsHidden && c.Type is TextDataViewType);
}
