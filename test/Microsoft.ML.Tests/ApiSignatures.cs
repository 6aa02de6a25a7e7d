using System.Reflection;
using System.Runtime.CompilerServices;

namespace Microsoft.ML.Tests;

/// <summary>Renders the public surface of an assembly as one C#-like line per member, for baseline comparison.</summary>
internal static class ApiSignatures
{
    private static readonly string[] s_namespaces =
        { "Microsoft.ML", "Microsoft.ML.Data", "Microsoft.ML.Runtime", "Microsoft.ML.Transforms.Image", "Microsoft.ML.AutoML", "Microsoft.ML.SearchSpace", "Microsoft.ML.SearchSpace.Option" };

    public static SortedSet<string> Of(Assembly assembly)
    {
        var lines = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var type in assembly.GetExportedTypes().Where(t => s_namespaces.Contains(t.Namespace)))
        {
            string owner = TypeName(type, qualified: true);
            lines.Add($"{owner} : {Kind(type)}");
            const BindingFlags flags = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            foreach (var member in type.GetMembers(flags))
            {
                string? line = member switch
                {
                    ConstructorInfo c when !type.IsEnum => $"ctor({Params(c.GetParameters())})",
                    MethodInfo m when !m.IsSpecialName && !IsRecordNoise(m) => $"{(m.IsStatic ? "static " : "")}{TypeName(m.ReturnType)} {m.Name}{Generic(m)}({Params(m.GetParameters())})",
                    PropertyInfo p => $"{(p.GetMethod?.IsStatic == true ? "static " : "")}{TypeName(p.PropertyType)} {(p.GetIndexParameters().Length > 0 ? $"this[{Params(p.GetIndexParameters())}]" : p.Name)} {{ {Accessors(p)}}}",
                    FieldInfo f when type.IsEnum && f.IsStatic => $"{f.Name} = {Convert.ToInt64(f.GetRawConstantValue())}",
                    FieldInfo f when !type.IsEnum => $"{(f.IsStatic ? "static " : "")}{(f.IsInitOnly ? "readonly " : "")}{(f.IsLiteral ? "const " : "")}{TypeName(f.FieldType)} {f.Name}",
                    EventInfo e => $"event {TypeName(e.EventHandlerType!)} {e.Name}",
                    _ => null,
                };
                if (line is not null)
                    lines.Add($"{owner} :: {line}");
            }
        }
        return lines;
    }

    private static bool IsRecordNoise(MethodInfo m) => m.Name is "<Clone>$";

    private static string Kind(Type t) =>
        t.IsEnum ? "enum" : t.IsInterface ? "interface" : t.IsValueType ? (t.IsDefined(typeof(IsReadOnlyAttribute)) ? "readonly struct" : "struct")
        : typeof(Delegate).IsAssignableFrom(t) ? "delegate" : t.IsAbstract && t.IsSealed ? "static class" : t.IsAbstract ? "abstract class" : t.IsSealed ? "sealed class" : "class";

    private static string Accessors(PropertyInfo p) =>
        (p.GetMethod?.IsPublic == true ? "get; " : "") + (p.SetMethod?.IsPublic == true ? "set; " : "");

    private static string Generic(MethodInfo m) =>
        m.IsGenericMethodDefinition ? "<" + string.Join(", ", m.GetGenericArguments().Select(a => a.Name)) + ">" : "";

    private static string Params(ParameterInfo[] ps) => string.Join(", ", ps.Select(p =>
    {
        string prefix = p.IsDefined(typeof(ParamArrayAttribute)) ? "params " : p.IsOut ? "out " : p.ParameterType.IsByRef ? "ref " : p.IsDefined(typeof(System.Runtime.CompilerServices.IsReadOnlyAttribute)) ? "in " : "";
        string text = $"{prefix}{TypeName(p.ParameterType)} {p.Name}";
        if (p.HasDefaultValue)
            text += " = " + Literal(p.RawDefaultValue, p.ParameterType);
        return text;
    }));

    private static string Literal(object? value, Type type) => value switch
    {
        null => type.IsValueType && Nullable.GetUnderlyingType(type) is null ? "default" : "null",
        string s => $"\"{s}\"",
        bool b => b ? "true" : "false",
        float f => f.ToString("R", System.Globalization.CultureInfo.InvariantCulture) + "f",
        double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        _ when type.IsEnum || Nullable.GetUnderlyingType(type)?.IsEnum == true => $"{(Nullable.GetUnderlyingType(type) ?? type).Name}.{Enum.ToObject(Nullable.GetUnderlyingType(type) ?? type, value)}",
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!,
    };

    private static string TypeName(Type t, bool qualified = false)
    {
        if (t.IsByRef)
            return TypeName(t.GetElementType()!, qualified);
        if (t.IsArray)
            return TypeName(t.GetElementType()!, qualified) + "[]";
        if (t.IsPointer)
            return TypeName(t.GetElementType()!, qualified) + "*";
        if (Nullable.GetUnderlyingType(t) is { } underlying)
            return TypeName(underlying, qualified) + "?";
        string? keyword = Type.GetTypeCode(t) switch
        {
            TypeCode.Boolean => "bool", TypeCode.Byte => "byte", TypeCode.SByte => "sbyte", TypeCode.Int16 => "short",
            TypeCode.UInt16 => "ushort", TypeCode.Int32 => "int", TypeCode.UInt32 => "uint", TypeCode.Int64 => "long",
            TypeCode.UInt64 => "ulong", TypeCode.Single => "float", TypeCode.Double => "double", TypeCode.String => "string",
            TypeCode.Char => "char", _ => null,
        };
        if (keyword is not null && !t.IsEnum)
            return keyword;
        if (t == typeof(void))
            return "void";
        if (t == typeof(object))
            return "object";
        if (t.IsGenericParameter)
            return t.Name;
        string name = t.Name;
        int tick = name.IndexOf('`');
        if (tick >= 0)
            name = name[..tick];
        if (t.IsNested)
            name = TypeName(t.DeclaringType!.IsGenericTypeDefinition && t.IsGenericType ? t.DeclaringType : t.DeclaringType!, qualified) + "." + name;
        else if (qualified)
            name = t.Namespace + "." + name;
        if (t.IsGenericType)
        {
            var args = t.GetGenericArguments();
            int inherited = t.IsNested ? t.DeclaringType!.GetGenericArguments().Length : 0;
            var own = args.Skip(inherited).ToArray();
            if (own.Length > 0)
                name += "<" + string.Join(", ", own.Select(a => TypeName(a))) + ">";
        }
        return name;
    }
}
