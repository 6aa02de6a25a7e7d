using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Microsoft.ML.Diffusion;

namespace Microsoft.ML.Diffusion.Tests;

/// <summary>
/// The package compiles against publicized copies of Microsoft.ML.Core and Microsoft.ML.Data and runs with
/// IgnoresAccessChecksTo (build/MlNetInternals.targets). These tests read every ML.NET type and member the package's
/// IL refers to, resolve each against the ML.NET assemblies loaded now, and pin the non-public ones: an ML.NET
/// upgrade that removes or changes one fails here, by name, instead of in a user's Model.Load.
/// </summary>
[TestClass]
public sealed class MlNetInternalsTests
{
    // Every non-public ML.NET type and member the package uses, grouped by why; the test prints the actual list on a mismatch.
    private static readonly string[] s_expected =
    [
        // Model zip: the loader's registration ([assembly: LoadableClass]) and the header's version check.
        "type Microsoft.ML.LoadableClassAttribute",
        "method Microsoft.ML.LoadableClassAttribute..ctor(System.Type,System.Type,System.Type,System.String,System.String[])",
        "type Microsoft.ML.SignatureLoadModel",
        "type Microsoft.ML.VersionInfo",
        "method Microsoft.ML.VersionInfo..ctor(System.String,System.UInt32,System.UInt32,System.UInt32,System.String,System.String,System.String)",
        // Model zip: saving the transformer's entries.
        "method Microsoft.ML.ModelSaveContext.CheckAtModel()",
        "method Microsoft.ML.ModelSaveContext.SetVersionInfo(Microsoft.ML.VersionInfo)",
        "method Microsoft.ML.ModelSaveContext.SaveBinaryStream(System.String,System.Action`1[System.IO.BinaryWriter])",
        "method Microsoft.ML.ModelSaveContext.SaveTextStream(System.String,System.Action`1[System.IO.TextWriter])",
        // Model zip: loading them.
        "type Microsoft.ML.ModelLoadContext",
        "field Microsoft.ML.ModelLoadContext.Directory",
        "method Microsoft.ML.ModelLoadContext.CheckAtModel(Microsoft.ML.VersionInfo)",
        "method Microsoft.ML.ModelLoadContext.TryLoadBinaryStream(System.String,System.Action`1[System.IO.BinaryReader])",
        "method Microsoft.ML.ModelLoadContext.TryLoadTextStream(System.String,System.Action`1[System.IO.TextReader])",
        // Model zip: a newer format named by the package version that wrote it (ML.NET's own check names no package).
        "field Microsoft.ML.ModelLoadContext.Header",
        "type Microsoft.ML.ModelHeader",
        "field Microsoft.ML.ModelHeader.ModelSignature",
        "field Microsoft.ML.ModelHeader.ModelVerReadable",
        "field Microsoft.ML.ModelHeader.ModelVerWritten",
        "field Microsoft.ML.VersionInfo.ModelSignature",
        "field Microsoft.ML.VersionInfo.VerWrittenCur",
        // mlContext.Transforms.Diffusion(...): the catalog's environment, the context's seed, log messages.
        "type Microsoft.ML.Data.CatalogUtils",
        "type Microsoft.ML.Data.IInternalCatalog",
        "method Microsoft.ML.Data.CatalogUtils.GetEnvironment(Microsoft.ML.Data.IInternalCatalog)",
        "type Microsoft.ML.Runtime.IHostEnvironmentInternal",
        "method Microsoft.ML.Runtime.IHostEnvironmentInternal.get_Seed()",
        "type Microsoft.ML.Runtime.HostExtensions",
        "method Microsoft.ML.Runtime.HostExtensions.Info(Microsoft.ML.Runtime.IChannel,System.String)",
        "method Microsoft.ML.Runtime.HostExtensions.Trace(Microsoft.ML.Runtime.IChannel,System.String)",
        "method Microsoft.ML.Runtime.HostExtensions.Warning(Microsoft.ML.Runtime.IChannel,System.String)",
        // IEstimator.GetOutputSchema: building and describing SchemaShape columns.
        "method Microsoft.ML.SchemaShape.Column..ctor(System.String,Microsoft.ML.SchemaShape+Column+VectorKind,Microsoft.ML.Data.DataViewType,System.Boolean,Microsoft.ML.SchemaShape)",
        "method Microsoft.ML.SchemaShape.Column.GetTypeString()",
    ];

    [TestMethod]
    public void EveryMlNetInternalThePackageUsesExistsAndIsPinned()
    {
        var (internals, missing) = ReadReferences(typeof(DiffusionEstimator).Assembly.Location);
        Assert.IsEmpty(missing, "ML.NET members the package refers to are missing from the loaded ML.NET:\n" + string.Join("\n", missing));
        var expected = s_expected.Order(StringComparer.Ordinal).ToList();
        CollectionAssert.AreEqual(expected, internals,
            "The package's use of ML.NET internals changed; update s_expected (and the README's list) to:\n" + string.Join("\n", internals.Select(i => $"\"{i}\",")));
    }

    [TestMethod]
    public void TheLoaderAttributeIsVisibleToMlNet()
    {
        // CoreCLR drops a custom attribute whose type the decorated assembly cannot see; IgnoresAccessChecksTo makes it visible.
        var attributes = typeof(DiffusionEstimator).Assembly.GetCustomAttributes()
            .Where(a => a.GetType().FullName == "Microsoft.ML.LoadableClassAttribute").ToList();
        Assert.HasCount(2, attributes);
        var loadNames = attributes.SelectMany(a => (string[])a.GetType().GetProperty("LoadNames")!.GetValue(a)!).ToList();
        CollectionAssert.AreEquivalent(new[] { DiffusionSamplerTransformer.LoaderSignature, VariationalAutoencoderTransformer.LoaderSignature }, loadNames);
    }

    private static (List<string> Internals, List<string> Missing) ReadReferences(string path)
    {
        using var pe = new PEReader(File.OpenRead(path));
        var md = pe.GetMetadataReader();
        var mlnet = new HashSet<string>(["Microsoft.ML.Core", "Microsoft.ML.Data", "Microsoft.ML.DataView", "Microsoft.ML.ImageAnalytics"]);
        var internals = new SortedSet<string>(StringComparer.Ordinal);
        var missing = new List<string>();
        var provider = new NameProvider();

        foreach (var handle in md.TypeReferences)
        {
            if (Resolve(md, handle, mlnet) is not { } type) continue;
            if (type.Value is null) missing.Add($"type {type.Name}");
            else if (!type.Value.IsVisible) internals.Add($"type {type.Name}");
        }
        foreach (var handle in md.MemberReferences)
        {
            var member = md.GetMemberReference(handle);
            var parent = member.Parent.Kind switch
            {
                HandleKind.TypeReference => (TypeReferenceHandle)member.Parent,
                HandleKind.TypeSpecification => GenericDefinition(md, (TypeSpecificationHandle)member.Parent),
                _ => default,
            };
            if (parent.IsNil || Resolve(md, parent, mlnet) is not { Value: { } type } declaring) continue;
            string name = md.GetString(member.Name);
            if (member.GetKind() == MemberReferenceKind.Field)
            {
                var field = type.GetField(name, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static);
                if (field is null) missing.Add($"field {declaring.Name}.{name}");
                else if (!type.IsVisible || !(field.IsPublic || field.IsFamily || field.IsFamilyOrAssembly)) internals.Add($"field {declaring.Name}.{name}");
                continue;
            }
            var signature = member.DecodeMethodSignature(provider, null);
            string parameters = string.Join(",", signature.ParameterTypes);
            var candidates = type.GetMember(name, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static)
                .OfType<MethodBase>()
                .Where(m => string.Join(",", m.GetParameters().Select(p => NameProvider.RuntimeName(p.ParameterType))) == parameters)
                .ToList();
            string text = $"method {declaring.Name}.{name}({parameters})";
            if (candidates.Count == 0) missing.Add(text);
            // Protected members are open to derived classes (cursors derive from DataViewRowCursor); anything else must be public.
            else if (!type.IsVisible || !(candidates[0].IsPublic || candidates[0].IsFamily || candidates[0].IsFamilyOrAssembly)) internals.Add(text);
        }
        return (internals.ToList(), missing);
    }

    private static TypeReferenceHandle GenericDefinition(MetadataReader md, TypeSpecificationHandle handle)
    {
        var blob = md.GetBlobReader(md.GetTypeSpecification(handle).Signature);
        if (blob.ReadSignatureTypeCode() != SignatureTypeCode.GenericTypeInstance) return default;
        blob.ReadSignatureTypeCode();
        var definition = blob.ReadTypeHandle();
        return definition.Kind == HandleKind.TypeReference ? (TypeReferenceHandle)definition : default;
    }

    // The ML.NET type a reference names (Value null when it no longer exists), or null for other assemblies.
    private static (string Name, Type? Value)? Resolve(MetadataReader md, TypeReferenceHandle handle, HashSet<string> assemblies)
    {
        var reference = md.GetTypeReference(handle);
        string name = NameProvider.FullName(md, handle);
        var scope = reference.ResolutionScope;
        while (scope.Kind == HandleKind.TypeReference) scope = md.GetTypeReference((TypeReferenceHandle)scope).ResolutionScope;
        if (scope.Kind != HandleKind.AssemblyReference) return null;
        string assembly = md.GetString(md.GetAssemblyReference((AssemblyReferenceHandle)scope).Name);
        if (!assemblies.Contains(assembly)) return null;
        return (name.Replace('+', '.'), Assembly.Load(assembly).GetType(name));
    }

    /// <summary>Type names of a signature, written as <see cref="RuntimeName"/> writes them for loaded types.</summary>
    private sealed class NameProvider : ISignatureTypeProvider<string, object?>
    {
        public static string FullName(MetadataReader md, TypeReferenceHandle handle)
        {
            var reference = md.GetTypeReference(handle);
            string name = md.GetString(reference.Name);
            if (reference.ResolutionScope.Kind == HandleKind.TypeReference)
                return FullName(md, (TypeReferenceHandle)reference.ResolutionScope) + "+" + name;
            string ns = md.GetString(reference.Namespace);
            return ns.Length == 0 ? name : ns + "." + name;
        }

        public static string RuntimeName(Type t) => t switch
        {
            { IsByRef: true } => RuntimeName(t.GetElementType()!) + "&",
            { IsArray: true } => RuntimeName(t.GetElementType()!) + "[]",
            { IsPointer: true } => RuntimeName(t.GetElementType()!) + "*",
            { IsGenericMethodParameter: true } => "!!" + t.GenericParameterPosition,
            { IsGenericParameter: true } => "!" + t.GenericParameterPosition,
            { IsGenericType: true } => t.GetGenericTypeDefinition().FullName + "[" + string.Join(",", t.GetGenericArguments().Select(RuntimeName)) + "]",
            _ => t.FullName!,
        };

        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode switch
        {
            PrimitiveTypeCode.Boolean => "System.Boolean", PrimitiveTypeCode.Byte => "System.Byte", PrimitiveTypeCode.Char => "System.Char",
            PrimitiveTypeCode.Double => "System.Double", PrimitiveTypeCode.Int16 => "System.Int16", PrimitiveTypeCode.Int32 => "System.Int32",
            PrimitiveTypeCode.Int64 => "System.Int64", PrimitiveTypeCode.IntPtr => "System.IntPtr", PrimitiveTypeCode.Object => "System.Object",
            PrimitiveTypeCode.SByte => "System.SByte", PrimitiveTypeCode.Single => "System.Single", PrimitiveTypeCode.String => "System.String",
            PrimitiveTypeCode.UInt16 => "System.UInt16", PrimitiveTypeCode.UInt32 => "System.UInt32", PrimitiveTypeCode.UInt64 => "System.UInt64",
            PrimitiveTypeCode.UIntPtr => "System.UIntPtr", PrimitiveTypeCode.Void => "System.Void", _ => "System.TypedReference",
        };

        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => FullName(reader, handle);
        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind)
        {
            var definition = reader.GetTypeDefinition(handle);
            string name = reader.GetString(definition.Name);
            if (definition.GetDeclaringType() is { IsNil: false } outer) return GetTypeFromDefinition(reader, outer, 0) + "+" + name;
            string ns = reader.GetString(definition.Namespace);
            return ns.Length == 0 ? name : ns + "." + name;
        }
        public string GetTypeFromSpecification(MetadataReader reader, object? context, TypeSpecificationHandle handle, byte rawTypeKind) =>
            reader.GetTypeSpecification(handle).DecodeSignature(this, context);
        public string GetSZArrayType(string elementType) => elementType + "[]";
        public string GetArrayType(string elementType, ArrayShape shape) => elementType + "[" + new string(',', shape.Rank - 1) + "]";
        public string GetByReferenceType(string elementType) => elementType + "&";
        public string GetPointerType(string elementType) => elementType + "*";
        public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) => genericType + "[" + string.Join(",", typeArguments) + "]";
        public string GetGenericTypeParameter(object? context, int index) => "!" + index;
        public string GetGenericMethodParameter(object? context, int index) => "!!" + index;
        public string GetFunctionPointerType(MethodSignature<string> signature) => "fnptr";
        public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;
        public string GetPinnedType(string elementType) => elementType;
    }
}
