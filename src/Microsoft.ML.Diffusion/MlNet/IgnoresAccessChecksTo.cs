// ML.NET's model zip loads and saves components through internal members only (dotnet/machinelearning#4911).
// CoreCLR honours this attribute: it lets this assembly use the internals of the named assemblies at run time, and
// it keeps ML.NET's internal [LoadableClass] attribute on this assembly visible to ML.NET's ComponentCatalog.
// The compiler sees them through publicized copies (build/MlNetInternals.targets); MlNetInternalsTests pins each one used.
[assembly: System.Runtime.CompilerServices.IgnoresAccessChecksTo("Microsoft.ML.Core")]
[assembly: System.Runtime.CompilerServices.IgnoresAccessChecksTo("Microsoft.ML.Data")]

namespace System.Runtime.CompilerServices
{
    /// <summary>Read by the runtime: the named assembly's internals are accessible to the assembly carrying it.</summary>
    [AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
    internal sealed class IgnoresAccessChecksToAttribute(string assemblyName) : Attribute
    {
        public string AssemblyName { get; } = assemblyName;
    }
}
