// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

namespace Microsoft.ML.Data;

internal static class GetterHelpers
{
    /// <summary>
    /// A getter that computes <paramref name="map"/> once per row: image work is expensive, and a row's value may be
    /// read several times (e.g. by two downstream columns). Results are immutable images, so sharing them is safe.
    /// </summary>
    public static ValueGetter<TOut> Memoize<TIn, TOut>(DataViewRow input, DataViewSchema.Column column, Func<TIn, TOut> map)
    {
        var source = input.GetGetter<TIn>(column);
        TIn buffer = default!;
        TOut cached = default!;
        long position = long.MinValue;
        return (ref TOut value) =>
        {
            long current = input.Position;
            if (current != position || current < 0)
            {
                source(ref buffer);
                cached = map(buffer);
                position = current;
            }
            value = cached;
        };
    }
}
