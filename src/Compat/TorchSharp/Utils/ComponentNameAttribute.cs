namespace TorchSharp.Utils;

/// <summary>
/// Names a module field's component (submodule, parameter or buffer) differently from the field, so that
/// state_dict keys can follow the PyTorch attribute names.
/// </summary>
[AttributeUsage(AttributeTargets.Field)]
public class ComponentNameAttribute : Attribute
{
    /// <summary>The component name.</summary>
    public string Name { get; set; } = string.Empty;
}
