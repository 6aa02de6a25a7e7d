// libtorch's legacy autograd profiler, for per-op profiles in benchmarks: it records every ATen op
// (including backward ops on autograd threads) and writes a Chrome trace when stopped.
#include "common.h"
#include <torch/csrc/autograd/profiler_legacy.h>

TS_API void* ts_profiler_start(const char* trace_path) {
  return ts::guard<void*>(nullptr, [&]() -> void* {
    return new torch::autograd::profiler::RecordProfile(std::string(trace_path));
  });
}

// Stops profiling and writes the trace file.
TS_API int32_t ts_profiler_stop(void* profile) {
  return ts::status([&] { delete static_cast<torch::autograd::profiler::RecordProfile*>(profile); });
}
