// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

using System.Reflection;

namespace Microsoft.ML.Data;

/// <summary>The columns of a POCO type: which member maps to which column and with what type.</summary>
public sealed class SchemaDefinition : List<SchemaDefinition.Column>
{
    private SchemaDefinition()
    {
    }

    /// <summary>Which members to consider: readable, writable or both.</summary>
    [Flags]
    public enum Direction
    {
        /// <summary>Members that can be read.</summary>
        Read = 1,

        /// <summary>Members that can be written.</summary>
        Write = 2,

        /// <summary>Both.</summary>
        Both = Read | Write,
    }

    /// <summary>The first column named <paramref name="columnName"/> (null if none); setting replaces it or adds one.</summary>
    public Column? this[string columnName]
    {
        get => this.FirstOrDefault(c => c.ColumnName == columnName);
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            if (value.ColumnName != columnName)
                throw new ArgumentOutOfRangeException(nameof(columnName), $"The column name is specified as '{value.ColumnName}' but must match the selector '{columnName}'.");
            int index = FindIndex(c => c.ColumnName == columnName);
            if (index >= 0)
                this[index] = value;
            else
                Add(value);
        }
    }

    /// <summary>Derives the columns of <paramref name="userType"/> from its public fields and properties and their attributes.</summary>
    public static SchemaDefinition Create(Type userType, Direction direction = Direction.Both)
    {
        ArgumentNullException.ThrowIfNull(userType);
        var definition = new SchemaDefinition();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in GetMembers(userType, direction))
        {
            if (member.GetCustomAttribute<NoColumnAttribute>() is not null)
                continue;
            string name = member.GetCustomAttribute<ColumnNameAttribute>()?.Name ?? member.Name;
            if (!names.Add(name))
                throw new ArgumentOutOfRangeException(nameof(userType), $"Duplicate column name '{name}' detected in {userType.Name}, this is disallowed.");
            definition.Add(new Column(member.Name, InferType(userType, member), name));
        }
        return definition;
    }

    internal static IEnumerable<MemberInfo> GetMembers(Type userType, Direction direction)
    {
        foreach (var field in userType.GetFields(BindingFlags.Public | BindingFlags.Instance))
        {
            if (!field.IsLiteral)
                yield return field;
        }
        foreach (var property in userType.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length != 0)
                continue;
            bool readable = (direction & Direction.Read) != 0 && property.GetGetMethod() is not null;
            bool writable = (direction & Direction.Write) != 0 && property.GetSetMethod() is not null;
            if (readable || writable)
                yield return property;
        }
    }

    internal static Type MemberType(MemberInfo member) => member switch
    {
        FieldInfo f => f.FieldType,
        PropertyInfo p => p.PropertyType,
        _ => throw new NotSupportedException($"Member {member.Name} is neither a field nor a property."),
    };

    private static DataViewType InferType(Type userType, MemberInfo member)
    {
        var attributes = member.GetCustomAttributes().ToArray();
        var typeAttributes = attributes.OfType<DataViewTypeAttribute>().ToArray();
        if (typeAttributes.Length > 1)
            throw new ArgumentOutOfRangeException(nameof(userType), $"Member {member.Name} cannot be marked with multiple attributes derived from {nameof(DataViewTypeAttribute)}.");
        if (typeAttributes.Length == 1)
            typeAttributes[0].Register();

        var memberType = MemberType(member);
        if (DataViewTypeManager.TryGet(memberType, attributes, out var custom))
            return custom;
        if (typeAttributes.Length == 1)
            throw new ArgumentOutOfRangeException(nameof(userType), $"Member {member.Name} of type {memberType.Name} is marked with {typeAttributes[0].GetType().Name}, which does not apply to that type.");

        bool isVector = TryGetVectorItemType(memberType, out var itemRawType);
        var vectorAttribute = member.GetCustomAttribute<VectorTypeAttribute>();
        if (vectorAttribute is not null && !isVector)
            throw new ArgumentOutOfRangeException(nameof(userType), $"Member {member.Name} is marked with {nameof(VectorTypeAttribute)}, but its type {memberType.Name} is not an array or VBuffer.");

        PrimitiveDataViewType itemType;
        var keyAttribute = member.GetCustomAttribute<KeyTypeAttribute>();
        if (keyAttribute is not null)
        {
            if (!KeyDataViewType.IsValidDataType(itemRawType))
                throw new ArgumentOutOfRangeException(nameof(userType), $"Member {member.Name} is marked with KeyType, but {itemRawType.Name} cannot hold keys (use byte, ushort, uint or ulong).");
            itemType = new KeyDataViewType(itemRawType, keyAttribute.Count);
        }
        else
        {
            itemType = PrimitiveFromType(itemRawType)
                ?? throw new ArgumentOutOfRangeException(nameof(userType), $"Member {member.Name} of type {memberType.Name} cannot be mapped to a column type; use a primitive, string, array, VBuffer or a type registered with DataViewTypeManager.");
        }

        if (!isVector)
            return itemType;
        var dims = vectorAttribute?.Dims ?? Array.Empty<int>();
        if (dims.Any(d => d < 0))
            throw new ArgumentOutOfRangeException(nameof(userType), $"Some of member {member.Name}'s dimension lengths are negative.");
        return dims.Length == 0 ? new VectorDataViewType(itemType, 0) : new VectorDataViewType(itemType, dims);
    }

    internal static bool TryGetVectorItemType(Type type, out Type itemType)
    {
        if (type.IsArray && type.GetArrayRank() == 1)
        {
            itemType = type.GetElementType()!;
            return true;
        }
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(VBuffer<>))
        {
            itemType = type.GetGenericArguments()[0];
            return true;
        }
        itemType = type;
        return false;
    }

    internal static PrimitiveDataViewType? PrimitiveFromType(Type type)
    {
        if (type == typeof(string) || type == typeof(ReadOnlyMemory<char>))
            return TextDataViewType.Instance;
        if (type == typeof(bool))
            return BooleanDataViewType.Instance;
        if (type == typeof(DateTime))
            return DateTimeDataViewType.Instance;
        if (type == typeof(DateTimeOffset))
            return DateTimeOffsetDataViewType.Instance;
        if (type == typeof(TimeSpan))
            return TimeSpanDataViewType.Instance;
        if (type == typeof(DataViewRowId))
            return RowIdDataViewType.Instance;
        return NumberDataViewType.FromRawType(type);
    }

    /// <summary>One column of a POCO type.</summary>
    public sealed class Column
    {
        private readonly Dictionary<string, (DataViewType Type, Delegate Getter)> _annotations = new(StringComparer.Ordinal);

        internal Column(string memberName, DataViewType columnType, string? columnName = null)
        {
            if (string.IsNullOrEmpty(memberName))
                throw new ArgumentOutOfRangeException(nameof(memberName), "memberName cannot be null or empty");
            MemberName = memberName;
            ColumnName = columnName ?? memberName;
            ColumnType = columnType;
        }

        /// <summary>The member the column reads or writes.</summary>
        public string MemberName { get; }

        /// <summary>The column name.</summary>
        public string ColumnName { get; set; }

        /// <summary>The column type.</summary>
        public DataViewType ColumnType { get; set; }

        /// <summary>Adds a constant annotation of kind <paramref name="kind"/>.</summary>
        public void AddAnnotation<T>(string kind, T value, DataViewType annotationType)
        {
            ArgumentNullException.ThrowIfNull(kind);
            ArgumentNullException.ThrowIfNull(annotationType);
            if (_annotations.ContainsKey(kind))
                throw new InvalidOperationException($"Column '{ColumnName}' already contains an annotation of kind '{kind}'.");
            _annotations[kind] = (annotationType, (ValueGetter<T>)((ref T dst) => dst = value));
        }

        internal void SetAnnotations(DataViewSchema.Annotations annotations) => Annotations = annotations;

        /// <summary>The column's annotations.</summary>
        public DataViewSchema.Annotations Annotations
        {
            get
            {
                if (_explicitAnnotations is not null)
                    return _explicitAnnotations;
                var builder = new DataViewSchema.Annotations.Builder();
                foreach (var pair in _annotations)
                    builder.Add(pair.Key, pair.Value.Type, pair.Value.Getter);
                return builder.ToAnnotations();
            }
            private set => _explicitAnnotations = value;
        }

        private DataViewSchema.Annotations? _explicitAnnotations;
    }
}
