// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace Microsoft.ML;

/// <summary>Saves and loads <see cref="TransformerChain{TLastTransformer}"/>: int32 count, an int32 scope per element, elements in Transform_NNN.</summary>
internal static class ChainPersistence
{
    // 0x00010001: initial version.
    private static VersionInfo GetVersionInfo() => new(
        modelSignature: "XF CHAIN",
        verWrittenCur: 0x00010001,
        verReadableCur: 0x00010001,
        verWeCanReadBack: 0x00010001,
        loaderAssemblyName: typeof(ChainPersistence).Assembly.FullName!,
        loaderSignature: TransformerChain<ITransformer>.LoaderSignature);

    private const int MaxElements = 10_000;

    private static string ElementName(int i) => $"Transform_{i:000}";

    public static void Save(ModelSaveContext ctx, IReadOnlyList<ITransformer> transformers, IReadOnlyList<TransformerScope> scopes)
    {
        ctx.CheckAtModel();
        ctx.SetVersionInfo(GetVersionInfo());
        ctx.Writer.Write(transformers.Count);
        for (int i = 0; i < transformers.Count; i++)
        {
            ctx.Writer.Write((int)scopes[i]);
            ctx.SaveModel(transformers[i], ElementName(i));
        }
    }

    public static ITransformer Load(IHostEnvironment env, ModelLoadContext ctx)
    {
        ctx.CheckAtModel(GetVersionInfo());
        int count = ctx.ReadInt("element count");
        if (count < 0 || count > MaxElements)
            throw ctx.Corrupt($"the chain element count {count} is invalid.");
        var transformers = new ITransformer[count];
        var scopes = new TransformerScope[count];
        for (int i = 0; i < count; i++)
        {
            int scope = ctx.ReadInt("element scope");
            if ((scope & ~(int)TransformerScope.Everything) != 0)
                throw ctx.Corrupt($"element {i} has an invalid scope {scope}.");
            scopes[i] = (TransformerScope)scope;
            ctx.LoadModel(env, out transformers[i], ElementName(i));
        }
        return new TransformerChain<ITransformer>(transformers, scopes);
    }
}
