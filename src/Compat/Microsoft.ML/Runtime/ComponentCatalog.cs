// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

using System.Reflection;
using System.Runtime.CompilerServices;

namespace Microsoft.ML.Runtime;

/// <summary>
/// The catalog of loadable components. Unlike upstream it does not scan attributes: an assembly registers its model
/// loaders from code (see <see cref="ModelLoaderCatalog"/>), usually in a module initializer, and
/// <see cref="RegisterAssembly"/> just makes sure that initializer has run.
/// </summary>
public sealed class ComponentCatalog
{
    internal ComponentCatalog()
    {
    }

    /// <summary>Runs <paramref name="assembly"/>'s module initializer so that its model loaders are registered.</summary>
    public void RegisterAssembly(Assembly assembly, bool throwOnError = true)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        try
        {
            RuntimeHelpers.RunModuleConstructor(assembly.ManifestModule.ModuleHandle);
        }
        catch (Exception ex) when (!throwOnError)
        {
            _ = ex;
        }
    }
}
