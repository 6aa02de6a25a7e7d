// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

namespace Microsoft.ML.Data;

/// <summary>Maps .NET types (optionally qualified by a <see cref="DataViewTypeAttribute"/>) to custom column types.</summary>
public static class DataViewTypeManager
{
    private static readonly object s_lock = new();
    private static readonly List<(Type RawType, DataViewTypeAttribute? Attribute, DataViewType DataViewType)> s_entries = new();

    static DataViewTypeManager()
    {
        // An MLImage member without [ImageType] is an image of unknown size, as in upstream.
        s_entries.Add((typeof(MLImage), null, new Transforms.Image.ImageDataViewType()));
    }

    /// <summary>Registers <paramref name="dataViewType"/> for members of <paramref name="type"/> carrying <paramref name="typeAttribute"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The type/attribute pair is already registered to a different column type.</exception>
    public static void Register(DataViewType dataViewType, Type type, DataViewTypeAttribute? typeAttribute = null)
    {
        ArgumentNullException.ThrowIfNull(dataViewType);
        ArgumentNullException.ThrowIfNull(type);
        if (dataViewType.RawType != type)
            throw new ArgumentOutOfRangeException(nameof(type), $"Type {type.Name} cannot be registered for {dataViewType}, whose raw type is {dataViewType.RawType.Name}.");
        lock (s_lock)
        {
            int index = Find(type, typeAttribute);
            if (index >= 0)
            {
                if (!s_entries[index].DataViewType.Equals(dataViewType))
                    throw new ArgumentOutOfRangeException(nameof(dataViewType), $"Type {type.Name} with attribute {typeAttribute} is already registered as {s_entries[index].DataViewType}, not {dataViewType}.");
                return;
            }
            s_entries.Add((type, typeAttribute, dataViewType));
        }
    }

    internal static bool Knows(Type type, IEnumerable<Attribute>? attributes) => TryGet(type, attributes, out _);

    internal static bool TryGet(Type type, IEnumerable<Attribute>? attributes, out DataViewType dataViewType)
    {
        var attribute = attributes?.OfType<DataViewTypeAttribute>().SingleOrDefault();
        lock (s_lock)
        {
            int index = Find(type, attribute);
            dataViewType = index >= 0 ? s_entries[index].DataViewType : null!;
            return index >= 0;
        }
    }

    private static int Find(Type type, DataViewTypeAttribute? attribute)
    {
        for (int i = 0; i < s_entries.Count; i++)
        {
            var entry = s_entries[i];
            if (entry.RawType == type && (entry.Attribute is null ? attribute is null : attribute is not null && entry.Attribute.Equals(attribute)))
                return i;
        }
        return -1;
    }
}
