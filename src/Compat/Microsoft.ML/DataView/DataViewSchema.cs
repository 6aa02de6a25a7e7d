// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

using System.Collections;
using Microsoft.ML.Data;

namespace Microsoft.ML;

/// <summary>The ordered columns of a data view; built only through <see cref="Builder"/>.</summary>
public sealed class DataViewSchema : IReadOnlyList<DataViewSchema.Column>
{
    private readonly Column[] _columns;
    private readonly Dictionary<string, int> _byName;

    private DataViewSchema(Column[] columns)
    {
        _columns = columns;
        _byName = new Dictionary<string, int>(StringComparer.Ordinal);
        // Later columns win, so a name maps to its last (visible) column.
        for (int i = 0; i < columns.Length; i++)
            _byName[columns[i].Name] = i;
    }

    /// <summary>The number of columns, hidden ones included.</summary>
    public int Count => _columns.Length;

    /// <summary>The last column named <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">There is no such column.</exception>
    public Column this[string name]
    {
        get
        {
            if (string.IsNullOrEmpty(name))
                throw new ArgumentNullException(nameof(name));
            if (!_byName.TryGetValue(name, out int index))
                throw new ArgumentOutOfRangeException(nameof(name), $"Column '{name}' not found");
            return _columns[index];
        }
    }

    /// <summary>The column at <paramref name="columnIndex"/>.</summary>
    public Column this[int columnIndex]
    {
        get
        {
            if ((uint)columnIndex >= (uint)_columns.Length)
                throw new ArgumentOutOfRangeException(nameof(columnIndex), $"Column index {columnIndex} is out of range; the schema has {_columns.Length} columns.");
            return _columns[columnIndex];
        }
    }

    /// <summary>The last column named <paramref name="name"/>, or null.</summary>
    public Column? GetColumnOrNull(string name)
    {
        if (name is null)
            throw new ArgumentNullException(nameof(name));
        return _byName.TryGetValue(name, out int index) ? _columns[index] : null;
    }

    /// <inheritdoc/>
    public IEnumerator<Column> GetEnumerator() => ((IEnumerable<Column>)_columns).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc/>
    public override string ToString() => $"{Count} columns";

    /// <summary>A column of a schema.</summary>
    public struct Column
    {
        /// <summary>The column name.</summary>
        public string Name { get; }

        /// <summary>The index in the schema.</summary>
        public int Index { get; }

        /// <summary>Whether a later column of the same name hides this one.</summary>
        public bool IsHidden { get; }

        /// <summary>The column type.</summary>
        public DataViewType Type { get; }

        /// <summary>The column annotations.</summary>
        public Annotations Annotations { get; }

        internal Column(string name, int index, bool isHidden, DataViewType type, Annotations annotations)
        {
            Name = name;
            Index = index;
            IsHidden = isHidden;
            Type = type;
            Annotations = annotations;
        }

        /// <inheritdoc/>
        public override string ToString()
        {
            string kinds = string.Join(", ", Annotations.Schema.Select(c => c.Name));
            return kinds.Length == 0 ? $"{Name}: {Type}" : $"{Name}: {Type} {{{kinds}}}";
        }
    }

    /// <summary>A column description not yet attached to a schema.</summary>
    public struct DetachedColumn
    {
        /// <summary>The column name.</summary>
        public string Name { get; }

        /// <summary>The column type.</summary>
        public DataViewType Type { get; }

        /// <summary>The column annotations.</summary>
        public Annotations Annotations { get; }

        /// <summary>Describes a column.</summary>
        public DetachedColumn(string name, DataViewType type, Annotations? annotations = null)
        {
            Name = name ?? throw new ArgumentNullException(nameof(name));
            Type = type ?? throw new ArgumentNullException(nameof(type));
            Annotations = annotations ?? Annotations.Empty;
        }

        /// <summary>Detaches <paramref name="column"/> from its schema.</summary>
        public DetachedColumn(Column column)
        {
            Name = column.Name;
            Type = column.Type;
            Annotations = column.Annotations;
        }
    }

    /// <summary>Named values describing a column (slot names, key values, ...), stored as a one-row schema with getters.</summary>
    public sealed class Annotations
    {
        private readonly Delegate[] _getters;

        /// <summary>The annotation kinds and their types.</summary>
        public DataViewSchema Schema { get; }

        /// <summary>No annotations.</summary>
        public static Annotations Empty { get; } = new Annotations(new DataViewSchema(Array.Empty<Column>()), Array.Empty<Delegate>());

        internal Annotations(DataViewSchema schema, Delegate[] getters)
        {
            Schema = schema;
            _getters = getters;
        }

        /// <summary>Returns the getter of the annotation described by <paramref name="column"/>.</summary>
        public ValueGetter<TValue> GetGetter<TValue>(Column column)
        {
            if ((uint)column.Index >= (uint)_getters.Length || !ReferenceEquals(Schema[column.Index].Type, column.Type) && !Schema[column.Index].Type.Equals(column.Type))
                throw new ArgumentOutOfRangeException(nameof(column), $"Annotation '{column.Name}' does not belong to these annotations.");
            if (_getters[column.Index] is not ValueGetter<TValue> getter)
                throw new InvalidOperationException($"Invalid call to '{nameof(GetGetter)}': annotation '{column.Name}' has type {column.Type}, not {typeof(TValue).Name}.");
            return getter;
        }

        /// <summary>Reads the annotation of kind <paramref name="kind"/>.</summary>
        public void GetValue<TValue>(string kind, ref TValue value)
        {
            var column = Schema.GetColumnOrNull(kind) ?? throw new InvalidOperationException($"Invalid call to '{nameof(GetValue)}': there is no annotation of kind '{kind}'.");
            GetGetter<TValue>(column)(ref value);
        }

        /// <inheritdoc/>
        public override string ToString() => string.Join(", ", Schema.Select(c => c.Name));

        /// <summary>Builds <see cref="Annotations"/>.</summary>
        public sealed class Builder
        {
            private readonly List<(string Name, DataViewType Type, Delegate Getter, Annotations? Annotations)> _items = new();

            /// <summary>Creates an empty builder.</summary>
            public Builder()
            {
            }

            /// <summary>Copies the annotations of <paramref name="annotations"/> whose kind <paramref name="selector"/> accepts.</summary>
            public void Add(Annotations annotations, Func<string, bool> selector)
            {
                ArgumentNullException.ThrowIfNull(annotations);
                ArgumentNullException.ThrowIfNull(selector);
                foreach (var column in annotations.Schema)
                {
                    if (selector(column.Name))
                        _items.Add((column.Name, column.Type, annotations._getters[column.Index], column.Annotations));
                }
            }

            /// <summary>Adds an annotation whose value is read through <paramref name="getter"/>.</summary>
            public void Add<TValue>(string name, DataViewType type, ValueGetter<TValue> getter, Annotations? annotations = null)
            {
                CheckArguments(name, type, getter);
                if (type.RawType != typeof(TValue))
                    throw new ArgumentException($"Annotation '{name}' has type {type} whose raw type is {type.RawType.Name}, but the getter reads {typeof(TValue).Name}.", nameof(getter));
                _items.Add((name, type, getter, annotations));
            }

            /// <summary>Adds an annotation with an untyped getter, which must be a <see cref="ValueGetter{TValue}"/> of the type's raw type.</summary>
            public void Add(string name, DataViewType type, Delegate getter, Annotations? annotations = null)
            {
                CheckArguments(name, type, getter);
                var expected = typeof(ValueGetter<>).MakeGenericType(type.RawType);
                if (getter.GetType() != expected)
                    throw new ArgumentException($"Annotation '{name}' needs a getter of type {expected.Name}<{type.RawType.Name}>, got {getter.GetType().Name}.", nameof(getter));
                _items.Add((name, type, getter, annotations));
            }

            /// <summary>Adds a constant primitive annotation.</summary>
            public void AddPrimitiveValue<TValue>(string name, PrimitiveDataViewType type, TValue value, Annotations? annotations = null)
            {
                ArgumentNullException.ThrowIfNull(type);
                Add(name, type, (ref TValue dst) => dst = value, annotations);
            }

            /// <summary>Creates the annotations.</summary>
            public Annotations ToAnnotations()
            {
                var builder = new DataViewSchema.Builder();
                foreach (var item in _items)
                    builder.AddColumn(item.Name, item.Type, item.Annotations);
                return new Annotations(builder.ToSchema(), _items.Select(i => i.Getter).ToArray());
            }

            private static void CheckArguments(string name, DataViewType type, Delegate getter)
            {
                if (string.IsNullOrEmpty(name))
                    throw new ArgumentOutOfRangeException(nameof(name), "name cannot be null or empty");
                ArgumentNullException.ThrowIfNull(type);
                ArgumentNullException.ThrowIfNull(getter);
            }
        }
    }

    /// <summary>Builds a <see cref="DataViewSchema"/>.</summary>
    public sealed class Builder
    {
        private readonly List<(string Name, DataViewType Type, Annotations? Annotations)> _items = new();

        /// <summary>Creates an empty builder.</summary>
        public Builder()
        {
        }

        /// <summary>Adds a column.</summary>
        public void AddColumn(string name, DataViewType type, Annotations? annotations = null)
        {
            if (string.IsNullOrEmpty(name))
                throw new ArgumentOutOfRangeException(nameof(name), "name cannot be null or empty");
            ArgumentNullException.ThrowIfNull(type);
            _items.Add((name, type, annotations));
        }

        /// <summary>Adds copies of <paramref name="source"/>, hidden ones included.</summary>
        public void AddColumns(IEnumerable<Column> source)
        {
            ArgumentNullException.ThrowIfNull(source);
            foreach (var column in source)
                AddColumn(column.Name, column.Type, column.Annotations);
        }

        /// <summary>Adds the detached columns.</summary>
        public void AddColumns(IEnumerable<DetachedColumn> source)
        {
            ArgumentNullException.ThrowIfNull(source);
            foreach (var column in source)
                AddColumn(column.Name, column.Type, column.Annotations);
        }

        /// <summary>Creates the schema; an earlier column sharing a later column's name becomes hidden.</summary>
        public DataViewSchema ToSchema()
        {
            var last = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int i = 0; i < _items.Count; i++)
                last[_items[i].Name] = i;
            var columns = new Column[_items.Count];
            for (int i = 0; i < columns.Length; i++)
                columns[i] = new Column(_items[i].Name, i, last[_items[i].Name] != i, _items[i].Type, _items[i].Annotations ?? Annotations.Empty);
            return new DataViewSchema(columns);
        }
    }
}
