using Microsoft.ML.Data;

namespace Microsoft.ML.Diffusion;

/// <summary>
/// Reads an image column so that an image that cannot be decoded, or comes from a truncated or damaged PNG or JPEG
/// file (<see cref="ImageFileIntegrity"/>), names its row and its file. ML.NET's LoadImages reports a corrupt file as
/// "Invalid input stream contents (Parameter 'imageStream')", which names neither, and decodes a truncated one.
/// </summary>
internal static class ImageReading
{
    /// <summary>A cursor over <paramref name="column"/> and the view's text columns, which hold the file paths of loaded images.</summary>
    public static DataViewRowCursor OpenCursor(IDataView data, DataViewSchema.Column column) =>
        data.GetRowCursor(TextColumns(data.Schema).Append(column).DistinctBy(c => c.Index));

    /// <summary>The column's getter; a decoding failure or a damaged file becomes an <see cref="InvalidDataException"/> naming the row and its text values.</summary>
    public static ValueGetter<MLImage> Getter(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        var getter = cursor.GetGetter<MLImage>(column);
        var texts = TextColumns(cursor.Schema).Where(cursor.IsColumnActive)
            .Select(c => (c.Name, Get: cursor.GetGetter<ReadOnlyMemory<char>>(c))).ToList();
        string Source()
        {
            var values = texts.Select(t =>
            {
                ReadOnlyMemory<char> value = default;
                t.Get(ref value);
                return $"{t.Name} = '{value}'";
            });
            return texts.Count == 0 ? "" : $"; the row has {string.Join(", ", values)}";
        }
        return (ref MLImage image) =>
        {
            try
            {
                getter(ref image);
            }
            catch (Exception e) when (e is ArgumentException or IOException)
            {
                throw new InvalidDataException($"Row {cursor.Position} of image column '{column.Name}' cannot be read as an image ({e.Message}){Source()}.", e);
            }
            if (FileProblem(image) is var (path, problem))
                throw new InvalidDataException($"Row {cursor.Position} of image column '{column.Name}' comes from '{path}', where {problem}{Source()}.");
        };
    }

    // ML.NET's LoadImages tags each image with the path of its file; only such images can be checked against their bytes.
    private static (string Path, string Problem)? FileProblem(MLImage? image)
    {
        if (image?.Tag is not { Length: > 0 } path || !File.Exists(path)) return null;
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (path, $"the file cannot be read again to check it ({e.Message})");
        }
        return ImageFileIntegrity.Problem(bytes) is string problem ? (path, problem) : null;
    }

    private static IEnumerable<DataViewSchema.Column> TextColumns(DataViewSchema schema) =>
        schema.Where(c => !c.IsHidden && c.Type is TextDataViewType);
}
