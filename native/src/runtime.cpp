// Process-wide state: errors, threads, seeds, grad mode, generators.
#include "common.h"
#include <c10/core/InferenceMode.h>

namespace ts {
static thread_local std::string last_error;
void set_error(const char* message) { last_error = message ? message : ""; }
}  // namespace ts

// The message of the last failed call on this thread; valid until the next failing call.
TS_API const char* ts_last_error() { return ts::last_error.c_str(); }

TS_API int32_t ts_set_num_threads(int32_t n) { return ts::status([&] { at::set_num_threads(n); }); }
TS_API int32_t ts_get_num_threads() { return at::get_num_threads(); }
TS_API int32_t ts_set_num_interop_threads(int32_t n) { return ts::status([&] { at::set_num_interop_threads(n); }); }
TS_API int32_t ts_get_num_interop_threads() { return at::get_num_interop_threads(); }

TS_API int32_t ts_cuda_is_available() { return at::hasCUDA() ? 1 : 0; }

// Writes at most `capacity` bytes of the build configuration and returns its full length.
TS_API int64_t ts_config(char* buffer, int64_t capacity) {
  return ts::guard<int64_t>(-1, [&]() -> int64_t {
    std::string s = at::show_config() + "\nparallel: " + at::get_parallel_info();
    if (buffer && capacity > 0) {
      auto n = std::min<int64_t>(capacity - 1, static_cast<int64_t>(s.size()));
      std::memcpy(buffer, s.data(), n);
      buffer[n] = 0;
    }
    return static_cast<int64_t>(s.size());
  });
}

TS_API int32_t ts_is_grad_enabled() { return at::GradMode::is_enabled() ? 1 : 0; }
TS_API void ts_set_grad_enabled(int32_t enabled) { at::GradMode::set_enabled(enabled != 0); }

// Inference mode is a thread-local RAII guard in libtorch; the managed side keeps the guard object
// alive for the extent of its `using` block and must exit on the same thread.
TS_API void* ts_inference_mode_enter(int32_t enabled) {
  return ts::guard<void*>(nullptr, [&]() -> void* { return new c10::InferenceMode(enabled != 0); });
}
TS_API void ts_inference_mode_exit(void* guard) { delete static_cast<c10::InferenceMode*>(guard); }
TS_API int32_t ts_is_inference_mode_enabled() { return c10::InferenceMode::is_enabled() ? 1 : 0; }

// ---- generators ------------------------------------------------------------------------------
TS_API void* ts_generator_default() {
  return ts::guard<void*>(nullptr, [&]() -> void* { return new at::Generator(at::detail::getDefaultCPUGenerator()); });
}
TS_API void* ts_generator_new(uint64_t seed) {
  return ts::guard<void*>(nullptr, [&]() -> void* { return new at::Generator(at::make_generator<at::CPUGeneratorImpl>(seed)); });
}
TS_API void ts_generator_dispose(void* g) { delete static_cast<at::Generator*>(g); }
TS_API int32_t ts_generator_manual_seed(void* g, int64_t seed) {
  return ts::status([&] {
    auto& gen = *static_cast<at::Generator*>(g);
    std::lock_guard<std::mutex> lock(gen.mutex());
    gen.set_current_seed(static_cast<uint64_t>(seed));
  });
}
TS_API int32_t ts_generator_initial_seed(void* g, int64_t* out) {
  return ts::status([&] { *out = static_cast<int64_t>(static_cast<at::Generator*>(g)->current_seed()); });
}
TS_API int32_t ts_generator_seed(void* g, int64_t* out) {
  return ts::status([&] {
    auto& gen = *static_cast<at::Generator*>(g);
    std::lock_guard<std::mutex> lock(gen.mutex());
    *out = static_cast<int64_t>(gen.seed());
  });
}
TS_API TsTensor ts_generator_get_state(void* g) {
  return ts::tensor([&] {
    auto& gen = *static_cast<at::Generator*>(g);
    std::lock_guard<std::mutex> lock(gen.mutex());
    return gen.get_state();
  });
}
TS_API int32_t ts_generator_set_state(void* g, TsTensor state) {
  return ts::status([&] {
    auto& gen = *static_cast<at::Generator*>(g);
    std::lock_guard<std::mutex> lock(gen.mutex());
    gen.set_state(*state);
  });
}
