// Shared plumbing of libtorchshim: the export macro, the error channel and handle conversions.
#pragma once
#include "pch.h"

#define TS_API extern "C" __attribute__((visibility("default")))

typedef at::Tensor* TsTensor;

namespace ts {

void set_error(const char* message);

// Every entry point runs its body through guard(): any exception becomes the thread-local message
// and the sentinel `fail` is returned, so a libtorch error can never unwind into managed code.
template <typename R, typename F>
inline R guard(R fail, F&& body) {
  try {
    return body();
  } catch (const c10::Error& e) {
    set_error(e.what_without_backtrace());
  } catch (const std::exception& e) {
    set_error(e.what());
  } catch (...) {
    set_error("unknown native exception");
  }
  return fail;
}

inline TsTensor wrap(at::Tensor t) { return new at::Tensor(std::move(t)); }

// Status-returning entry points: 0 on success, -1 on error.
template <typename F>
inline int32_t status(F&& body) {
  return guard<int32_t>(-1, [&]() { body(); return 0; });
}

template <typename F>
inline TsTensor tensor(F&& body) {
  return guard<TsTensor>(nullptr, [&]() -> TsTensor { return wrap(body()); });
}

inline at::IntArrayRef dims(const int64_t* p, int32_t n) { return at::IntArrayRef(p, static_cast<size_t>(n)); }

inline at::ScalarType dtype(int32_t code) { return static_cast<at::ScalarType>(code); }

// Scalars cross the ABI as (kind, double, int64): kind 0 = floating, 1 = integral, 2 = boolean.
inline at::Scalar scalar(int32_t kind, double d, int64_t i) {
  switch (kind) {
    case 1: return at::Scalar(i);
    case 2: return at::Scalar(i != 0);
    default: return at::Scalar(d);
  }
}

inline at::TensorOptions options(int32_t dtype_code, int32_t requires_grad) {
  return at::TensorOptions().dtype(dtype(dtype_code)).requires_grad(requires_grad != 0);
}

// at:: factories ignore TensorOptions::requires_grad (only torch:: ones honour it), so set it here.
inline at::Tensor with_grad(at::Tensor t, int32_t requires_grad) {
  if (requires_grad != 0) t.requires_grad_(true);
  return t;
}

inline c10::optional<at::Generator> generator(void* g) {
  if (g == nullptr) return c10::nullopt;
  return *static_cast<at::Generator*>(g);
}

inline std::vector<at::Tensor> tensors(const TsTensor* p, int32_t n) {
  std::vector<at::Tensor> v;
  v.reserve(n);
  for (int32_t k = 0; k < n; ++k) v.push_back(*p[k]);
  return v;
}

}  // namespace ts
