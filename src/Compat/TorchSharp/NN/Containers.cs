using System.Collections;
using static TorchSharp.torch;

namespace TorchSharp.Modules
{
    /// <summary>Runs its children in order; intermediate results are disposed as it goes.</summary>
    public class Sequential : torch.nn.Module<Tensor, Tensor>
    {
        private readonly List<torch.nn.IModule<Tensor, Tensor>> _layers = new();

        internal Sequential(IEnumerable<(string name, torch.nn.Module<Tensor, Tensor> module)> modules) : base(nameof(Sequential))
        {
            foreach (var (n, m) in modules) append(n, m);
        }

        /// <summary>Appends a module named by its position; returns this.</summary>
        public Sequential append(torch.nn.IModule<Tensor, Tensor> module) => append(_layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), module);

        /// <summary>Appends a named module (which must be a <see cref="torch.nn.Module"/>); returns this.</summary>
        public Sequential append(string name, torch.nn.IModule<Tensor, Tensor> module)
        {
            if (module is not torch.nn.Module m)
                throw new ArgumentException("Sequential holds modules; the argument is not a torch.nn.Module.", nameof(module));
            register_module(name, m);
            _layers.Add(module);
            return this;
        }

        /// <summary>The number of children.</summary>
        public int Count => _layers.Count;

        /// <summary>The child at a position.</summary>
        [System.Runtime.CompilerServices.IndexerName("SequentialItems")]
        public torch.nn.IModule<Tensor, Tensor> this[int index] => _layers[index];

        /// <inheritdoc />
        public override Tensor forward(Tensor tensor)
        {
            if (_layers.Count == 0) return tensor.alias();
            var x = _layers[0].call(tensor);
            for (int k = 1; k < _layers.Count; k++)
            {
                var next = _layers[k].call(x);
                x.Dispose();
                x = next;
            }
            return x;
        }
    }

    /// <summary>A list of child modules registered as "0", "1", …</summary>
    public class ModuleList<T> : torch.nn.Module, IList<T> where T : torch.nn.Module
    {
        private readonly List<T> _list = new();

        internal ModuleList(IEnumerable<T> modules) : base(nameof(ModuleList<T>))
        {
            foreach (var m in modules) Add(m);
        }

        /// <inheritdoc />
        public T this[int index] { get => _list[index]; set => throw new NotSupportedException("Replacing a registered module is not supported."); }
        /// <inheritdoc />
        public int Count => _list.Count;
        /// <inheritdoc />
        public bool IsReadOnly => false;

        /// <summary>Appends a module, registered under its position.</summary>
        public void Add(T item)
        {
            register_module(_list.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), item);
            _list.Add(item);
        }

        /// <summary>Appends a module; returns this.</summary>
        public ModuleList<T> append(T module) { Add(module); return this; }

        /// <inheritdoc />
        public void Clear() => throw new NotSupportedException("Removing registered modules is not supported.");
        /// <inheritdoc />
        public bool Contains(T item) => _list.Contains(item);
        /// <inheritdoc />
        public void CopyTo(T[] array, int arrayIndex) => _list.CopyTo(array, arrayIndex);
        /// <inheritdoc />
        public IEnumerator<T> GetEnumerator() => _list.GetEnumerator();
        /// <inheritdoc />
        public int IndexOf(T item) => _list.IndexOf(item);
        /// <inheritdoc />
        public void Insert(int index, T item) => throw new NotSupportedException("Inserting into a ModuleList is not supported; use Add.");
        /// <inheritdoc />
        public bool Remove(T item) => throw new NotSupportedException("Removing registered modules is not supported.");
        /// <inheritdoc />
        public void RemoveAt(int index) => throw new NotSupportedException("Removing registered modules is not supported.");
        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}

namespace TorchSharp
{
    using TorchSharp.Modules;

    public static partial class torch
    {
        public static partial class nn
        {
            /// <summary>Runs the modules in order; they are named "0", "1", …</summary>
            public static Sequential Sequential(params torch.nn.Module<Tensor, Tensor>[] modules)
                => new(modules.Select((m, i) => (i.ToString(System.Globalization.CultureInfo.InvariantCulture), m)));

            /// <summary>Runs the named modules in order.</summary>
            public static Sequential Sequential(params (string name, torch.nn.Module<Tensor, Tensor> submodule)[] modules)
                => new(modules.Select(m => (m.name, m.submodule)));

            /// <summary>A list of child modules.</summary>
            public static ModuleList<T> ModuleList<T>(params T[] modules) where T : Module => new(modules);

            /// <summary>A list of child modules of any kind.</summary>
            public static ModuleList<Module> ModuleList(params Module[] modules) => new(modules);
        }
    }
}
