using TorchSharp.PInvoke;

namespace TorchSharp;

public static partial class torch
{
    public partial class Tensor
    {
        /// <summary>Whether operations on this tensor are recorded for autograd.</summary>
        public bool requires_grad
        {
            get
            {
                int r = NativeMethods.ts_requires_grad(Handle);
                if (r < 0) throw NativeError();
                return r == 1;
            }
            set => CheckForErrors(NativeMethods.ts_set_requires_grad(Handle, value ? 1 : 0));
        }

        /// <summary>Sets <see cref="requires_grad"/>; returns this.</summary>
        public Tensor requires_grad_(bool requires_grad = true)
        {
            this.requires_grad = requires_grad;
            return this;
        }

        /// <summary>
        /// The accumulated gradient, or null. Each read returns a new handle to the same storage:
        /// dispose it (or read it inside a dispose scope).
        /// </summary>
        public unsafe Tensor? grad
        {
            get
            {
                IntPtr g;
                CheckForErrors(NativeMethods.ts_grad(Handle, &g));
                return g == IntPtr.Zero ? null : new Tensor(g);
            }
            set => CheckForErrors(NativeMethods.ts_set_grad(Handle, value?.Handle ?? IntPtr.Zero));
        }

        /// <summary>Keeps the gradient of a non-leaf tensor after backward.</summary>
        public void retain_grad() => CheckForErrors(NativeMethods.ts_retain_grad(Handle));

        /// <summary>Computes the gradients of this scalar with respect to the graph leaves.</summary>
        public void backward() => CheckForErrors(NativeMethods.ts_backward(Handle, IntPtr.Zero, 0, 0));

        /// <summary>Computes gradients, seeding with <paramref name="grad_tensors"/> for non-scalar outputs.</summary>
        public void backward(IList<Tensor>? grad_tensors = null, bool retain_graph = false, bool create_graph = false, IList<Tensor>? inputs = null)
        {
            if (inputs is not null)
                throw new NotSupportedException("backward(inputs: ...) is not part of this subset; call backward() and read .grad.");
            var g = grad_tensors is { Count: > 0 } ? grad_tensors[0].Handle : IntPtr.Zero;
            CheckForErrors(NativeMethods.ts_backward(Handle, g, retain_graph ? 1 : 0, create_graph ? 1 : 0));
        }

        /// <summary>A new tensor sharing storage, cut from the autograd graph.</summary>
        public Tensor detach() => new(Check(NativeMethods.ts_detach(Handle)));

        /// <summary>Cuts this tensor from the autograd graph in place; returns this.</summary>
        public Tensor detach_()
        {
            CheckForErrors(NativeMethods.ts_detach_(Handle));
            return this;
        }
    }
}
