// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

using Microsoft.ML.Runtime;

namespace Microsoft.ML;

/// <summary>
/// Not in upstream, where catalog extension methods use the internal CatalogUtils.GetEnvironment: gives extension
/// methods in other assemblies the environment (log channels, seeded random generators, cancellation) behind a catalog.
/// </summary>
public static class CatalogEnvironment
{
    /// <summary>The environment of the <see cref="MLContext"/> that owns <paramref name="catalog"/>.</summary>
    public static IHostEnvironment GetEnvironment(this TransformsCatalog catalog) =>
        (catalog ?? throw new ArgumentNullException(nameof(catalog))).Environment;

    /// <summary>The environment of the <see cref="MLContext"/> that owns <paramref name="catalog"/>.</summary>
    public static IHostEnvironment GetEnvironment(this DataOperationsCatalog catalog) =>
        (catalog ?? throw new ArgumentNullException(nameof(catalog))).Environment;

    /// <summary>The environment of the <see cref="MLContext"/> that owns <paramref name="catalog"/>.</summary>
    public static IHostEnvironment GetEnvironment(this ModelOperationsCatalog catalog) =>
        (catalog ?? throw new ArgumentNullException(nameof(catalog))).Environment;
}
