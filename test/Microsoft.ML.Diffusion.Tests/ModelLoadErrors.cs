using System.Reflection;

namespace Microsoft.ML.Diffusion.Tests;

/// <summary>What a failed <c>mlContext.Model.Load</c> says, below ML.NET's reflection wrappers.</summary>
internal static class ModelLoadErrors
{
    /// <summary>The first exception below the TargetInvocationExceptions of ML.NET's reflection calls to loaders.</summary>
    public static Exception Reason(Exception e)
    {
        // ML.NET also wraps a loader's exception as "Error during class instantiation" (ComponentCatalog).
        while (e is TargetInvocationException { InnerException: { } } || e is InvalidOperationException { Message: "Error during class instantiation", InnerException: { } })
            e = e.InnerException!;
        return e;
    }

    /// <summary>
    /// An error ML.NET's own model reader raised for a damaged zip or header, before any code of this package ran
    /// (a flipped bit in a header can name a loader assembly or culture that does not exist, for example).
    /// Programming errors (null references, bad indices, out of memory) never count.
    /// </summary>
    public static bool IsMlNetFormatError(Exception e) =>
        e is ArgumentException or IOException or InvalidOperationException or FormatException
        && e.StackTrace?.Contains(" Microsoft.ML.", StringComparison.Ordinal) == true
        && !System.Text.RegularExpressions.Regex.IsMatch(e.StackTrace, @"at Microsoft\.ML\.Diffusion\.(?!Tests\.)");
}
