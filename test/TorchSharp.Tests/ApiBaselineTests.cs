using System.Globalization;
using System.Reflection;
using System.Text;

namespace TorchSharp.Tests;

/// <summary>
/// Source-compatibility guard: every public type and member of our TorchSharp assembly must appear in
/// ApiBaseline/TorchSharp.txt, which holds upstream TorchSharp signatures written by hand from the
/// upstream sources (one normalized line per member), an allowed-deviations section with reasons, and
/// a section of members still awaiting verification against upstream.
/// </summary>
[TestClass]
public class ApiBaselineTests
{
    private static string BaselinePath => Path.Combine(AppContext.BaseDirectory, "ApiBaseline", "TorchSharp.txt");

    internal static (HashSet<string> upstream, HashSet<string> deviations, HashSet<string> unverified) ReadBaseline()
    {
        var sections = new Dictionary<string, HashSet<string>> { ["upstream"] = new(), ["allowed-deviations"] = new(), ["unverified"] = new() };
        HashSet<string>? current = null;
        foreach (var raw in File.ReadLines(BaselinePath))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            if (line.StartsWith('[') && line.EndsWith(']')) { current = sections[line[1..^1]]; continue; }
            if (current is null) throw new InvalidDataException($"baseline line outside a section: {line}");
            // a deviation is "signature  # reason"; the reason is mandatory
            int hash = line.IndexOf("  # ", StringComparison.Ordinal);
            if (ReferenceEquals(current, sections["allowed-deviations"]) && hash < 0)
                throw new InvalidDataException($"allowed deviation without a reason: {line}");
            current.Add(hash < 0 ? line : line[..hash].TrimEnd());
        }
        return (sections["upstream"], sections["allowed-deviations"], sections["unverified"]);
    }

    [TestMethod]
    public void EveryPublicMemberIsInTheBaseline()
    {
        var (upstream, deviations, unverified) = ReadBaseline();
        var ours = PublicSurface(typeof(torch).Assembly).ToList();
        if (Environment.GetEnvironmentVariable("TS_API_DUMP") is { Length: > 0 } dumpFirst) File.WriteAllLines(dumpFirst, ours);
        var missing = ours.Where(l => !upstream.Contains(l) && !deviations.Contains(l) && !unverified.Contains(l)).ToList();
        Assert.IsEmpty(missing, "public members absent from ApiBaseline/TorchSharp.txt (match upstream, make internal, or document a deviation):\n"
            + string.Join("\n", missing));
        var stale = unverified.Concat(deviations).Where(l => !ours.Contains(l)).ToList();
        Assert.IsEmpty(stale, "baseline entries (deviations/unverified) that no longer exist:\n" + string.Join("\n", stale));
        if (Environment.GetEnvironmentVariable("TS_API_DUMP") is { Length: > 0 } dump) File.WriteAllLines(dump, ours);
        int verified = ours.Count(upstream.Contains);
        Console.WriteLine($"{ours.Count} public members: {verified} match upstream, {ours.Count(deviations.Contains)} documented deviations, {ours.Count(unverified.Contains)} awaiting verification");
    }

    [TestMethod]
    public void NormalizerProducesUpstreamSpelling()
    {
        var lines = PublicSurface(typeof(torch).Assembly).ToHashSet();
        CollectionAssert.Contains(lines.ToList(), "torch.Tensor::add(Tensor target, Scalar alpha) : Tensor");
        CollectionAssert.Contains(lines.ToList(), "torch::static zeros(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false, string[]? names = null) : Tensor");
        CollectionAssert.Contains(lines.ToList(), "torch.Tensor::div(Tensor target, RoundingMode rounding_mode = RoundingMode.None) : Tensor");
        CollectionAssert.Contains(lines.ToList(), "type torch.Tensor : IDisposable");
    }

    // ---- normalization ---------------------------------------------------------------------------

    internal static IEnumerable<string> PublicSurface(Assembly assembly)
    {
        foreach (var type in assembly.GetExportedTypes().OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            yield return TypeLine(type);
            const BindingFlags flags = BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;
            if (type.IsEnum)
            {
                foreach (var f in type.GetFields(BindingFlags.Public | BindingFlags.Static))
                    yield return $"{DeclName(type)}::{f.Name} = {Convert.ToInt64(f.GetRawConstantValue(), CultureInfo.InvariantCulture)}";
                continue;
            }
            var members = new List<string>();
            foreach (var m in type.GetMembers(flags | BindingFlags.NonPublic))
            {
                switch (m)
                {
                    case ConstructorInfo c when c.IsPublic || c.IsFamily || c.IsFamilyOrAssembly:
                        members.Add($"{DeclName(type)}::.ctor({Params(c)})" + (c.IsFamily || c.IsFamilyOrAssembly ? " protected" : ""));
                        break;
                    case MethodInfo mi when (mi.IsPublic || mi.IsFamily || mi.IsFamilyOrAssembly) && !mi.IsSpecialName || mi.IsSpecialName && mi.Name.StartsWith("op_", StringComparison.Ordinal) && mi.IsPublic:
                        if (IsDelegate(type)) break;
                        var generic = mi.IsGenericMethodDefinition ? "<" + string.Join(", ", mi.GetGenericArguments().Select(a => a.Name)) + ">" : "";
                        members.Add($"{DeclName(type)}::{(mi.IsStatic && !mi.Name.StartsWith("op_", StringComparison.Ordinal) ? "static " : "")}{mi.Name}{generic}({Params(mi)}) : {Nullable(mi.ReturnParameter, mi.ReturnType)}"
                            + (mi.IsFamily || mi.IsFamilyOrAssembly ? " protected" : ""));
                        break;
                    case PropertyInfo p when (p.GetMethod?.IsPublic ?? false) || (p.SetMethod?.IsPublic ?? false):
                        var idx = p.GetIndexParameters();
                        var name = idx.Length > 0 ? $"{p.Name}[{string.Join(", ", idx.Select(Param))}]" : p.Name;
                        var stat = (p.GetMethod ?? p.SetMethod)!.IsStatic ? "static " : "";
                        members.Add($"{DeclName(type)}::{stat}{name} : {Nullable(p, p.PropertyType)} {{{(p.GetMethod?.IsPublic == true ? " get;" : "")}{(p.SetMethod?.IsPublic == true ? " set;" : "")} }}");
                        break;
                    case FieldInfo f when f.IsPublic || f.IsFamily:
                        members.Add($"{DeclName(type)}::{(f.IsStatic ? "static " : "")}{(f.IsInitOnly ? "readonly " : "")}{f.Name} : {Nullable(f, f.FieldType)}");
                        break;
                    case EventInfo e:
                        members.Add($"{DeclName(type)}::event {e.Name} : {TypeName(e.EventHandlerType!)}");
                        break;
                }
            }
            foreach (var m in members.Order(StringComparer.Ordinal)) yield return m;
        }
    }

    private static bool IsDelegate(Type t) => typeof(Delegate).IsAssignableFrom(t);

    private static string TypeLine(Type type)
    {
        string kind = type.IsEnum ? "enum" : type.IsInterface ? "interface" : type.IsValueType ? "struct" : IsDelegate(type) ? "delegate"
            : type.IsAbstract && type.IsSealed ? "static class" : type.IsAbstract ? "abstract class" : type.IsSealed ? "sealed class" : "class";
        var bases = new List<string>();
        if (type.IsEnum) bases.Add(TypeName(Enum.GetUnderlyingType(type)));
        else if (type.BaseType is { } b && b != typeof(object) && b != typeof(ValueType) && !IsDelegate(type)) bases.Add(TypeName(b));
        var inherited = type.BaseType?.GetInterfaces() ?? [];
        bases.AddRange(type.GetInterfaces().Where(i => !inherited.Contains(i)).Select(TypeName).Order(StringComparer.Ordinal));
        var head = kind == "class" ? "type" : $"type {kind}";
        if (kind == "class") head = "type";
        return $"{head} {DeclName(type)}" + (bases.Count > 0 ? " : " + string.Join(", ", bases) : "");
    }

    // Declaring types are spelled in full below the TorchSharp namespace: torch.Tensor, Modules.Linear …
    private static string DeclName(Type t)
    {
        var n = t.Name;
        int tick = n.IndexOf('`');
        if (tick >= 0) n = n[..tick] + "<" + string.Join(", ", t.GetGenericArguments().Skip(t.IsNested ? t.DeclaringType!.GetGenericArguments().Length : 0).Select(a => a.Name)) + ">";
        if (t.IsNested) return DeclName(t.DeclaringType!) + "." + n;
        return t.Namespace == "TorchSharp" ? n : t.Namespace!["TorchSharp.".Length..] + "." + n;
    }

    private static string Params(MethodBase m) => string.Join(", ", m.GetParameters().Select(Param));

    private static string Param(ParameterInfo p)
    {
        var sb = new StringBuilder();
        if (p.GetCustomAttribute<ParamArrayAttribute>() is not null) sb.Append("params ");
        var t = p.ParameterType;
        if (t.IsByRef) { sb.Append(p.IsOut ? "out " : p.IsIn ? "in " : "ref "); t = t.GetElementType()!; }
        sb.Append(Nullable(p, t)).Append(' ').Append(p.Name);
        if (p.HasDefaultValue) sb.Append(" = ").Append(Literal(p.DefaultValue, t));
        return sb.ToString();
    }

    private static readonly NullabilityInfoContext s_nullability = new();

    private static string Nullable(object member, Type t)
    {
        NullabilityInfo? info = member switch
        {
            ParameterInfo p => s_nullability.Create(p),
            PropertyInfo p => s_nullability.Create(p),
            FieldInfo f => s_nullability.Create(f),
            _ => null,
        };
        var name = TypeName(t, info);
        return name;
    }

    private static string Literal(object? value, Type t)
    {
        if (value is null) return t.IsValueType && System.Nullable.GetUnderlyingType(t) is null ? "default" : "null";
        var u = System.Nullable.GetUnderlyingType(t) ?? t;
        if (u.IsEnum) return $"{u.Name}.{Enum.GetName(u, value) ?? Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture)}";
        return value switch
        {
            bool b => b ? "true" : "false",
            string s => $"\"{s}\"",
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            float f => f.ToString("R", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString()!,
        };
    }

    private static readonly Dictionary<Type, string> s_keywords = new()
    {
        [typeof(void)] = "void", [typeof(bool)] = "bool", [typeof(byte)] = "byte", [typeof(sbyte)] = "sbyte", [typeof(short)] = "short",
        [typeof(ushort)] = "ushort", [typeof(int)] = "int", [typeof(uint)] = "uint", [typeof(long)] = "long", [typeof(ulong)] = "ulong",
        [typeof(float)] = "float", [typeof(double)] = "double", [typeof(string)] = "string", [typeof(object)] = "object", [typeof(IntPtr)] = "IntPtr",
    };

    internal static string TypeName(Type t) => TypeName(t, null);

    private static string TypeName(Type t, NullabilityInfo? info)
    {
        if (System.Nullable.GetUnderlyingType(t) is { } under) return TypeName(under, null) + "?";
        string q = info is { ReadState: NullabilityState.Nullable } && !t.IsValueType ? "?" : "";
        if (t.IsArray) return TypeName(t.GetElementType()!, info?.ElementType) + "[" + new string(',', t.GetArrayRank() - 1) + "]" + q;
        if (t.IsPointer) return TypeName(t.GetElementType()!) + "*";
        if (t.IsGenericParameter) return t.Name + q;
        if (s_keywords.TryGetValue(t, out var k)) return k + q;
        if (t.IsGenericType && t.FullName?.StartsWith("System.ValueTuple", StringComparison.Ordinal) == true)
            return "(" + string.Join(", ", t.GetGenericArguments().Select((a, i) => TypeName(a, info?.GenericTypeArguments.ElementAtOrDefault(i)))) + ")" + q;
        string name;
        if (t.Namespace?.StartsWith("TorchSharp", StringComparison.Ordinal) == true)
        {
            // our own types: short for types in torch (as user code writes them with `using static torch`)
            name = t.IsNested ? TypeName(t.DeclaringType!) + "." + t.Name : (t.Namespace == "TorchSharp" ? t.Name : t.Namespace!["TorchSharp.".Length..] + "." + t.Name);
            if (name.StartsWith("torch.", StringComparison.Ordinal) && t.DeclaringType is not null && !t.IsGenericType)
            {
                // members spell torch types the way user code does: Tensor, ScalarType, Device …
                if (t.DeclaringType == typeof(torch)) name = t.Name;
            }
        }
        else name = t.Name;
        int tick = name.IndexOf('`');
        if (tick >= 0) name = name[..tick];
        if (t.IsGenericType)
        {
            var args = t.GetGenericArguments();
            var own = t.IsNested && t.DeclaringType!.IsGenericType ? args.Skip(t.DeclaringType.GetGenericArguments().Length).ToArray() : args;
            if (own.Length > 0)
                name += "<" + string.Join(", ", own.Select((a, i) => TypeName(a, info?.GenericTypeArguments.ElementAtOrDefault(i)))) + ">";
        }
        return name + q;
    }
}
