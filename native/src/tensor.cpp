// Tensor lifecycle, metadata, factories, host copies and autograd.
#include "common.h"

using ts::dims;

TS_API void ts_tensor_dispose(TsTensor t) { delete t; }
TS_API TsTensor ts_tensor_alias(TsTensor t) { return ts::tensor([&] { return *t; }); }
TS_API int64_t ts_tensor_live_native() { return 0; }

TS_API int32_t ts_tensor_ndim(TsTensor t) { return ts::guard<int32_t>(-1, [&] { return static_cast<int32_t>(t->dim()); }); }
TS_API int32_t ts_tensor_sizes(TsTensor t, int64_t* out) {
  return ts::status([&] { auto s = t->sizes(); std::copy(s.begin(), s.end(), out); });
}
TS_API int32_t ts_tensor_strides(TsTensor t, int64_t* out) {
  return ts::status([&] { auto s = t->strides(); std::copy(s.begin(), s.end(), out); });
}
TS_API int32_t ts_tensor_dtype(TsTensor t) { return ts::guard<int32_t>(-1, [&] { return static_cast<int32_t>(t->scalar_type()); }); }
TS_API int32_t ts_tensor_device_type(TsTensor t) { return ts::guard<int32_t>(-1, [&] { return static_cast<int32_t>(t->device().type()); }); }
TS_API int32_t ts_tensor_device_index(TsTensor t) { return ts::guard<int32_t>(-2, [&] { return static_cast<int32_t>(t->device().index()); }); }
TS_API int64_t ts_tensor_numel(TsTensor t) { return ts::guard<int64_t>(-1, [&] { return t->numel(); }); }
TS_API int64_t ts_tensor_element_size(TsTensor t) { return ts::guard<int64_t>(-1, [&] { return static_cast<int64_t>(t->element_size()); }); }
TS_API int32_t ts_tensor_is_contiguous(TsTensor t) { return ts::guard<int32_t>(-1, [&] { return t->is_contiguous() ? 1 : 0; }); }
TS_API int32_t ts_tensor_defined(TsTensor t) { return t->defined() ? 1 : 0; }

// ---- host copies: data is always copied, never pinned ------------------------------------------
TS_API TsTensor ts_tensor_from_buffer(const void* data, const int64_t* shape, int32_t ndim, int32_t dtype, int32_t requires_grad) {
  return ts::tensor([&] {
    auto t = at::from_blob(const_cast<void*>(data), dims(shape, ndim), at::TensorOptions().dtype(ts::dtype(dtype))).clone();
    if (requires_grad) t.set_requires_grad(true);
    return t;
  });
}
// Copies the tensor's elements (row-major) into `buffer`, which holds `bytes` bytes.
TS_API int32_t ts_tensor_copy_to_buffer(TsTensor t, void* buffer, int64_t bytes) {
  return ts::status([&] {
    auto c = t->detach().to(at::kCPU).contiguous();
    int64_t need = c.numel() * static_cast<int64_t>(c.element_size());
    TORCH_CHECK(need == bytes, "buffer holds ", bytes, " bytes but the tensor has ", need);
    if (need > 0) std::memcpy(buffer, c.data_ptr(), need);
  });
}
// Overwrites the tensor's elements from `buffer` (same dtype, same element count).
TS_API int32_t ts_tensor_copy_from_buffer(TsTensor t, const void* buffer, int64_t bytes) {
  return ts::status([&] {
    int64_t need = t->numel() * static_cast<int64_t>(t->element_size());
    TORCH_CHECK(need == bytes, "buffer holds ", bytes, " bytes but the tensor has ", need);
    auto src = at::from_blob(const_cast<void*>(buffer), t->sizes(), t->options().device(at::kCPU).requires_grad(false));
    at::NoGradGuard ng;
    t->copy_(src);
  });
}
TS_API int32_t ts_tensor_item_f64(TsTensor t, double* out) { return ts::status([&] { *out = t->item<double>(); }); }
TS_API int32_t ts_tensor_item_i64(TsTensor t, int64_t* out) { return ts::status([&] { *out = t->item<int64_t>(); }); }

// ---- factories -----------------------------------------------------------------------------
TS_API TsTensor ts_empty(const int64_t* shape, int32_t ndim, int32_t dtype, int32_t rg) {
  return ts::tensor([&] { return ts::with_grad(at::empty(dims(shape, ndim), ts::options(dtype, 0)), rg); });
}
TS_API TsTensor ts_zeros(const int64_t* shape, int32_t ndim, int32_t dtype, int32_t rg) {
  return ts::tensor([&] { return ts::with_grad(at::zeros(dims(shape, ndim), ts::options(dtype, 0)), rg); });
}
TS_API TsTensor ts_ones(const int64_t* shape, int32_t ndim, int32_t dtype, int32_t rg) {
  return ts::tensor([&] { return ts::with_grad(at::ones(dims(shape, ndim), ts::options(dtype, 0)), rg); });
}
TS_API TsTensor ts_full(const int64_t* shape, int32_t ndim, int32_t kind, double d, int64_t i, int32_t dtype, int32_t rg) {
  return ts::tensor([&] { return ts::with_grad(at::full(dims(shape, ndim), ts::scalar(kind, d, i), ts::options(dtype, 0)), rg); });
}
TS_API TsTensor ts_rand(const int64_t* shape, int32_t ndim, int32_t dtype, int32_t rg, void* gen) {
  return ts::tensor([&] { return ts::with_grad(at::rand(dims(shape, ndim), ts::generator(gen), ts::options(dtype, 0)), rg); });
}
TS_API TsTensor ts_randn(const int64_t* shape, int32_t ndim, int32_t dtype, int32_t rg, void* gen) {
  return ts::tensor([&] { return ts::with_grad(at::randn(dims(shape, ndim), ts::generator(gen), ts::options(dtype, 0)), rg); });
}
TS_API TsTensor ts_randint(int64_t low, int64_t high, const int64_t* shape, int32_t ndim, int32_t dtype, int32_t rg, void* gen) {
  return ts::tensor([&] { return ts::with_grad(at::randint(low, high, dims(shape, ndim), ts::generator(gen), ts::options(dtype, 0)), rg); });
}
TS_API TsTensor ts_randperm(int64_t n, int32_t dtype, int32_t rg, void* gen) {
  return ts::tensor([&] { return ts::with_grad(at::randperm(n, ts::generator(gen), ts::options(dtype, 0)), rg); });
}
TS_API TsTensor ts_arange(int32_t kind, double start, double end, double step, int64_t istart, int64_t iend, int64_t istep, int32_t dtype, int32_t rg) {
  return ts::tensor([&] {
    return ts::with_grad(at::arange(ts::scalar(kind, start, istart), ts::scalar(kind, end, iend), ts::scalar(kind, step, istep), ts::options(dtype, 0)), rg);
  });
}
TS_API TsTensor ts_linspace(double start, double end, int64_t steps, int32_t dtype, int32_t rg) {
  return ts::tensor([&] { return ts::with_grad(at::linspace(start, end, steps, ts::options(dtype, 0)), rg); });
}
TS_API TsTensor ts_eye(int64_t n, int64_t m, int32_t dtype, int32_t rg) {
  return ts::tensor([&] { return ts::with_grad(at::eye(n, m, ts::options(dtype, 0)), rg); });
}

// ---- conversion ----------------------------------------------------------------------------
TS_API TsTensor ts_to_dtype(TsTensor t, int32_t dtype, int32_t copy) {
  return ts::tensor([&] { return t->to(ts::dtype(dtype), false, copy != 0); });
}
TS_API TsTensor ts_to_device(TsTensor t, int32_t device_type, int32_t device_index, int32_t copy) {
  return ts::tensor([&] {
    return t->to(at::Device(static_cast<at::DeviceType>(device_type), static_cast<c10::DeviceIndex>(device_index)), false, copy != 0);
  });
}
TS_API TsTensor ts_clone(TsTensor t) { return ts::tensor([&] { return t->clone(); }); }
TS_API TsTensor ts_contiguous(TsTensor t) { return ts::tensor([&] { return t->contiguous(); }); }
TS_API int32_t ts_copy_(TsTensor dst, TsTensor src) { return ts::status([&] { dst->copy_(*src); }); }
// Sets the memory format of a 4-D tensor: 0 = contiguous (NCHW), 1 = channels-last (NHWC).
TS_API TsTensor ts_to_memory_format(TsTensor t, int32_t format) {
  return ts::tensor([&] { return t->contiguous(format == 1 ? at::MemoryFormat::ChannelsLast : at::MemoryFormat::Contiguous); });
}

// ---- autograd ------------------------------------------------------------------------------
TS_API int32_t ts_requires_grad(TsTensor t) { return ts::guard<int32_t>(-1, [&] { return t->requires_grad() ? 1 : 0; }); }
TS_API int32_t ts_set_requires_grad(TsTensor t, int32_t v) { return ts::status([&] { t->set_requires_grad(v != 0); }); }
TS_API int32_t ts_is_leaf(TsTensor t) { return ts::guard<int32_t>(-1, [&] { return t->is_leaf() ? 1 : 0; }); }
// Writes a new handle to the gradient, or NULL when there is none; returns the status.
TS_API int32_t ts_grad(TsTensor t, TsTensor* out) {
  return ts::status([&] {
    const auto& g = t->grad();
    *out = g.defined() ? ts::wrap(g) : nullptr;
  });
}
TS_API int32_t ts_set_grad(TsTensor t, TsTensor g) {
  return ts::status([&] { t->mutable_grad() = g ? *g : at::Tensor(); });
}
TS_API int32_t ts_retain_grad(TsTensor t) { return ts::status([&] { t->retain_grad(); }); }
TS_API TsTensor ts_detach(TsTensor t) { return ts::tensor([&] { return t->detach(); }); }
TS_API int32_t ts_detach_(TsTensor t) { return ts::status([&] { t->detach_(); }); }
TS_API int32_t ts_backward(TsTensor t, TsTensor grad, int32_t retain_graph, int32_t create_graph) {
  return ts::status([&] {
    at::Tensor g = grad ? *grad : at::Tensor();
    t->backward(g, retain_graph != 0, create_graph != 0);
  });
}
// Backward for several roots at once (torch.autograd.backward).
TS_API int32_t ts_backward_many(const TsTensor* roots, const TsTensor* grads, int32_t n, int32_t retain_graph, int32_t create_graph) {
  return ts::status([&] {
    std::vector<at::Tensor> r = ts::tensors(roots, n);
    std::vector<at::Tensor> g;
    for (int32_t k = 0; k < n; ++k) g.push_back(grads && grads[k] ? *grads[k] : at::Tensor());
    torch::autograd::backward(r, g, retain_graph != 0, create_graph != 0);
  });
}
