using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace Microsoft.ML.Diffusion.Experiments;

/// <summary>
/// What an experiment can learn about its data from the schema and the first row, before any trial: a problem found here
/// would fail every trial the same way.
/// </summary>
internal static class ExperimentData
{
    /// <summary>Throws an <see cref="ArgumentException"/> for <paramref name="parameter"/> when the view lacks a usable, non-empty image column.</summary>
    /// <param name="data">The training or validation view.</param>
    /// <param name="parameter">Its parameter name.</param>
    /// <param name="role">"training" or "validation", for the message.</param>
    /// <param name="column">The image column (BaseOptions.InputColumnName).</param>
    public static void Require(IDataView data, string parameter, string role, string column)
    {
        var found = data.Schema.GetColumnOrNull(column);
        if (found is not { IsHidden: false } c)
            throw new ArgumentException(
                $"The {role} data has no column '{column}' (BaseOptions.InputColumnName); its columns are {string.Join(", ", data.Schema.Where(x => !x.IsHidden).Select(x => $"'{x.Name}'"))}.",
                parameter);
        bool usable = c.Type is ImageDataViewType || c.Type is VectorDataViewType { ItemType: var item, IsKnownSize: true } && item == NumberDataViewType.Single;
        if (!usable)
            throw new ArgumentException($"Column '{column}' of the {role} data is {c.Type}; expected Image or a known-size Vector<Single> of C×H×W.", parameter);
        // No column is active, so nothing is decoded: this only asks whether a first row exists.
        using var cursor = data.GetRowCursor([]);
        if (!cursor.MoveNext())
            throw new ArgumentException($"The {role} data has no rows; an experiment needs at least one {role} image in column '{column}'.", parameter);
    }
}
