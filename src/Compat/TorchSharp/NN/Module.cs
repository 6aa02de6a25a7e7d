using System.Reflection;
using TorchSharp.Modules;
using TorchSharp.Utils;

namespace TorchSharp;

public static partial class torch
{
    /// <summary>Neural-network modules, layers and functions (PyTorch's <c>torch.nn</c>).</summary>
    public static partial class nn
    {
        /// <summary>
        /// A building block of a network: it owns parameters, buffers and child modules, registered by
        /// name. Everything lives in managed code; only the tensor math is native.
        /// </summary>
        public partial class Module : IDisposable
        {
            private readonly List<(string name, Module module)> _submodules = new();
            private readonly List<(string name, Parameter? parameter)> _parameters = new();
            private readonly List<(string name, Tensor? buffer, bool persistent)> _buffers = new();
            private bool _disposed;

            /// <summary>Creates a module with a name (used in diagnostics).</summary>
            protected Module(string name) => this.name = name;

            /// <summary>The module's name (for diagnostics), as upstream keeps it: a protected field.</summary>
            protected string? name;

            /// <summary>Whether the module is in training mode (dropout active).</summary>
            public virtual bool training { get; private set; } = true;

            /// <summary>
            /// Registers every field of type Module, Parameter or Tensor under the field's name, as
            /// child module, parameter or buffer. Call once at the end of the constructor.
            /// </summary>
            protected virtual void RegisterComponents()
            {
                foreach (var field in GetFieldsRecursive(GetType()))
                {
                    var value = field.GetValue(this);
                    var key = field.GetCustomAttribute<ComponentNameAttribute>()?.Name ?? field.Name;
                    switch (value)
                    {
                        case Module m when !ReferenceEquals(m, this) && !_submodules.Any(s => s.name == key):
                            register_module(key, m);
                            break;
                        case TorchSharp.Modules.Parameter p when !_parameters.Any(s => s.name == key):
                            register_parameter(key, p);
                            break;
                        case Tensor t when t is not TorchSharp.Modules.Parameter && !_buffers.Any(s => s.name == key):
                            register_buffer(key, t);
                            break;
                    }
                }
            }

            private static IEnumerable<FieldInfo> GetFieldsRecursive(Type type)
            {
                var chain = new List<Type>();
                for (var t = type; t is not null && t != typeof(Module); t = t.BaseType) chain.Add(t);
                chain.Reverse();
                return chain.SelectMany(t => t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                    .Where(f => !f.Name.Contains("k__BackingField", StringComparison.Ordinal));
            }

            /// <summary>Registers a child module.</summary>
            public virtual void register_module(string name, Module submodule)
            {
                CheckName(name);
                if (_submodules.Any(s => s.name == name)) throw new ArgumentException($"A submodule named '{name}' is already registered.", nameof(name));
                _submodules.Add((name, submodule));
            }

            /// <summary>Registers a child module (alias of <see cref="register_module"/>).</summary>
            public void add_module(string name, Module module) => register_module(name, module);

            /// <summary>Registers a parameter (null reserves the name).</summary>
            public void register_parameter(string name, Parameter? param)
            {
                CheckName(name);
                if (_parameters.Any(s => s.name == name)) throw new ArgumentException($"A parameter named '{name}' is already registered.", nameof(name));
                _parameters.Add((name, param));
            }

            /// <summary>Registers a buffer: state that is saved (when persistent) but not trained.</summary>
            public void register_buffer(string name, Tensor tensor, bool persistent = true)
            {
                CheckName(name);
                if (_buffers.Any(s => s.name == name)) throw new ArgumentException($"A buffer named '{name}' is already registered.", nameof(name));
                tensor?.DetachFromDisposeScope();
                _buffers.Add((name, tensor, persistent));
            }

            private static void CheckName(string name)
            {
                if (string.IsNullOrEmpty(name) || name.Contains('.'))
                    throw new ArgumentException($"'{name}' is not a valid component name: it must be non-empty and contain no '.'.", nameof(name));
            }

            // ---- enumeration ------------------------------------------------------------------------

            /// <summary>Parameters of this module (and, by default, of its descendants).</summary>
            public virtual IEnumerable<Parameter> parameters(bool recurse = true) => named_parameters(recurse).Select(p => p.parameter);

            /// <summary>Parameters with their dotted names, in registration order.</summary>
            public virtual IEnumerable<(string name, Parameter parameter)> named_parameters(bool recurse = true)
            {
                foreach (var (n, p) in _parameters)
                    if (p is not null) yield return (n, p);
                if (!recurse) yield break;
                foreach (var (cn, child) in _submodules)
                    foreach (var (n, p) in child.named_parameters(true))
                        yield return ($"{cn}.{n}", p);
            }

            /// <summary>Buffers of this module (and, by default, of its descendants).</summary>
            public virtual IEnumerable<Tensor> buffers(bool recurse = true, bool include_nonpersistent = true) => named_buffers(recurse, include_nonpersistent).Select(b => b.buffer);

            /// <summary>Buffers with their dotted names.</summary>
            public virtual IEnumerable<(string name, Tensor buffer)> named_buffers(bool recurse = true, bool include_nonpersistent = true)
            {
                foreach (var (n, b, persistent) in _buffers)
                    if (b is not null && (persistent || include_nonpersistent)) yield return (n, b);
                if (!recurse) yield break;
                foreach (var (cn, child) in _submodules)
                    foreach (var (n, b) in child.named_buffers(true, include_nonpersistent))
                        yield return ($"{cn}.{n}", b);
            }

            /// <summary>Direct children with their names.</summary>
            public virtual IEnumerable<(string name, Module module)> named_children() => _submodules;

            /// <summary>Direct children.</summary>
            public virtual IEnumerable<Module> children() => _submodules.Select(s => s.module);

            /// <summary>
            /// All descendants with their dotted names: the direct children first, then each child's descendants.
            /// Unlike PyTorch, and like TorchSharp, the module itself is not included.
            /// </summary>
            public virtual IEnumerable<(string name, Module module)> named_modules()
            {
                foreach (var child in _submodules) yield return child;
                foreach (var (childName, child) in _submodules)
                    foreach (var (name, descendant) in child.named_modules())
                        yield return ($"{childName}.{name}", descendant);
            }

            /// <summary>All descendants, in the order of <see cref="named_modules"/>.</summary>
            public virtual IEnumerable<Module> modules() => named_modules().Select(m => m.module);

            /// <summary>Applies <paramref name="fn"/> to every descendant and this module; returns this.</summary>
            public virtual Module apply(Action<Module> fn)
            {
                foreach (var child in children()) child.apply(fn);
                fn(this);
                return this;
            }

            // ---- modes ------------------------------------------------------------------------------

            /// <summary>Sets training mode on this module and its descendants.</summary>
            public virtual void train(bool train = true)
            {
                training = train;
                foreach (var child in children()) child.train(train);
            }

            /// <summary>Sets evaluation mode (dropout off) on this module and its descendants.</summary>
            public virtual void eval() => train(false);

            /// <summary>Clears the gradients of every parameter.</summary>
            public virtual void zero_grad(bool set_to_none = true)
            {
                foreach (var p in parameters())
                {
                    if (set_to_none) { p.grad = null; continue; }
                    using var g = p.grad;
                    g?.zero_();
                }
            }

            // ---- state ------------------------------------------------------------------------------

            /// <summary>
            /// The parameters then persistent buffers, by dotted name. The values are the module's own
            /// tensors, not copies: do not dispose them.
            /// </summary>
            public virtual Dictionary<string, Tensor> state_dict(Dictionary<string, Tensor>? destination = null, string? prefix = null)
            {
                destination ??= new Dictionary<string, Tensor>();
                // Keys are "prefix.name", as upstream builds them.
                string Key(string n) => string.IsNullOrEmpty(prefix) ? n : $"{prefix}.{n}";
                foreach (var (n, p) in named_parameters()) destination.TryAdd(Key(n), p);
                foreach (var (n, b) in named_buffers(true, include_nonpersistent: false)) destination.TryAdd(Key(n), b);
                return destination;
            }

            /// <summary>
            /// Copies tensors from <paramref name="source"/> into the parameters and buffers with the same
            /// names. Shapes must match. In strict mode, any missing or unexpected key is an error.
            /// </summary>
            public virtual (IList<string> missing_keys, IList<string> unexpected_keyes) load_state_dict(
                Dictionary<string, Tensor> source, bool strict = true, IList<string>? skip = null)
            {
                var own = state_dict();
                var skipped = new HashSet<string>(skip ?? Array.Empty<string>());
                var missing = own.Keys.Where(k => !source.ContainsKey(k) && !skipped.Contains(k)).ToList();
                var unexpected = source.Keys.Where(k => !own.ContainsKey(k) && !skipped.Contains(k)).ToList();
                if (strict && (missing.Count > 0 || unexpected.Count > 0))
                    throw new InvalidOperationException(
                        $"load_state_dict: missing keys [{string.Join(", ", missing)}], unexpected keys [{string.Join(", ", unexpected)}].");
                using var _ = no_grad();
                foreach (var (key, target) in own)
                {
                    if (skipped.Contains(key) || !source.TryGetValue(key, out var value)) continue;
                    var expected = target.shape;
                    var actual = value.shape;
                    if (!expected.SequenceEqual(actual))
                        throw new ArgumentException($"load_state_dict: '{key}' has shape [{string.Join(", ", actual)}] but the module expects [{string.Join(", ", expected)}].");
                    target.copy_(value);
                }
                return (missing, unexpected);
            }

            // ---- moves ------------------------------------------------------------------------------

            /// <summary>Moves parameters and buffers to a device (CPU only on this build).</summary>
            protected internal virtual Module _to(Device device, ScalarType dtype, bool non_blocking)
            {
                CheckDevice(device);
                ConvertState(t => t.to(dtype, device));
                return this;
            }

            /// <summary>Moves parameters and buffers to a device (CPU only on this build).</summary>
            protected internal virtual Module _to(DeviceType deviceType, int deviceIndex, bool non_blocking)
            {
                CheckDevice(new Device(deviceType, deviceIndex));
                return this;
            }

            /// <summary>Converts floating-point parameters and buffers to a dtype.</summary>
            protected internal virtual Module _to(ScalarType dtype, bool non_blocking)
            {
                ConvertState(t => t.to(dtype));
                return this;
            }

            // Replaces parameter objects (as upstream's _to does): create optimizers after moving a model.
            private void ConvertState(Func<Tensor, Tensor> convert)
            {
                foreach (var m in modules())
                {
                    for (int k = 0; k < m._parameters.Count; k++)
                    {
                        var (n, p) = m._parameters[k];
                        if (p is null || !p.is_floating_point()) continue;
                        var converted = new Parameter(convert(p), p.requires_grad);
                        m.ReplaceField(p, converted);
                        m._parameters[k] = (n, converted);
                        p.Dispose();
                    }
                    for (int k = 0; k < m._buffers.Count; k++)
                    {
                        var (n, b, persistent) = m._buffers[k];
                        if (b is null || !b.is_floating_point()) continue;
                        var converted = convert(b).DetachFromDisposeScope();
                        m.ReplaceField(b, converted);
                        m._buffers[k] = (n, converted, persistent);
                        b.Dispose();
                    }
                }
            }

            private void ReplaceField(Tensor old, Tensor replacement)
            {
                foreach (var f in GetFieldsRecursive(GetType()))
                    if (ReferenceEquals(f.GetValue(this), old)) f.SetValue(this, replacement);
            }

            // ---- lifetime ---------------------------------------------------------------------------

            /// <summary>Disposes every parameter, buffer and child module.</summary>
            public void Dispose()
            {
                Dispose(true);
                GC.SuppressFinalize(this);
            }

            /// <summary>Releases the module's tensors.</summary>
            protected virtual void Dispose(bool disposing)
            {
                if (_disposed || !disposing) return;
                _disposed = true;
                foreach (var (_, p) in _parameters) p?.Dispose();
                foreach (var (_, b, _) in _buffers) b?.Dispose();
                foreach (var (_, m) in _submodules) m.Dispose();
            }

            /// <inheritdoc />
            public override string ToString() => name ?? GetType().Name;
        }

        /// <summary>A module whose forward takes one argument.</summary>
        public interface IModule<T, TResult>
        {
            /// <summary>Runs the module.</summary>
            public TResult call(T input1);
        }

        /// <summary>A module with one input.</summary>
        public abstract class Module<T, TResult> : Module, IModule<T, TResult>
        {
            /// <summary>Creates a module with a name.</summary>
            protected Module(string name) : base(name) { }

            /// <summary>The computation of the module.</summary>
            public abstract TResult forward(T input);

            /// <summary>Runs <see cref="forward"/>.</summary>
            public TResult call(T input) => forward(input);
        }

        /// <summary>A module with two inputs (for example a U-Net block taking x and a time embedding).</summary>
        public abstract class Module<T1, T2, TResult> : Module
        {
            /// <summary>Creates a module with a name.</summary>
            protected Module(string name) : base(name) { }

            /// <summary>The computation of the module.</summary>
            public abstract TResult forward(T1 input1, T2 input2);

            /// <summary>Runs <see cref="forward"/>.</summary>
            public TResult call(T1 input1, T2 input2) => forward(input1, input2);
        }

        /// <summary>A module with three inputs.</summary>
        public abstract class Module<T1, T2, T3, TResult> : Module
        {
            /// <summary>Creates a module with a name.</summary>
            protected Module(string name) : base(name) { }

            /// <summary>The computation of the module.</summary>
            public abstract TResult forward(T1 input1, T2 input2, T3 input3);

            /// <summary>Runs <see cref="forward"/>.</summary>
            public TResult call(T1 input1, T2 input2, T3 input3) => forward(input1, input2, input3);
        }
    }
}

/// <summary>Moves modules between devices and dtypes.</summary>
public static class ModuleExtensionMethods
{
    /// <summary>Moves the module to a device; returns it.</summary>
    public static T to<T>(this T module, torch.Device device, bool non_blocking = false) where T : torch.nn.Module
    {
        torch.CheckDevice(device);
        return module;
    }

    /// <summary>Converts the module's floating-point state to a dtype; returns it.</summary>
    public static T to<T>(this T module, torch.ScalarType type, bool non_blocking = false) where T : torch.nn.Module
        => (T)module._to(type, non_blocking);

    /// <summary>Moves and converts the module; returns it.</summary>
    public static T to<T>(this T module, torch.Device device, torch.ScalarType type, bool non_blocking = false) where T : torch.nn.Module
        => (T)module._to(device, type, non_blocking);

    /// <summary>Moves the module to a device given by type and index; returns it.</summary>
    public static T to<T>(this T module, DeviceType deviceType, int deviceIndex = -1, bool non_blocking = false) where T : torch.nn.Module
        => (T)module._to(deviceType, deviceIndex, non_blocking);

    /// <summary>Moves the module to a device given by description; returns it.</summary>
    public static T to<T>(this T module, string device, bool non_blocking = false) where T : torch.nn.Module
        => module.to(new torch.Device(device), non_blocking);

    /// <summary>Moves the module to the CPU; returns it.</summary>
    public static T cpu<T>(this T module, bool non_blocking = false) where T : torch.nn.Module => module.to(torch.CPU, non_blocking);

    /// <summary>Moves the module to a CUDA device (fails clearly on this CPU-only build).</summary>
    public static T cuda<T>(this T module, int deviceIndex = -1, bool non_blocking = false) where T : torch.nn.Module
        => module.to(new torch.Device(DeviceType.CUDA, deviceIndex), non_blocking);
}
