// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

using System.Collections;
using Microsoft.ML.Data;

namespace Microsoft.ML;

/// <summary>The shape of a schema as estimators see it before any data flows: names, kinds and item types.</summary>
public sealed class SchemaShape : IReadOnlyList<SchemaShape.Column>
{
    private readonly Column[] _columns;

    /// <summary>Creates a shape from its columns.</summary>
    public SchemaShape(IEnumerable<Column> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        _columns = columns.ToArray();
    }

    /// <summary>The number of columns.</summary>
    public int Count => _columns.Length;

    /// <summary>The column at <paramref name="index"/>.</summary>
    public Column this[int index] => _columns[index];

    /// <inheritdoc/>
    public IEnumerator<Column> GetEnumerator() => ((IEnumerable<Column>)_columns).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The shape of one column.</summary>
    public struct Column
    {
        /// <summary>Whether a column is a scalar, a fixed-size vector or a variable-size vector.</summary>
        public enum VectorKind
        {
            /// <summary>A single value.</summary>
            Scalar,

            /// <summary>A vector of known size.</summary>
            Vector,

            /// <summary>A vector of variable size.</summary>
            VariableVector,
        }

        /// <summary>The column name.</summary>
        public readonly string Name;

        /// <summary>The vector kind.</summary>
        public readonly VectorKind Kind;

        /// <summary>The item type; for key columns the underlying number type.</summary>
        public readonly DataViewType ItemType;

        /// <summary>Whether the items are keys.</summary>
        public readonly bool IsKey;

        /// <summary>The shapes of the column's annotations.</summary>
        public readonly SchemaShape Annotations;

        /// <summary>Describes a column. Internal upstream; public here so that other packages can write estimators.</summary>
        public Column(string name, VectorKind vecKind, DataViewType itemType, bool isKey, SchemaShape? annotations = null)
        {
            if (string.IsNullOrEmpty(name))
                throw new ArgumentOutOfRangeException(nameof(name), "name cannot be null or empty");
            ArgumentNullException.ThrowIfNull(itemType);
            if (itemType is KeyDataViewType || itemType is VectorDataViewType)
                throw new ArgumentOutOfRangeException(nameof(itemType), $"The item type of column '{name}' must not be a key or vector type; got {itemType}.");
            Name = name;
            Kind = vecKind;
            ItemType = itemType;
            IsKey = isKey;
            Annotations = annotations ?? new SchemaShape(Array.Empty<Column>());
        }

        /// <summary>Whether a column of shape <paramref name="source"/> can be used where this one is expected.</summary>
        public bool IsCompatibleWith(Column source)
        {
            if (Name != source.Name || Kind != source.Kind || IsKey != source.IsKey || !ItemType.Equals(source.ItemType))
                return false;
            foreach (var annotation in Annotations)
            {
                if (!source.Annotations.TryFindColumn(annotation.Name, out var other) || !annotation.IsCompatibleWith(other))
                    return false;
            }
            return true;
        }

        /// <summary>A readable type such as "Vector&lt;Single&gt;" or "Key&lt;UInt32&gt;".</summary>
        public string GetTypeString()
        {
            string item = IsKey ? $"Key<{ItemType}>" : ItemType.ToString()!;
            return Kind switch
            {
                VectorKind.Vector => $"Vector<{item}>",
                VectorKind.VariableVector => $"VarVector<{item}>",
                _ => item,
            };
        }

        /// <summary>Whether this describes a column (a default value does not).</summary>
        public bool IsValid => Name != null;
    }

    /// <summary>Splits a column type into vector kind, item type and key flag.</summary>
    public static void GetColumnTypeShape(DataViewType type, out Column.VectorKind vecKind, out DataViewType itemType, out bool isKey)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (type is VectorDataViewType vector)
        {
            vecKind = vector.IsKnownSize ? Column.VectorKind.Vector : Column.VectorKind.VariableVector;
            itemType = vector.ItemType;
        }
        else
        {
            vecKind = Column.VectorKind.Scalar;
            itemType = type;
        }
        isKey = itemType is KeyDataViewType;
        if (isKey)
            itemType = NumberDataViewType.FromRawType(itemType.RawType)!;
    }

    /// <summary>The shape of the visible columns of <paramref name="schema"/>.</summary>
    public static SchemaShape Create(DataViewSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var columns = new List<Column>();
        foreach (var column in schema)
        {
            if (column.IsHidden)
                continue;
            GetColumnTypeShape(column.Type, out var kind, out var item, out bool isKey);
            var annotations = new List<Column>();
            foreach (var annotation in column.Annotations.Schema)
            {
                GetColumnTypeShape(annotation.Type, out var aKind, out var aItem, out bool aKey);
                annotations.Add(new Column(annotation.Name, aKind, aItem, aKey));
            }
            columns.Add(new Column(column.Name, kind, item, isKey, new SchemaShape(annotations)));
        }
        return new SchemaShape(columns);
    }

    /// <summary>Finds the last column named <paramref name="name"/>.</summary>
    public bool TryFindColumn(string name, out Column column)
    {
        for (int i = _columns.Length - 1; i >= 0; i--)
        {
            if (_columns[i].Name == name)
            {
                column = _columns[i];
                return true;
            }
        }
        column = default;
        return false;
    }
}
