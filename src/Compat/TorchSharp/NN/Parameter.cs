using TorchSharp.PInvoke;
using static TorchSharp.torch;

namespace TorchSharp.Modules
{

/// <summary>
/// A tensor that is a module's learnable state. It takes over the handle of the tensor it is made
/// from (which becomes invalid), is cut from any autograd history, and belongs to no dispose scope.
/// </summary>
public class Parameter : Tensor
{
    /// <summary>Makes a parameter from <paramref name="data"/>, which is consumed.</summary>
    public Parameter(Tensor data, bool requires_grad = true) : base(Take(data), register: false)
    {
        this.requires_grad = requires_grad;
    }

    private static IntPtr Take(Tensor data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var detached = Check(NativeMethods.ts_detach(data.Handle));
        data.Dispose();
        return detached;
    }
}

/// <summary>Extensions turning tensors into parameters.</summary>
public static class ParameterExtensionMethods
{
    /// <summary>Makes a parameter from the tensor, which is consumed.</summary>
    public static Parameter AsParameter(this Tensor tensor) => new(tensor);
}
}

namespace TorchSharp
{
using TorchSharp.Modules;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>Makes a parameter from <paramref name="data"/>, which is consumed.</summary>
        public static Parameter Parameter(Tensor data, bool requires_grad = true) => new(data, requires_grad);
    }
}
}
