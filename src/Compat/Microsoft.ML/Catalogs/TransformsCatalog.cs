// Licensed under the MIT license. Source-compatible subset of ML.NET; implementation written for this project.

using Microsoft.ML.Runtime;

namespace Microsoft.ML;

/// <summary>The catalog that transform extension methods (LoadImages, ExtractPixels, ...) hang off.</summary>
public sealed class TransformsCatalog
{
    internal TransformsCatalog(IHostEnvironment env)
    {
        Environment = env;
    }

    internal IHostEnvironment Environment { get; }
}
