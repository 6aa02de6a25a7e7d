// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

using System.Text;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace Microsoft.ML;

/// <summary>
/// The "Schema" entry: magic "MLCSCHEM", int32 version (1), int32 column count, then per column a UTF-8 name
/// (int32 length + bytes) and a type tag (see <see cref="Tag"/>) with its parameters. Annotations are not kept.
/// </summary>
internal static class SchemaSerializer
{
    private static readonly byte[] s_magic = "MLCSCHEM"u8.ToArray();
    private const int Version = 1;
    private const int MaxColumns = 1 << 20;

    private enum Tag : byte
    {
        Number = 1,
        Text = 2,
        Boolean = 3,
        DateTime = 4,
        DateTimeOffset = 5,
        TimeSpan = 6,
        RowId = 7,
        Key = 8,
        Vector = 9,
        Image = 10,
    }

    private static readonly NumberDataViewType[] s_numbers =
    {
        NumberDataViewType.SByte, NumberDataViewType.Byte, NumberDataViewType.Int16, NumberDataViewType.UInt16,
        NumberDataViewType.Int32, NumberDataViewType.UInt32, NumberDataViewType.Int64, NumberDataViewType.UInt64,
        NumberDataViewType.Single, NumberDataViewType.Double,
    };

    public static void Write(Stream stream, DataViewSchema schema)
    {
        using var w = new BinaryWriter(stream, new UTF8Encoding(false), leaveOpen: true);
        w.Write(s_magic);
        w.Write(Version);
        w.Write(schema.Count);
        foreach (var column in schema)
        {
            var name = Encoding.UTF8.GetBytes(column.Name);
            w.Write(name.Length);
            w.Write(name);
            WriteType(w, column.Type, column.Name);
        }
    }

    public static DataViewSchema Read(byte[] bytes)
    {
        const string entry = ModelFormat.SchemaEntry;
        try
        {
            using var r = new BinaryReader(new MemoryStream(bytes, writable: false));
            if (!r.ReadBytes(8).AsSpan().SequenceEqual(s_magic))
                throw ModelFormat.Corrupt(entry, "it does not start with the schema signature.");
            int version = r.ReadInt32();
            if (version != Version)
                throw new FormatException($"The model entry '{entry}' has schema format version {version}; this library reads version {Version}.");
            int count = r.ReadInt32();
            if (count < 0 || count > MaxColumns)
                throw ModelFormat.Corrupt(entry, $"the column count {count} is invalid.");
            var builder = new DataViewSchema.Builder();
            for (int i = 0; i < count; i++)
            {
                int length = r.ReadInt32();
                if (length <= 0 || length > bytes.Length - r.BaseStream.Position)
                    throw ModelFormat.Corrupt(entry, $"the declared size {length} of column name {i} is larger than the bytes left in the entry.");
                string name = Encoding.UTF8.GetString(r.ReadBytes(length));
                builder.AddColumn(name, ReadType(r, name));
            }
            if (r.BaseStream.Position != bytes.Length)
                throw ModelFormat.Corrupt(entry, "there are extra bytes after the last column.");
            return builder.ToSchema();
        }
        catch (EndOfStreamException)
        {
            throw ModelFormat.Corrupt(entry, "it ends before the last column (the entry is truncated).");
        }
        catch (ArgumentException ex)
        {
            throw ModelFormat.Corrupt(entry, ex.Message);
        }
    }

    private static void WriteType(BinaryWriter w, DataViewType type, string column)
    {
        switch (type)
        {
            case NumberDataViewType n:
                w.Write((byte)Tag.Number);
                w.Write((byte)Array.IndexOf(s_numbers, n));
                break;
            case TextDataViewType:
                w.Write((byte)Tag.Text);
                break;
            case BooleanDataViewType:
                w.Write((byte)Tag.Boolean);
                break;
            case DateTimeDataViewType:
                w.Write((byte)Tag.DateTime);
                break;
            case DateTimeOffsetDataViewType:
                w.Write((byte)Tag.DateTimeOffset);
                break;
            case TimeSpanDataViewType:
                w.Write((byte)Tag.TimeSpan);
                break;
            case RowIdDataViewType:
                w.Write((byte)Tag.RowId);
                break;
            case KeyDataViewType k:
                w.Write((byte)Tag.Key);
                w.Write((byte)Array.IndexOf(s_numbers, NumberDataViewType.FromRawType(k.RawType)!));
                w.Write(k.Count);
                break;
            case VectorDataViewType v:
                w.Write((byte)Tag.Vector);
                WriteType(w, v.ItemType, column);
                w.Write(v.Dimensions.Length);
                foreach (int d in v.Dimensions)
                    w.Write(d);
                break;
            case ImageDataViewType image:
                w.Write((byte)Tag.Image);
                w.Write(image.Height);
                w.Write(image.Width);
                break;
            default:
                throw new NotSupportedException($"Column '{column}' has type {type}, which the model's schema entry cannot store.");
        }
    }

    private static DataViewType ReadType(BinaryReader r, string column)
    {
        const string entry = ModelFormat.SchemaEntry;
        var tag = (Tag)r.ReadByte();
        switch (tag)
        {
            case Tag.Number:
                return Number(r.ReadByte());
            case Tag.Text:
                return TextDataViewType.Instance;
            case Tag.Boolean:
                return BooleanDataViewType.Instance;
            case Tag.DateTime:
                return DateTimeDataViewType.Instance;
            case Tag.DateTimeOffset:
                return DateTimeOffsetDataViewType.Instance;
            case Tag.TimeSpan:
                return TimeSpanDataViewType.Instance;
            case Tag.RowId:
                return RowIdDataViewType.Instance;
            case Tag.Key:
                return new KeyDataViewType(Number(r.ReadByte()).RawType, r.ReadUInt64());
            case Tag.Vector:
                var item = ReadType(r, column) as PrimitiveDataViewType ?? throw ModelFormat.Corrupt(entry, $"column '{column}' is a vector of a non-primitive type.");
                int rank = r.ReadInt32();
                if (rank <= 0 || rank > 16)
                    throw ModelFormat.Corrupt(entry, $"column '{column}' has an invalid vector rank {rank}.");
                var dims = new int[rank];
                for (int i = 0; i < rank; i++)
                    dims[i] = r.ReadInt32();
                return new VectorDataViewType(item, dims);
            case Tag.Image:
                int height = r.ReadInt32();
                int width = r.ReadInt32();
                return height == 0 && width == 0 ? new ImageDataViewType() : new ImageDataViewType(height, width);
            default:
                throw ModelFormat.Corrupt(entry, $"column '{column}' has an unknown type tag {(byte)tag}.");
        }

        static NumberDataViewType Number(byte code) =>
            code < s_numbers.Length ? s_numbers[code] : throw ModelFormat.Corrupt(ModelFormat.SchemaEntry, $"unknown number type code {code}.");
    }
}
