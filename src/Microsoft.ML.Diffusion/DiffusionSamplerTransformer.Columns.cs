using Microsoft.ML.Data;

namespace Microsoft.ML.Diffusion;

// The generated columns, computed a batch of rows at a time by BatchedColumnsDataView: a row's request is its seed
// (the seed column, or the model seed plus the row position) and its class, and its image depends on nothing else.
public sealed partial class DiffusionSamplerTransformer : IBatchedColumns
{
    private sealed record Request(long Seed, long Label);

    int IBatchedColumns.BatchSize => _sampler.BatchSize;

    IReadOnlyList<DataViewSchema.Column> IBatchedColumns.RequestColumns(DataViewSchema input) =>
        new[] { SeedColumn(input), LabelColumn(input) }.OfType<DataViewSchema.Column>().ToList();

    Func<object> IBatchedColumns.RequestReader(DataViewRow row, DataViewSchema input)
    {
        var seed = SeedColumn(input) is { } s ? GeneratedColumns.SeedGetter(row, s) : null;
        var label = LabelColumn(input) is { } l ? LabelGetter(row, l) : null;
        return () =>
        {
            long value = Settings.Seed + row.Position, classIndex = 0;
            seed?.Invoke(ref value);
            label?.Invoke(ref classIndex);
            return new Request(value, classIndex);
        };
    }

    float[][] IBatchedColumns.Compute(IReadOnlyList<object> requests)
    {
        var rows = requests.Cast<Request>().ToArray();
        var pixels = GenerateBatch(rows.Select(r => r.Seed).ToArray(), rows.Select(r => r.Label).ToArray());
        return [pixels];   // one slot: the image column and the optional vector column show the same pixels
    }

    ValueGetter<TValue> IBatchedColumns.Getter<TValue>(DataViewSchema.Column column, Func<int, ReadOnlyMemory<float>> slot) =>
        column.Name == Settings.OutputColumnName ? GeneratedColumns.ImageGetter<TValue>(column, () => ToImage(slot(0).Span))
            : GeneratedColumns.VectorGetter<TValue>(column, () => ToOutputVector(slot(0).Span));

    /// <summary>A getter of a request row's class-embedding index (0 = no class).</summary>
    internal ValueGetter<long> LabelGetter(DataViewRow row, DataViewSchema.Column column) =>
        ClassLabels.Getter(row, column, ClassCount, Settings.LabelNames);
}
