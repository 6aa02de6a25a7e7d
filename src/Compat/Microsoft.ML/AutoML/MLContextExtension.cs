// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

namespace Microsoft.ML.AutoML;

/// <summary>Adds <c>mlContext.Auto()</c>.</summary>
public static class MLContextExtension
{
    /// <summary>The AutoML operations of a context.</summary>
    public static AutoCatalog Auto(this MLContext mlContext)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        return new AutoCatalog(mlContext);
    }
}
