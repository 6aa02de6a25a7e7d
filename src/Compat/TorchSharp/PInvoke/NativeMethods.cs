// P/Invoke declarations for libtorchshim (native/src). Blittable arguments only: handles are IntPtr,
// booleans cross as int, scalars as (kind, double, long).
using System.Reflection;
using System.Runtime.InteropServices;

[assembly: System.Runtime.CompilerServices.DisableRuntimeMarshalling]

namespace TorchSharp.PInvoke;

internal static unsafe partial class NativeMethods
{
    internal const string Lib = "torchshim";

    // ---- runtime ------------------------------------------------------------------------------
    [LibraryImport(Lib)] internal static partial IntPtr ts_last_error();
    [LibraryImport(Lib)] internal static partial int ts_set_num_threads(int n);
    [LibraryImport(Lib)] internal static partial int ts_get_num_threads();
    [LibraryImport(Lib)] internal static partial int ts_set_num_interop_threads(int n);
    [LibraryImport(Lib)] internal static partial int ts_get_num_interop_threads();
    [LibraryImport(Lib)] internal static partial int ts_cuda_is_available();
    [LibraryImport(Lib)] internal static partial long ts_config(byte* buffer, long capacity);
    [LibraryImport(Lib)] internal static partial int ts_is_grad_enabled();
    [LibraryImport(Lib)] internal static partial void ts_set_grad_enabled(int enabled);
    [LibraryImport(Lib)] internal static partial IntPtr ts_inference_mode_enter(int enabled);
    [LibraryImport(Lib)] internal static partial void ts_inference_mode_exit(IntPtr guard);
    [LibraryImport(Lib)] internal static partial int ts_is_inference_mode_enabled();

    // ---- generators ---------------------------------------------------------------------------
    [LibraryImport(Lib)] internal static partial IntPtr ts_generator_default();
    [LibraryImport(Lib)] internal static partial IntPtr ts_generator_new(ulong seed);
    [LibraryImport(Lib)] internal static partial void ts_generator_dispose(IntPtr g);
    [LibraryImport(Lib)] internal static partial int ts_generator_manual_seed(IntPtr g, long seed);
    [LibraryImport(Lib)] internal static partial int ts_generator_initial_seed(IntPtr g, long* seed);
    [LibraryImport(Lib)] internal static partial int ts_generator_seed(IntPtr g, long* seed);
    [LibraryImport(Lib)] internal static partial IntPtr ts_generator_get_state(IntPtr g);
    [LibraryImport(Lib)] internal static partial int ts_generator_set_state(IntPtr g, IntPtr state);

    // ---- tensor lifecycle and metadata ----------------------------------------------------------
    [LibraryImport(Lib)] internal static partial void ts_tensor_dispose(IntPtr t);
    [LibraryImport(Lib)] internal static partial IntPtr ts_tensor_alias(IntPtr t);
    [LibraryImport(Lib)] internal static partial int ts_tensor_ndim(IntPtr t);
    [LibraryImport(Lib)] internal static partial int ts_tensor_sizes(IntPtr t, long* sizes);
    [LibraryImport(Lib)] internal static partial int ts_tensor_strides(IntPtr t, long* strides);
    [LibraryImport(Lib)] internal static partial int ts_tensor_dtype(IntPtr t);
    [LibraryImport(Lib)] internal static partial int ts_tensor_device_type(IntPtr t);
    [LibraryImport(Lib)] internal static partial int ts_tensor_device_index(IntPtr t);
    [LibraryImport(Lib)] internal static partial long ts_tensor_numel(IntPtr t);
    [LibraryImport(Lib)] internal static partial long ts_tensor_element_size(IntPtr t);
    [LibraryImport(Lib)] internal static partial int ts_tensor_is_contiguous(IntPtr t);
    [LibraryImport(Lib)] internal static partial int ts_tensor_defined(IntPtr t);
    [LibraryImport(Lib)] internal static partial IntPtr ts_tensor_from_buffer(void* data, long* shape, int ndim, int dtype, int requiresGrad);
    [LibraryImport(Lib)] internal static partial int ts_tensor_copy_to_buffer(IntPtr t, void* buffer, long bytes);
    [LibraryImport(Lib)] internal static partial int ts_tensor_copy_from_buffer(IntPtr t, void* buffer, long bytes);
    [LibraryImport(Lib)] internal static partial int ts_tensor_item_f64(IntPtr t, double* value);
    [LibraryImport(Lib)] internal static partial int ts_tensor_item_i64(IntPtr t, long* value);

    // ---- factories ----------------------------------------------------------------------------
    [LibraryImport(Lib)] internal static partial IntPtr ts_empty(long* shape, int ndim, int dtype, int rg);
    [LibraryImport(Lib)] internal static partial IntPtr ts_zeros(long* shape, int ndim, int dtype, int rg);
    [LibraryImport(Lib)] internal static partial IntPtr ts_ones(long* shape, int ndim, int dtype, int rg);
    [LibraryImport(Lib)] internal static partial IntPtr ts_full(long* shape, int ndim, int kind, double d, long i, int dtype, int rg);
    [LibraryImport(Lib)] internal static partial IntPtr ts_rand(long* shape, int ndim, int dtype, int rg, IntPtr gen);
    [LibraryImport(Lib)] internal static partial IntPtr ts_randn(long* shape, int ndim, int dtype, int rg, IntPtr gen);
    [LibraryImport(Lib)] internal static partial IntPtr ts_randint(long low, long high, long* shape, int ndim, int dtype, int rg, IntPtr gen);
    [LibraryImport(Lib)] internal static partial IntPtr ts_randperm(long n, int dtype, int rg, IntPtr gen);
    [LibraryImport(Lib)] internal static partial IntPtr ts_arange(int kind, double start, double end, double step, long istart, long iend, long istep, int dtype, int rg);
    [LibraryImport(Lib)] internal static partial IntPtr ts_linspace(double start, double end, long steps, int dtype, int rg);
    [LibraryImport(Lib)] internal static partial IntPtr ts_eye(long n, long m, int dtype, int rg);

    // ---- conversion ---------------------------------------------------------------------------
    [LibraryImport(Lib)] internal static partial IntPtr ts_to_dtype(IntPtr t, int dtype, int copy);
    [LibraryImport(Lib)] internal static partial IntPtr ts_to_device(IntPtr t, int deviceType, int deviceIndex, int copy);
    [LibraryImport(Lib)] internal static partial IntPtr ts_clone(IntPtr t);
    [LibraryImport(Lib)] internal static partial IntPtr ts_contiguous(IntPtr t);
    [LibraryImport(Lib)] internal static partial int ts_copy_(IntPtr dst, IntPtr src);
    [LibraryImport(Lib)] internal static partial IntPtr ts_to_memory_format(IntPtr t, int format);

    // ---- autograd -----------------------------------------------------------------------------
    [LibraryImport(Lib)] internal static partial int ts_requires_grad(IntPtr t);
    [LibraryImport(Lib)] internal static partial int ts_set_requires_grad(IntPtr t, int value);
    [LibraryImport(Lib)] internal static partial int ts_is_leaf(IntPtr t);
    [LibraryImport(Lib)] internal static partial int ts_grad(IntPtr t, IntPtr* grad);
    [LibraryImport(Lib)] internal static partial int ts_set_grad(IntPtr t, IntPtr grad);
    [LibraryImport(Lib)] internal static partial int ts_retain_grad(IntPtr t);
    [LibraryImport(Lib)] internal static partial IntPtr ts_detach(IntPtr t);
    [LibraryImport(Lib)] internal static partial int ts_detach_(IntPtr t);
    [LibraryImport(Lib)] internal static partial int ts_backward(IntPtr t, IntPtr grad, int retainGraph, int createGraph);
    [LibraryImport(Lib)] internal static partial int ts_backward_many(IntPtr* roots, IntPtr* grads, int n, int retainGraph, int createGraph);

    // ---- pointwise ----------------------------------------------------------------------------
    [LibraryImport(Lib)] internal static partial IntPtr ts_unary(int op, IntPtr a);
    [LibraryImport(Lib)] internal static partial int ts_unary_(int op, IntPtr a);
    [LibraryImport(Lib)] internal static partial IntPtr ts_binary(int op, IntPtr a, IntPtr b, int ak, double ad, long ai);
    [LibraryImport(Lib)] internal static partial IntPtr ts_binary_scalar(int op, IntPtr a, int bk, double bd, long bi, int ak, double ad, long ai);
    [LibraryImport(Lib)] internal static partial int ts_binary_(int op, IntPtr a, IntPtr b, int ak, double ad, long ai);
    [LibraryImport(Lib)] internal static partial int ts_binary_scalar_(int op, IntPtr a, int bk, double bd, long bi, int ak, double ad, long ai);
    [LibraryImport(Lib)] internal static partial IntPtr ts_addcmul(IntPtr a, IntPtr t1, IntPtr t2, int k, double d, long i, int inplace);
    [LibraryImport(Lib)] internal static partial IntPtr ts_addcdiv(IntPtr a, IntPtr t1, IntPtr t2, int k, double d, long i, int inplace);
    [LibraryImport(Lib)] internal static partial IntPtr ts_lerp(IntPtr a, IntPtr end, IntPtr weight, int inplace);
    [LibraryImport(Lib)] internal static partial IntPtr ts_lerp_scalar(IntPtr a, IntPtr end, double weight, int inplace);
    [LibraryImport(Lib)] internal static partial IntPtr ts_where(IntPtr cond, IntPtr a, IntPtr b);
    [LibraryImport(Lib)] internal static partial IntPtr ts_clamp(IntPtr a, int hasMin, int mink, double mind, long mini, int hasMax, int maxk, double maxd, long maxi, int inplace);
    [LibraryImport(Lib)] internal static partial IntPtr ts_clamp_tensor(IntPtr a, IntPtr lo, IntPtr hi, int inplace);
    [LibraryImport(Lib)] internal static partial int ts_fill_(IntPtr a, int k, double d, long i);
    [LibraryImport(Lib)] internal static partial int ts_zero_(IntPtr a);
    [LibraryImport(Lib)] internal static partial IntPtr ts_masked_fill(IntPtr a, IntPtr mask, int k, double d, long i, int inplace);
    [LibraryImport(Lib)] internal static partial int ts_allclose(IntPtr a, IntPtr b, double rtol, double atol, int equalNan);
    [LibraryImport(Lib)] internal static partial int ts_equal(IntPtr a, IntPtr b);

    // ---- reductions ---------------------------------------------------------------------------
    [LibraryImport(Lib)] internal static partial IntPtr ts_reduce_all(int op, IntPtr a, int dtype);
    [LibraryImport(Lib)] internal static partial IntPtr ts_reduce_dims(int op, IntPtr a, long* dims, int ndims, int keepdim, int dtype);
    [LibraryImport(Lib)] internal static partial int ts_max_dim(IntPtr a, long dim, int keepdim, int isMin, IntPtr* values, IntPtr* indices);
    [LibraryImport(Lib)] internal static partial IntPtr ts_var(IntPtr a, long* dims, int ndims, long correction, int keepdim, int isStd);
    [LibraryImport(Lib)] internal static partial IntPtr ts_norm(IntPtr a, double p, long* dims, int ndims, int keepdim);
    [LibraryImport(Lib)] internal static partial IntPtr ts_cumulative(IntPtr a, long dim, int isProd, int dtype);

    // ---- shape --------------------------------------------------------------------------------
    [LibraryImport(Lib)] internal static partial IntPtr ts_reshape(IntPtr a, long* shape, int n);
    [LibraryImport(Lib)] internal static partial IntPtr ts_view(IntPtr a, long* shape, int n);
    [LibraryImport(Lib)] internal static partial IntPtr ts_permute(IntPtr a, long* dims, int n);
    [LibraryImport(Lib)] internal static partial IntPtr ts_expand(IntPtr a, long* shape, int n);
    [LibraryImport(Lib)] internal static partial IntPtr ts_repeat(IntPtr a, long* repeats, int n);
    [LibraryImport(Lib)] internal static partial IntPtr ts_flip(IntPtr a, long* dims, int n);
    [LibraryImport(Lib)] internal static partial IntPtr ts_roll(IntPtr a, long* shifts, int ns, long* dims, int nd);
    [LibraryImport(Lib)] internal static partial IntPtr ts_transpose(IntPtr a, long d0, long d1);
    [LibraryImport(Lib)] internal static partial IntPtr ts_unsqueeze(IntPtr a, long d);
    [LibraryImport(Lib)] internal static partial IntPtr ts_squeeze(IntPtr a, long d, int all);
    [LibraryImport(Lib)] internal static partial IntPtr ts_flatten(IntPtr a, long start, long end);
    [LibraryImport(Lib)] internal static partial IntPtr ts_narrow(IntPtr a, long d, long start, long length);
    [LibraryImport(Lib)] internal static partial IntPtr ts_slice(IntPtr a, long d, long start, long end, long step);
    [LibraryImport(Lib)] internal static partial IntPtr ts_select(IntPtr a, long d, long index);
    [LibraryImport(Lib)] internal static partial IntPtr ts_index_select(IntPtr a, long d, IntPtr index);
    [LibraryImport(Lib)] internal static partial IntPtr ts_gather(IntPtr a, long d, IntPtr index);
    [LibraryImport(Lib)] internal static partial IntPtr ts_scatter(IntPtr a, long d, IntPtr index, IntPtr src);
    [LibraryImport(Lib)] internal static partial IntPtr ts_index(IntPtr a, IntPtr* indices, int n);
    [LibraryImport(Lib)] internal static partial int ts_index_put_(IntPtr a, IntPtr* indices, int n, IntPtr value);
    [LibraryImport(Lib)] internal static partial IntPtr ts_cat(IntPtr* tensors, int n, long dim);
    [LibraryImport(Lib)] internal static partial IntPtr ts_stack(IntPtr* tensors, int n, long dim);
    [LibraryImport(Lib)] internal static partial int ts_chunk(IntPtr a, long chunks, long dim, IntPtr* outs, int capacity);
    [LibraryImport(Lib)] internal static partial IntPtr ts_tril(IntPtr a, long k, int upper);
    [LibraryImport(Lib)] internal static partial IntPtr ts_one_hot(IntPtr a, long classes);
    [LibraryImport(Lib)] internal static partial IntPtr ts_diag(IntPtr a, long k);

    // ---- linear algebra -----------------------------------------------------------------------
    [LibraryImport(Lib)] internal static partial IntPtr ts_matmul(IntPtr a, IntPtr b);
    [LibraryImport(Lib)] internal static partial IntPtr ts_mm(IntPtr a, IntPtr b);
    [LibraryImport(Lib)] internal static partial IntPtr ts_bmm(IntPtr a, IntPtr b);
    [LibraryImport(Lib)] internal static partial IntPtr ts_baddbmm(IntPtr self, IntPtr a, IntPtr b, double beta, double alpha);
    [LibraryImport(Lib)] internal static partial IntPtr ts_outer(IntPtr a, IntPtr b);
    [LibraryImport(Lib)] internal static partial IntPtr ts_softmax(IntPtr a, long dim, int dtype, int log);

    // ---- nn -----------------------------------------------------------------------------------
    [LibraryImport(Lib)] internal static partial IntPtr ts_conv2d(IntPtr x, IntPtr w, IntPtr b, long* stride, long* padding, long* dilation, long groups);
    [LibraryImport(Lib)] internal static partial IntPtr ts_conv_transpose2d(IntPtr x, IntPtr w, IntPtr b, long* stride, long* padding, long* outputPadding, long* dilation, long groups);
    [LibraryImport(Lib)] internal static partial IntPtr ts_linear(IntPtr x, IntPtr w, IntPtr b);
    [LibraryImport(Lib)] internal static partial IntPtr ts_group_norm(IntPtr x, long groups, IntPtr w, IntPtr b, double eps);
    [LibraryImport(Lib)] internal static partial IntPtr ts_layer_norm(IntPtr x, long* shape, int n, IntPtr w, IntPtr b, double eps);
    [LibraryImport(Lib)] internal static partial IntPtr ts_batch_norm(IntPtr x, IntPtr w, IntPtr b, IntPtr mean, IntPtr var, int training, double momentum, double eps);
    [LibraryImport(Lib)] internal static partial IntPtr ts_dropout(IntPtr x, double p, int training, int inplace);
    [LibraryImport(Lib)] internal static partial IntPtr ts_embedding(IntPtr weight, IntPtr indices);
    [LibraryImport(Lib)] internal static partial IntPtr ts_interpolate2d(IntPtr x, long* size, int nsize, double* scale, int nscale, int mode, int alignCorners);
    [LibraryImport(Lib)] internal static partial IntPtr ts_pad(IntPtr x, long* pad, int n, int mode, double value);
    [LibraryImport(Lib)] internal static partial IntPtr ts_max_pool2d(IntPtr x, long* kernel, long* stride, long* padding, long* dilation, int ceilMode);
    [LibraryImport(Lib)] internal static partial IntPtr ts_avg_pool2d(IntPtr x, long* kernel, long* stride, long* padding, int ceilMode, int countIncludePad);
    [LibraryImport(Lib)] internal static partial IntPtr ts_adaptive_avg_pool2d(IntPtr x, long* size);
    [LibraryImport(Lib)] internal static partial IntPtr ts_mse_loss(IntPtr x, IntPtr y, long reduction);
    [LibraryImport(Lib)] internal static partial IntPtr ts_l1_loss(IntPtr x, IntPtr y, long reduction);
    [LibraryImport(Lib)] internal static partial IntPtr ts_cross_entropy(IntPtr x, IntPtr y, IntPtr weight, long reduction, long ignoreIndex, double labelSmoothing);
    [LibraryImport(Lib)] internal static partial IntPtr ts_nll_loss(IntPtr x, IntPtr y, IntPtr weight, long reduction, long ignoreIndex);
    [LibraryImport(Lib)] internal static partial int ts_uniform_(IntPtr t, double low, double high, IntPtr gen);
    [LibraryImport(Lib)] internal static partial int ts_normal_(IntPtr t, double mean, double std, IntPtr gen);
    [LibraryImport(Lib)] internal static partial int ts_bernoulli_(IntPtr t, double p, IntPtr gen);

    // ---- profiler -------------------------------------------------------------------------------
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] internal static partial IntPtr ts_profiler_start(string tracePath);
    [LibraryImport(Lib)] internal static partial int ts_profiler_stop(IntPtr profile);
}
