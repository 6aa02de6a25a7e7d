// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace Microsoft.ML;

/// <summary>Operations on data: loading POCOs, reading rows back, shuffling, and splitting.</summary>
public sealed class DataOperationsCatalog
{
    internal DataOperationsCatalog(IHostEnvironment env)
    {
        Environment = env;
    }

    internal IHostEnvironment Environment { get; }

    /// <summary>A train/test pair of views.</summary>
    public struct TrainTestData
    {
        /// <summary>The training rows.</summary>
        public readonly IDataView TrainSet;

        /// <summary>The test rows.</summary>
        public readonly IDataView TestSet;

        internal TrainTestData(IDataView trainSet, IDataView testSet)
        {
            TrainSet = trainSet;
            TestSet = testSet;
        }
    }

    /// <summary>A lazy view over <paramref name="data"/>: every cursor enumerates it again.</summary>
    public IDataView LoadFromEnumerable<TRow>(IEnumerable<TRow> data, SchemaDefinition? schemaDefinition = null)
        where TRow : class
    {
        ArgumentNullException.ThrowIfNull(data);
        return new EnumerableDataView<TRow>(data, schemaDefinition ?? SchemaDefinition.Create(typeof(TRow), SchemaDefinition.Direction.Read));
    }

    /// <summary>A lazy view over <paramref name="data"/> whose column types and annotations come from <paramref name="schema"/>.</summary>
    public IDataView LoadFromEnumerable<TRow>(IEnumerable<TRow> data, DataViewSchema schema)
        where TRow : class
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(schema);
        var definition = SchemaDefinition.Create(typeof(TRow), SchemaDefinition.Direction.Read);
        foreach (var column in definition)
        {
            var match = schema.GetColumnOrNull(column.ColumnName);
            if (match is null)
                continue;
            column.ColumnType = match.Value.Type;
            column.SetAnnotations(match.Value.Annotations);
        }
        return new EnumerableDataView<TRow>(data, definition);
    }

    /// <summary>Reads the rows of <paramref name="data"/> into objects of <typeparamref name="TRow"/>.</summary>
    /// <param name="data">The view to read.</param>
    /// <param name="reuseRowObject">Whether one object is filled again for every row.</param>
    /// <param name="ignoreMissingColumns">Whether members without a matching column are left alone instead of failing.</param>
    /// <param name="schemaDefinition">Overrides the member-to-column mapping.</param>
    public IEnumerable<TRow> CreateEnumerable<TRow>(IDataView data, bool reuseRowObject, bool ignoreMissingColumns = false, SchemaDefinition? schemaDefinition = null)
        where TRow : class, new() =>
        TypedEnumerable.Create<TRow>(data, reuseRowObject, ignoreMissingColumns, schemaDefinition);

    /// <summary>Shuffles rows through a pool of <paramref name="shufflePoolSize"/> rows, shuffling the source too when it can.</summary>
    public IDataView ShuffleRows(IDataView input, int? seed = null, int shufflePoolSize = 1000, bool shuffleSource = true)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (shufflePoolSize < 1)
            throw new ArgumentOutOfRangeException(nameof(shufflePoolSize), $"shufflePoolSize must be at least 1; got {shufflePoolSize}.");
        return new ShuffledDataView(input, seed ?? Environment.Register(nameof(ShuffleRows)).Rand.Next(), shufflePoolSize, shuffleSource);
    }

    /// <summary>Skips the first <paramref name="count"/> rows.</summary>
    public IDataView SkipRows(IDataView input, long count)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (count < 0)
            throw new ArgumentOutOfRangeException(nameof(count), $"count must not be negative; got {count}.");
        return new RowRangeDataView(input, count, long.MaxValue);
    }

    /// <summary>Keeps the first <paramref name="count"/> rows.</summary>
    public IDataView TakeRows(IDataView input, long count)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (count < 0)
            throw new ArgumentOutOfRangeException(nameof(count), $"count must not be negative; got {count}.");
        return new RowRangeDataView(input, 0, count);
    }

    /// <summary>
    /// Splits rows randomly into train and test sets. Each row goes to the test set when a hash of the seed and its
    /// sampling key (or its position when <paramref name="samplingKeyColumnName"/> is null) falls below
    /// <paramref name="testFraction"/>, so rows with equal keys stay together.
    /// </summary>
    public TrainTestData TrainTestSplit(IDataView data, double testFraction = 0.1, string? samplingKeyColumnName = null, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!(testFraction > 0 && testFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(testFraction), $"testFraction must be strictly between 0 and 1; got {testFraction}.");
        int actualSeed = seed ?? Environment.Register(nameof(TrainTestSplit)).Rand.Next();
        DataViewSchema.Column[] dependencies = Array.Empty<DataViewSchema.Column>();
        if (samplingKeyColumnName is not null)
        {
            var column = data.Schema.GetColumnOrNull(samplingKeyColumnName)
                ?? throw new ArgumentOutOfRangeException(nameof(samplingKeyColumnName), $"Could not find sampling key column '{samplingKeyColumnName}'.");
            if (column.Type is not PrimitiveDataViewType)
                throw new ArgumentOutOfRangeException(nameof(samplingKeyColumnName), $"Schema mismatch for sampling key column '{samplingKeyColumnName}': expected a scalar, got {column.Type}.");
            dependencies = new[] { column };
        }

        Func<DataViewRowCursor, Func<bool>> Make(bool test) => cursor =>
        {
            var key = dependencies.Length == 0 ? null : KeyHasher.Make(cursor, dependencies[0]);
            long row = -1;
            return () =>
            {
                row++;
                ulong hash = key is null ? KeyHasher.Mix((ulong)row, actualSeed) : KeyHasher.Mix(key(), actualSeed);
                bool inTest = (hash >> 11) * (1.0 / (1UL << 53)) < testFraction;
                return inTest == test;
            };
        };

        return new TrainTestData(new FilterDataView(data, dependencies, Make(false)), new FilterDataView(data, dependencies, Make(true)));
    }
}

/// <summary>Hashes sampling-key values for TrainTestSplit.</summary>
internal static class KeyHasher
{
    public static ulong Mix(ulong value, int seed)
    {
        ulong z = value + 0x9E3779B97F4A7C15UL * (ulong)(uint)seed + 0x632BE59BD9B4E019UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public static Func<ulong> Make(DataViewRow row, DataViewSchema.Column column)
    {
        var method = typeof(KeyHasher).GetMethod(nameof(MakeTyped), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(column.Type.RawType);
        return (Func<ulong>)method.Invoke(null, new object[] { row, column })!;
    }

    private static Func<ulong> MakeTyped<T>(DataViewRow row, DataViewSchema.Column column)
    {
        var getter = row.GetGetter<T>(column);
        T value = default!;
        return () =>
        {
            getter(ref value);
            // Stable across processes, unlike string.GetHashCode, so a seed always yields the same split.
            string text = value is ReadOnlyMemory<char> m ? m.ToString() : Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
            ulong h = 14695981039346656037UL;
            foreach (char c in text)
                h = (h ^ c) * 1099511628211UL;
            return h;
        };
    }
}
