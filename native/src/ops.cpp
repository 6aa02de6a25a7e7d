// Pointwise, reduction, shape and linear-algebra operations, dispatched by small op codes so the
// C ABI stays narrow. The codes are mirrored by TorchSharp/PInvoke/OpCodes.cs: keep both in step.
#include "common.h"

using ts::dims;

namespace {

at::Tensor unary(int32_t op, const at::Tensor& a) {
  switch (op) {
    case 0: return a.neg();
    case 1: return a.abs();
    case 2: return a.sqrt();
    case 3: return a.rsqrt();
    case 4: return a.exp();
    case 5: return a.log();
    case 6: return a.sin();
    case 7: return a.cos();
    case 8: return a.tanh();
    case 9: return a.sigmoid();
    case 10: return at::silu(a);
    case 11: return a.reciprocal();
    case 12: return a.square();
    case 13: return a.relu();
    case 14: return a.sign();
    case 15: return a.floor();
    case 16: return a.ceil();
    case 17: return a.trunc();
    case 18: return a.log1p();
    case 19: return a.expm1();
    case 20: return a.logical_not();
    case 21: return a.bitwise_not();
    case 22: return a.isnan();
    case 23: return a.isinf();
    case 24: return a.isfinite();
    case 25: return a.erf();
    case 26: return at::gelu(a);
    case 27: return a.round();
    case 28: return a.log2();
    case 29: return a.log10();
    case 30: return a.tan();
    case 31: return a.t();
    case 32: return a.sgn();
  }
  TORCH_CHECK(false, "unknown unary op code ", op);
}

void unary_(int32_t op, at::Tensor& a) {
  switch (op) {
    case 0: a.neg_(); return;
    case 1: a.abs_(); return;
    case 2: a.sqrt_(); return;
    case 3: a.rsqrt_(); return;
    case 4: a.exp_(); return;
    case 5: a.log_(); return;
    case 6: a.sin_(); return;
    case 7: a.cos_(); return;
    case 8: a.tanh_(); return;
    case 9: a.sigmoid_(); return;
    case 10: at::silu_(a); return;
    case 11: a.reciprocal_(); return;
    case 12: a.square_(); return;
    case 13: a.relu_(); return;
    case 14: a.sign_(); return;
    case 15: a.floor_(); return;
    case 16: a.ceil_(); return;
    case 17: a.trunc_(); return;
    case 18: a.log1p_(); return;
    case 19: a.expm1_(); return;
    case 25: a.erf_(); return;
    case 27: a.round_(); return;
  }
  TORCH_CHECK(false, "unary op code ", op, " has no in-place form");
}

at::Tensor binary(int32_t op, const at::Tensor& a, const at::Tensor& b, const at::Scalar& alpha) {
  switch (op) {
    case 0: return at::add(a, b, alpha);
    case 1: return at::sub(a, b, alpha);
    case 2: return at::mul(a, b);
    case 3: return at::div(a, b);
    case 4: return at::pow(a, b);
    case 5: return at::remainder(a, b);
    case 6: return at::eq(a, b);
    case 7: return at::ne(a, b);
    case 8: return at::lt(a, b);
    case 9: return at::le(a, b);
    case 10: return at::gt(a, b);
    case 11: return at::ge(a, b);
    case 12: return at::maximum(a, b);
    case 13: return at::minimum(a, b);
    case 14: return at::logical_and(a, b);
    case 15: return at::logical_or(a, b);
    case 16: return at::logical_xor(a, b);
    case 17: return at::bitwise_and(a, b);
    case 18: return at::bitwise_or(a, b);
    case 19: return at::bitwise_xor(a, b);
    case 20: return at::atan2(a, b);
    case 21: return at::fmod(a, b);
    case 22: return at::div(a, b, "floor");
    case 23: return at::div(a, b, "trunc");
  }
  TORCH_CHECK(false, "unknown binary op code ", op);
}

at::Tensor binary_scalar(int32_t op, const at::Tensor& a, const at::Scalar& b, const at::Scalar& alpha) {
  switch (op) {
    case 0: return at::add(a, b, alpha);
    case 1: return at::sub(a, b, alpha);
    case 2: return at::mul(a, b);
    case 3: return at::div(a, b);
    case 4: return at::pow(a, b);
    case 5: return at::remainder(a, b);
    case 6: return at::eq(a, b);
    case 7: return at::ne(a, b);
    case 8: return at::lt(a, b);
    case 9: return at::le(a, b);
    case 10: return at::gt(a, b);
    case 11: return at::ge(a, b);
    case 12: return at::clamp_min(a, b);
    case 13: return at::clamp_max(a, b);
    case 17: return at::bitwise_and(a, b);
    case 18: return at::bitwise_or(a, b);
    case 19: return at::bitwise_xor(a, b);
    case 21: return at::fmod(a, b);
    case 22: return at::div(a, b, "floor");
    case 23: return at::div(a, b, "trunc");
    // Reversed forms: scalar OP tensor.
    case 30: return at::rsub(a, b, alpha);
    case 31: return at::mul(a.reciprocal(), b);
    case 32: return at::pow(b, a);
    case 33: return at::remainder(at::scalar_tensor(b, a.options()), a);
  }
  TORCH_CHECK(false, "unknown binary-scalar op code ", op);
}

void binary_(int32_t op, at::Tensor& a, const at::Tensor& b, const at::Scalar& alpha) {
  switch (op) {
    case 0: a.add_(b, alpha); return;
    case 1: a.sub_(b, alpha); return;
    case 2: a.mul_(b); return;
    case 3: a.div_(b); return;
    case 4: a.pow_(b); return;
    case 5: a.remainder_(b); return;
    case 22: a.div_(b, "floor"); return;
    case 23: a.div_(b, "trunc"); return;
  }
  TORCH_CHECK(false, "binary op code ", op, " has no in-place form");
}

void binary_scalar_(int32_t op, at::Tensor& a, const at::Scalar& b, const at::Scalar& alpha) {
  switch (op) {
    case 0: a.add_(b, alpha); return;
    case 1: a.sub_(b, alpha); return;
    case 2: a.mul_(b); return;
    case 3: a.div_(b); return;
    case 4: a.pow_(b); return;
    case 5: a.remainder_(b); return;
    case 12: a.clamp_min_(b); return;
    case 13: a.clamp_max_(b); return;
    case 22: a.div_(b, "floor"); return;
    case 23: a.div_(b, "trunc"); return;
  }
  TORCH_CHECK(false, "binary-scalar op code ", op, " has no in-place form");
}

c10::optional<at::ScalarType> opt_dtype(int32_t code) {
  if (code < 0) return c10::nullopt;
  return ts::dtype(code);
}

}  // namespace

TS_API TsTensor ts_unary(int32_t op, TsTensor a) { return ts::tensor([&] { return unary(op, *a); }); }
TS_API int32_t ts_unary_(int32_t op, TsTensor a) { return ts::status([&] { unary_(op, *a); }); }

TS_API TsTensor ts_binary(int32_t op, TsTensor a, TsTensor b, int32_t ak, double ad, int64_t ai) {
  return ts::tensor([&] { return binary(op, *a, *b, ts::scalar(ak, ad, ai)); });
}
TS_API TsTensor ts_binary_scalar(int32_t op, TsTensor a, int32_t bk, double bd, int64_t bi, int32_t ak, double ad, int64_t ai) {
  return ts::tensor([&] { return binary_scalar(op, *a, ts::scalar(bk, bd, bi), ts::scalar(ak, ad, ai)); });
}
TS_API int32_t ts_binary_(int32_t op, TsTensor a, TsTensor b, int32_t ak, double ad, int64_t ai) {
  return ts::status([&] { binary_(op, *a, *b, ts::scalar(ak, ad, ai)); });
}
TS_API int32_t ts_binary_scalar_(int32_t op, TsTensor a, int32_t bk, double bd, int64_t bi, int32_t ak, double ad, int64_t ai) {
  return ts::status([&] { binary_scalar_(op, *a, ts::scalar(bk, bd, bi), ts::scalar(ak, ad, ai)); });
}

// ---- ternary and clamping ------------------------------------------------------------------
TS_API TsTensor ts_addcmul(TsTensor a, TsTensor t1, TsTensor t2, int32_t k, double d, int64_t i, int32_t inplace) {
  return ts::tensor([&] { return inplace ? a->addcmul_(*t1, *t2, ts::scalar(k, d, i)) : a->addcmul(*t1, *t2, ts::scalar(k, d, i)); });
}
TS_API TsTensor ts_addcdiv(TsTensor a, TsTensor t1, TsTensor t2, int32_t k, double d, int64_t i, int32_t inplace) {
  return ts::tensor([&] { return inplace ? a->addcdiv_(*t1, *t2, ts::scalar(k, d, i)) : a->addcdiv(*t1, *t2, ts::scalar(k, d, i)); });
}
TS_API TsTensor ts_lerp(TsTensor a, TsTensor end, TsTensor weight, int32_t inplace) {
  return ts::tensor([&] { return inplace ? a->lerp_(*end, *weight) : a->lerp(*end, *weight); });
}
TS_API TsTensor ts_lerp_scalar(TsTensor a, TsTensor end, double weight, int32_t inplace) {
  return ts::tensor([&] { return inplace ? a->lerp_(*end, weight) : a->lerp(*end, weight); });
}
TS_API TsTensor ts_where(TsTensor cond, TsTensor a, TsTensor b) { return ts::tensor([&] { return at::where(*cond, *a, *b); }); }
// Missing bounds are signalled by has_min/has_max = 0.
TS_API TsTensor ts_clamp(TsTensor a, int32_t has_min, int32_t mink, double mind, int64_t mini,
                         int32_t has_max, int32_t maxk, double maxd, int64_t maxi, int32_t inplace) {
  return ts::tensor([&] {
    c10::optional<at::Scalar> lo, hi;
    if (has_min) lo = ts::scalar(mink, mind, mini);
    if (has_max) hi = ts::scalar(maxk, maxd, maxi);
    return inplace ? a->clamp_(lo, hi) : a->clamp(lo, hi);
  });
}
TS_API TsTensor ts_clamp_tensor(TsTensor a, TsTensor lo, TsTensor hi, int32_t inplace) {
  return ts::tensor([&] {
    c10::optional<at::Tensor> l, h;
    if (lo) l = *lo;
    if (hi) h = *hi;
    return inplace ? a->clamp_(l, h) : a->clamp(l, h);
  });
}
TS_API int32_t ts_fill_(TsTensor a, int32_t k, double d, int64_t i) { return ts::status([&] { a->fill_(ts::scalar(k, d, i)); }); }
TS_API int32_t ts_zero_(TsTensor a) { return ts::status([&] { a->zero_(); }); }
TS_API TsTensor ts_masked_fill(TsTensor a, TsTensor mask, int32_t k, double d, int64_t i, int32_t inplace) {
  return ts::tensor([&] { return inplace ? a->masked_fill_(*mask, ts::scalar(k, d, i)) : a->masked_fill(*mask, ts::scalar(k, d, i)); });
}
TS_API int32_t ts_allclose(TsTensor a, TsTensor b, double rtol, double atol, int32_t equal_nan) {
  return ts::guard<int32_t>(-1, [&] { return at::allclose(*a, *b, rtol, atol, equal_nan != 0) ? 1 : 0; });
}
TS_API int32_t ts_equal(TsTensor a, TsTensor b) { return ts::guard<int32_t>(-1, [&] { return at::equal(*a, *b) ? 1 : 0; }); }

// ---- reductions ----------------------------------------------------------------------------
TS_API TsTensor ts_reduce_all(int32_t op, TsTensor a, int32_t dtype) {
  return ts::tensor([&]() -> at::Tensor {
    switch (op) {
      case 0: return at::sum(*a, opt_dtype(dtype));
      case 1: return at::mean(*a, opt_dtype(dtype));
      case 2: return at::max(*a);
      case 3: return at::min(*a);
      case 4: return at::prod(*a, opt_dtype(dtype));
      case 5: return at::all(*a);
      case 6: return at::any(*a);
      case 7: return at::argmax(*a);
      case 8: return at::argmin(*a);
    }
    TORCH_CHECK(false, "unknown reduction code ", op);
  });
}
TS_API TsTensor ts_reduce_dims(int32_t op, TsTensor a, const int64_t* d, int32_t nd, int32_t keepdim, int32_t dtype) {
  return ts::tensor([&]() -> at::Tensor {
    auto ds = dims(d, nd);
    bool k = keepdim != 0;
    switch (op) {
      case 0: return at::sum(*a, ds, k, opt_dtype(dtype));
      case 1: return at::mean(*a, ds, k, opt_dtype(dtype));
      case 2: return at::amax(*a, ds, k);
      case 3: return at::amin(*a, ds, k);
      case 4: TORCH_CHECK(nd == 1, "prod takes one dimension"); return at::prod(*a, d[0], k, opt_dtype(dtype));
      case 5: TORCH_CHECK(nd == 1, "all takes one dimension"); return at::all(*a, d[0], k);
      case 6: TORCH_CHECK(nd == 1, "any takes one dimension"); return at::any(*a, d[0], k);
      case 7: TORCH_CHECK(nd == 1, "argmax takes one dimension"); return at::argmax(*a, d[0], k);
      case 8: TORCH_CHECK(nd == 1, "argmin takes one dimension"); return at::argmin(*a, d[0], k);
      case 9: return at::logsumexp(*a, ds, k);
    }
    TORCH_CHECK(false, "unknown reduction code ", op);
  });
}
// max/min along a dimension returning (values, indices).
TS_API int32_t ts_max_dim(TsTensor a, int64_t dim, int32_t keepdim, int32_t is_min, TsTensor* values, TsTensor* indices) {
  return ts::status([&] {
    auto r = is_min ? at::min(*a, dim, keepdim != 0) : at::max(*a, dim, keepdim != 0);
    *values = ts::wrap(std::get<0>(r));
    *indices = ts::wrap(std::get<1>(r));
  });
}
// Variance (is_std = 0) or standard deviation over `d` (nd < 0: all elements), with Bessel-style correction.
TS_API TsTensor ts_var(TsTensor a, const int64_t* d, int32_t nd, int64_t correction, int32_t keepdim, int32_t is_std) {
  return ts::tensor([&] {
    c10::optional<at::IntArrayRef> ds;
    if (nd >= 0) ds = dims(d, nd);
    return is_std ? at::std(*a, ds, correction, keepdim != 0) : at::var(*a, ds, correction, keepdim != 0);
  });
}
TS_API TsTensor ts_norm(TsTensor a, double p, const int64_t* d, int32_t nd, int32_t keepdim) {
  return ts::tensor([&] {
    if (nd < 0) return at::norm(*a, p);
    return at::norm(*a, p, dims(d, nd), keepdim != 0);
  });
}
TS_API TsTensor ts_cumulative(TsTensor a, int64_t dim, int32_t is_prod, int32_t dtype) {
  return ts::tensor([&] { return is_prod ? at::cumprod(*a, dim, opt_dtype(dtype)) : at::cumsum(*a, dim, opt_dtype(dtype)); });
}

// ---- shape ---------------------------------------------------------------------------------
TS_API TsTensor ts_reshape(TsTensor a, const int64_t* s, int32_t n) { return ts::tensor([&] { return a->reshape(dims(s, n)); }); }
TS_API TsTensor ts_view(TsTensor a, const int64_t* s, int32_t n) { return ts::tensor([&] { return a->view(dims(s, n)); }); }
TS_API TsTensor ts_permute(TsTensor a, const int64_t* s, int32_t n) { return ts::tensor([&] { return a->permute(dims(s, n)); }); }
TS_API TsTensor ts_expand(TsTensor a, const int64_t* s, int32_t n) { return ts::tensor([&] { return a->expand(dims(s, n)); }); }
TS_API TsTensor ts_repeat(TsTensor a, const int64_t* s, int32_t n) { return ts::tensor([&] { return a->repeat(dims(s, n)); }); }
TS_API TsTensor ts_flip(TsTensor a, const int64_t* s, int32_t n) { return ts::tensor([&] { return a->flip(dims(s, n)); }); }
TS_API TsTensor ts_roll(TsTensor a, const int64_t* shifts, int32_t ns, const int64_t* d, int32_t nd) {
  return ts::tensor([&] { return a->roll(dims(shifts, ns), dims(d, nd)); });
}
TS_API TsTensor ts_transpose(TsTensor a, int64_t d0, int64_t d1) { return ts::tensor([&] { return a->transpose(d0, d1); }); }
TS_API TsTensor ts_unsqueeze(TsTensor a, int64_t d) { return ts::tensor([&] { return a->unsqueeze(d); }); }
TS_API TsTensor ts_squeeze(TsTensor a, int64_t d, int32_t all) { return ts::tensor([&] { return all ? a->squeeze() : a->squeeze(d); }); }
TS_API TsTensor ts_flatten(TsTensor a, int64_t s, int64_t e) { return ts::tensor([&] { return a->flatten(s, e); }); }
TS_API TsTensor ts_narrow(TsTensor a, int64_t d, int64_t start, int64_t len) { return ts::tensor([&] { return a->narrow(d, start, len); }); }
TS_API TsTensor ts_slice(TsTensor a, int64_t d, int64_t start, int64_t end, int64_t step) {
  return ts::tensor([&] { return a->slice(d, start, end, step); });
}
TS_API TsTensor ts_select(TsTensor a, int64_t d, int64_t i) { return ts::tensor([&] { return a->select(d, i); }); }
TS_API TsTensor ts_index_select(TsTensor a, int64_t d, TsTensor idx) { return ts::tensor([&] { return a->index_select(d, *idx); }); }
TS_API TsTensor ts_gather(TsTensor a, int64_t d, TsTensor idx) { return ts::tensor([&] { return a->gather(d, *idx); }); }
TS_API TsTensor ts_scatter(TsTensor a, int64_t d, TsTensor idx, TsTensor src) { return ts::tensor([&] { return a->scatter(d, *idx, *src); }); }
// Advanced indexing a[i0, i1, ...] where a NULL entry stands for a full slice.
TS_API TsTensor ts_index(TsTensor a, const TsTensor* idx, int32_t n) {
  return ts::tensor([&] {
    c10::List<c10::optional<at::Tensor>> list;
    for (int32_t k = 0; k < n; ++k) list.push_back(idx[k] ? c10::optional<at::Tensor>(*idx[k]) : c10::nullopt);
    return at::index(*a, list);
  });
}
TS_API int32_t ts_index_put_(TsTensor a, const TsTensor* idx, int32_t n, TsTensor value) {
  return ts::status([&] {
    c10::List<c10::optional<at::Tensor>> list;
    for (int32_t k = 0; k < n; ++k) list.push_back(idx[k] ? c10::optional<at::Tensor>(*idx[k]) : c10::nullopt);
    a->index_put_(list, *value);
  });
}
TS_API TsTensor ts_cat(const TsTensor* ts_, int32_t n, int64_t d) { return ts::tensor([&] { return at::cat(ts::tensors(ts_, n), d); }); }
TS_API TsTensor ts_stack(const TsTensor* ts_, int32_t n, int64_t d) { return ts::tensor([&] { return at::stack(ts::tensors(ts_, n), d); }); }
// Splits into at most `capacity` chunks; writes the handles and returns how many there are (-1 on error).
TS_API int32_t ts_chunk(TsTensor a, int64_t chunks, int64_t d, TsTensor* out, int32_t capacity) {
  return ts::guard<int32_t>(-1, [&]() -> int32_t {
    auto parts = a->chunk(chunks, d);
    TORCH_CHECK(static_cast<int32_t>(parts.size()) <= capacity, "chunk produced more parts than expected");
    for (size_t k = 0; k < parts.size(); ++k) out[k] = ts::wrap(parts[k]);
    return static_cast<int32_t>(parts.size());
  });
}
TS_API TsTensor ts_tril(TsTensor a, int64_t k, int32_t upper) { return ts::tensor([&] { return upper ? a->triu(k) : a->tril(k); }); }
TS_API TsTensor ts_one_hot(TsTensor a, int64_t classes) { return ts::tensor([&] { return at::one_hot(*a, classes); }); }
TS_API TsTensor ts_diag(TsTensor a, int64_t k) { return ts::tensor([&] { return a->diag(k); }); }

// ---- linear algebra and softmax ------------------------------------------------------------
TS_API TsTensor ts_matmul(TsTensor a, TsTensor b) { return ts::tensor([&] { return at::matmul(*a, *b); }); }
TS_API TsTensor ts_mm(TsTensor a, TsTensor b) { return ts::tensor([&] { return at::mm(*a, *b); }); }
TS_API TsTensor ts_bmm(TsTensor a, TsTensor b) { return ts::tensor([&] { return at::bmm(*a, *b); }); }
TS_API TsTensor ts_baddbmm(TsTensor self, TsTensor a, TsTensor b, double beta, double alpha) {
  return ts::tensor([&] { return at::baddbmm(*self, *a, *b, beta, alpha); });
}
TS_API TsTensor ts_outer(TsTensor a, TsTensor b) { return ts::tensor([&] { return at::outer(*a, *b); }); }
TS_API TsTensor ts_softmax(TsTensor a, int64_t d, int32_t dtype, int32_t log) {
  return ts::tensor([&] { return log ? at::log_softmax(*a, d, opt_dtype(dtype)) : at::softmax(*a, d, opt_dtype(dtype)); });
}
