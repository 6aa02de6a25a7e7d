// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

using System.Linq.Expressions;
using System.Reflection;

namespace Microsoft.ML.Data;

/// <summary>Compiled accessors between the members of a POCO type and column values.</summary>
internal static class PocoMapping
{
    public sealed record Member(SchemaDefinition.Column Column, MemberInfo Info, Type MemberType);

    public static Member[] Resolve(Type rowType, SchemaDefinition definition)
    {
        var members = new List<Member>();
        foreach (var column in definition)
        {
            var info = (MemberInfo?)rowType.GetField(column.MemberName, BindingFlags.Public | BindingFlags.Instance)
                ?? rowType.GetProperty(column.MemberName, BindingFlags.Public | BindingFlags.Instance)
                ?? throw new ArgumentOutOfRangeException(nameof(definition), $"Type {rowType.Name} has no public field or property '{column.MemberName}' for column '{column.ColumnName}'.");
            var type = SchemaDefinition.MemberType(info);
            if (column.ColumnType is null)
                throw new ArgumentOutOfRangeException(nameof(definition), $"Column '{column.ColumnName}' has no type.");
            CheckConvertible(type, column.ColumnType, column.ColumnName);
            members.Add(new Member(column, info, type));
        }
        return members.ToArray();
    }

    public static DataViewSchema ToSchema(IEnumerable<Member> members)
    {
        var builder = new DataViewSchema.Builder();
        foreach (var m in members)
            builder.AddColumn(m.Column.ColumnName, m.Column.ColumnType, m.Column.Annotations);
        return builder.ToSchema();
    }

    private static void CheckConvertible(Type memberType, DataViewType columnType, string name)
    {
        var raw = columnType.RawType;
        if (memberType == raw)
            return;
        if (raw == typeof(ReadOnlyMemory<char>) && memberType == typeof(string))
            return;
        if (raw.IsGenericType && raw.GetGenericTypeDefinition() == typeof(VBuffer<>) && memberType.IsArray && memberType.GetElementType() == raw.GetGenericArguments()[0])
            return;
        if (raw == typeof(VBuffer<ReadOnlyMemory<char>>) && memberType == typeof(string[]))
            return;
        throw new ArgumentOutOfRangeException(nameof(columnType), $"Column '{name}' of type {columnType} cannot be mapped to a member of type {memberType.Name}.");
    }

    /// <summary>A getter reading the member of the row object that <paramref name="currentRow"/> returns.</summary>
    public static Delegate MakeGetter<TRow>(Member member, Func<TRow?> currentRow)
        where TRow : class
    {
        var method = typeof(PocoMapping).GetMethod(nameof(MakeGetterCore), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(typeof(TRow), member.MemberType, member.Column.ColumnType.RawType);
        return (Delegate)method.Invoke(null, new object[] { member, currentRow })!;
    }

    /// <summary>An action copying a column value into the member of a row object.</summary>
    public static Action<TRow> MakeSetter<TRow>(Member member, DataViewRow source, DataViewSchema.Column column)
        where TRow : class
    {
        var method = typeof(PocoMapping).GetMethod(nameof(MakeSetterCore), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(typeof(TRow), member.MemberType, column.Type.RawType);
        return (Action<TRow>)method.Invoke(null, new object[] { member, source, column })!;
    }

    private static ValueGetter<TValue> MakeGetterCore<TRow, TMember, TValue>(Member member, Func<TRow?> currentRow)
        where TRow : class
    {
        var read = CompileReader<TRow, TMember>(member.Info);
        var convert = ToColumnValue<TMember, TValue>();
        string name = member.Column.ColumnName;
        return (ref TValue value) =>
        {
            var row = currentRow() ?? throw new InvalidOperationException($"The data contains a null row; cannot read column '{name}'.");
            convert(read(row), ref value);
        };
    }

    private static Action<TRow> MakeSetterCore<TRow, TMember, TValue>(Member member, DataViewRow source, DataViewSchema.Column column)
        where TRow : class
    {
        var write = CompileWriter<TRow, TMember>(member.Info);
        var read = member.Info is FieldInfo || (member.Info is PropertyInfo pi && pi.GetGetMethod() is not null) ? CompileReader<TRow, TMember>(member.Info) : null;
        var getter = source.GetGetter<TValue>(column);
        var convert = FromColumnValue<TValue, TMember>();
        TValue buffer = default!;
        return row =>
        {
            getter(ref buffer);
            var existing = read is null ? default : read(row);
            write(row, convert(buffer, existing));
        };
    }

    private delegate void Converter<TIn, TOut>(TIn input, ref TOut output);

    private static Converter<TMember, TValue> ToColumnValue<TMember, TValue>()
    {
        if (typeof(TMember) == typeof(TValue))
            return (Converter<TMember, TValue>)(object)(Converter<TValue, TValue>)((TValue v, ref TValue dst) => dst = v);
        if (typeof(TMember) == typeof(string) && typeof(TValue) == typeof(ReadOnlyMemory<char>))
            return (Converter<TMember, TValue>)(object)(Converter<string, ReadOnlyMemory<char>>)((string s, ref ReadOnlyMemory<char> dst) => dst = (s ?? string.Empty).AsMemory());
        if (typeof(TMember) == typeof(string[]) && typeof(TValue) == typeof(VBuffer<ReadOnlyMemory<char>>))
            return (Converter<TMember, TValue>)(object)(Converter<string[], VBuffer<ReadOnlyMemory<char>>>)((string[] s, ref VBuffer<ReadOnlyMemory<char>> dst) =>
            {
                var items = (s ?? Array.Empty<string>()).Select(x => (x ?? string.Empty).AsMemory()).ToArray();
                dst = new VBuffer<ReadOnlyMemory<char>>(items.Length, items);
            });
        var method = typeof(PocoMapping).GetMethod(nameof(ArrayToVBuffer), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(typeof(TValue).GetGenericArguments()[0]);
        return (Converter<TMember, TValue>)method.Invoke(null, null)!;
    }

    private static Converter<T[], VBuffer<T>> ArrayToVBuffer<T>() =>
        (T[] array, ref VBuffer<T> dst) =>
        {
            // Copies into the caller's buffer so that a getter's result never aliases the user's array.
            array ??= Array.Empty<T>();
            var editor = VBufferEditor.Create(ref dst, array.Length);
            array.AsSpan().CopyTo(editor.Values);
            dst = editor.Commit();
        };

    private static Func<TValue, TMember?, TMember> FromColumnValue<TValue, TMember>()
    {
        if (typeof(TMember) == typeof(TValue))
        {
            if (typeof(TValue).IsGenericType && typeof(TValue).GetGenericTypeDefinition() == typeof(VBuffer<>))
            {
                var method = typeof(PocoMapping).GetMethod(nameof(CopyVBuffer), BindingFlags.NonPublic | BindingFlags.Static)!
                    .MakeGenericMethod(typeof(TValue).GetGenericArguments()[0]);
                return (Func<TValue, TMember?, TMember>)method.Invoke(null, null)!;
            }
            return (v, _) => (TMember)(object)v!;
        }
        if (typeof(TMember) == typeof(string) && typeof(TValue) == typeof(ReadOnlyMemory<char>))
            return (Func<TValue, TMember?, TMember>)(object)(Func<ReadOnlyMemory<char>, string?, string>)((m, _) => m.ToString());
        if (typeof(TMember) == typeof(string[]) && typeof(TValue) == typeof(VBuffer<ReadOnlyMemory<char>>))
            return (Func<TValue, TMember?, TMember>)(object)(Func<VBuffer<ReadOnlyMemory<char>>, string[]?, string[]>)((v, _) => v.DenseValues().Select(m => m.ToString()).ToArray());
        var toArray = typeof(PocoMapping).GetMethod(nameof(VBufferToArray), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(typeof(TMember).GetElementType()!);
        return (Func<TValue, TMember?, TMember>)toArray.Invoke(null, null)!;
    }

    private static Func<VBuffer<T>, VBuffer<T>, VBuffer<T>> CopyVBuffer<T>() =>
        (source, existing) =>
        {
            source.CopyTo(ref existing);
            return existing;
        };

    private static Func<VBuffer<T>, T[]?, T[]> VBufferToArray<T>() =>
        (source, existing) =>
        {
            // Reuses the member's array when it has the right length (the reuseRowObject contract).
            var array = existing is not null && existing.Length == source.Length ? existing : new T[source.Length];
            source.CopyTo(array);
            return array;
        };

    private static Func<TRow, TMember> CompileReader<TRow, TMember>(MemberInfo info)
    {
        var row = Expression.Parameter(typeof(TRow), "row");
        Expression access = info is PropertyInfo p && p.GetGetMethod() is null
            ? throw new InvalidOperationException($"Property {info.Name} has no public getter.")
            : Expression.MakeMemberAccess(row, info);
        return Expression.Lambda<Func<TRow, TMember>>(access, row).Compile();
    }

    private static Action<TRow, TMember> CompileWriter<TRow, TMember>(MemberInfo info)
    {
        if (info is PropertyInfo p && p.GetSetMethod() is null)
            throw new ArgumentOutOfRangeException(nameof(info), $"Property {typeof(TRow).Name}.{info.Name} has no public setter, so column values cannot be written into it.");
        if (info is FieldInfo { IsInitOnly: true })
            throw new ArgumentOutOfRangeException(nameof(info), $"Field {typeof(TRow).Name}.{info.Name} is read-only, so column values cannot be written into it.");
        var row = Expression.Parameter(typeof(TRow), "row");
        var value = Expression.Parameter(typeof(TMember), "value");
        var assign = Expression.Assign(Expression.MakeMemberAccess(row, info), value);
        return Expression.Lambda<Action<TRow, TMember>>(assign, row, value).Compile();
    }
}
