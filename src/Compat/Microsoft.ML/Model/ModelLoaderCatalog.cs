// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Transforms.Image;

namespace Microsoft.ML;

/// <summary>
/// Not in upstream (which finds loaders through [LoadableClass] attributes and reflection): the registry from a
/// saved component's loader signature to the code that loads it. Loading a model only ever calls factories
/// registered here, so a file cannot make the library instantiate a type it names.
/// </summary>
/// <remarks>
/// A package registers its transformers once from code, for example in a module initializer:
/// <code>ModelLoaderCatalog.Register("MyTransformer", (env, ctx) => MyTransformer.Create(env, ctx));</code>
/// </remarks>
public static class ModelLoaderCatalog
{
    private static readonly object s_lock = new();
    private static readonly Dictionary<string, Func<IHostEnvironment, ModelLoadContext, ITransformer>> s_factories = new(StringComparer.Ordinal);

    static ModelLoaderCatalog()
    {
        s_factories[TransformerChain<ITransformer>.LoaderSignature] = ChainPersistence.Load;
        s_factories[ImageLoadingTransformer.LoaderSignature] = ImageLoadingTransformer.Create;
        s_factories[ImageResizingTransformer.LoaderSignature] = ImageResizingTransformer.Create;
        s_factories[ImagePixelExtractingTransformer.LoaderSignature] = ImagePixelExtractingTransformer.Create;
        s_factories[VectorToImageConvertingTransformer.LoaderSignature] = VectorToImageConvertingTransformer.Create;
        s_factories[ImageGrayscalingTransformer.LoaderSignature] = ImageGrayscalingTransformer.Create;
    }

    /// <summary>Registers <paramref name="factory"/> for components saved with <paramref name="loaderSignature"/>.</summary>
    /// <exception cref="InvalidOperationException">Another factory is already registered under that name.</exception>
    public static void Register(string loaderSignature, Func<IHostEnvironment, ModelLoadContext, ITransformer> factory)
    {
        ArgumentNullException.ThrowIfNull(loaderSignature);
        ArgumentNullException.ThrowIfNull(factory);
        VersionInfo.CheckLoaderName(loaderSignature, nameof(loaderSignature));
        lock (s_lock)
        {
            if (s_factories.TryGetValue(loaderSignature, out var existing))
            {
                // Registering the same method again (e.g. from two module loads) is harmless.
                if (existing.Method == factory.Method && Equals(existing.Target, factory.Target))
                    return;
                throw new InvalidOperationException($"A different model loader is already registered under '{loaderSignature}'.");
            }
            s_factories[loaderSignature] = factory;
        }
    }

    /// <summary>Whether a loader is registered under <paramref name="loaderSignature"/>.</summary>
    public static bool IsRegistered(string loaderSignature)
    {
        lock (s_lock)
            return s_factories.ContainsKey(loaderSignature);
    }

    internal static Func<IHostEnvironment, ModelLoadContext, ITransformer>? Find(string loaderSignature)
    {
        lock (s_lock)
            return s_factories.TryGetValue(loaderSignature, out var factory) ? factory : null;
    }
}
