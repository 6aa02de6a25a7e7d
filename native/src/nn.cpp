// Neural-network functionals and in-place initialisers. Modules, parameters and optimizers are
// managed code: only the math crosses the ABI.
#include "common.h"

using ts::dims;

namespace {
inline c10::optional<at::Tensor> opt(TsTensor t) {
  if (t == nullptr) return c10::nullopt;
  return *t;
}
}  // namespace

// stride/padding/dilation are (h, w) pairs.
TS_API TsTensor ts_conv2d(TsTensor x, TsTensor w, TsTensor b, const int64_t* stride, const int64_t* padding,
                          const int64_t* dilation, int64_t groups) {
  return ts::tensor([&] { return at::conv2d(*x, *w, opt(b), dims(stride, 2), dims(padding, 2), dims(dilation, 2), groups); });
}
TS_API TsTensor ts_conv_transpose2d(TsTensor x, TsTensor w, TsTensor b, const int64_t* stride, const int64_t* padding,
                                    const int64_t* output_padding, const int64_t* dilation, int64_t groups) {
  return ts::tensor([&] {
    return at::conv_transpose2d(*x, *w, opt(b), dims(stride, 2), dims(padding, 2), dims(output_padding, 2), groups, dims(dilation, 2));
  });
}
TS_API TsTensor ts_linear(TsTensor x, TsTensor w, TsTensor b) { return ts::tensor([&] { return at::linear(*x, *w, opt(b)); }); }
TS_API TsTensor ts_group_norm(TsTensor x, int64_t groups, TsTensor w, TsTensor b, double eps) {
  return ts::tensor([&] { return at::group_norm(*x, groups, opt(w), opt(b), eps); });
}
TS_API TsTensor ts_layer_norm(TsTensor x, const int64_t* shape, int32_t n, TsTensor w, TsTensor b, double eps) {
  return ts::tensor([&] { return at::layer_norm(*x, dims(shape, n), opt(w), opt(b), eps); });
}
TS_API TsTensor ts_batch_norm(TsTensor x, TsTensor w, TsTensor b, TsTensor mean, TsTensor var, int32_t training, double momentum, double eps) {
  return ts::tensor([&] { return at::batch_norm(*x, opt(w), opt(b), opt(mean), opt(var), training != 0, momentum, eps, false); });
}
TS_API TsTensor ts_dropout(TsTensor x, double p, int32_t training, int32_t inplace) {
  return ts::tensor([&] { return inplace ? at::dropout_(*x, p, training != 0) : at::dropout(*x, p, training != 0); });
}
TS_API TsTensor ts_embedding(TsTensor weight, TsTensor indices) { return ts::tensor([&] { return at::embedding(*weight, *indices); }); }

// mode: 0 nearest, 1 bilinear, 2 bicubic, 3 area. Either size (nsize = 2) or scale factors (nscale = 2).
TS_API TsTensor ts_interpolate2d(TsTensor x, const int64_t* size, int32_t nsize, const double* scale, int32_t nscale,
                                 int32_t mode, int32_t align_corners) {
  return ts::tensor([&]() -> at::Tensor {
    c10::optional<at::IntArrayRef> out;
    c10::optional<at::ArrayRef<double>> sf;
    if (nsize > 0) out = dims(size, nsize);
    if (nscale > 0) sf = at::ArrayRef<double>(scale, nscale);
    switch (mode) {
      case 0: return at::upsample_nearest2d(*x, out, sf);
      case 1: return at::upsample_bilinear2d(*x, out, align_corners != 0, sf);
      case 2: return at::upsample_bicubic2d(*x, out, align_corners != 0, sf);
      case 3:
        TORCH_CHECK(nsize == 2, "area interpolation needs an output size");
        return at::adaptive_avg_pool2d(*x, dims(size, 2));
    }
    TORCH_CHECK(false, "unknown interpolation mode ", mode);
  });
}
// mode: 0 constant, 1 reflect, 2 replicate, 3 circular.
TS_API TsTensor ts_pad(TsTensor x, const int64_t* pad, int32_t n, int32_t mode, double value) {
  return ts::tensor([&]() -> at::Tensor {
    static const char* modes[] = {"constant", "reflect", "replicate", "circular"};
    TORCH_CHECK(mode >= 0 && mode < 4, "unknown padding mode ", mode);
    c10::optional<double> v;
    if (mode == 0) v = value;
    return at::pad(*x, dims(pad, n), modes[mode], v);
  });
}
TS_API TsTensor ts_max_pool2d(TsTensor x, const int64_t* kernel, const int64_t* stride, const int64_t* padding, const int64_t* dilation, int32_t ceil_mode) {
  return ts::tensor([&] { return at::max_pool2d(*x, dims(kernel, 2), dims(stride, 2), dims(padding, 2), dims(dilation, 2), ceil_mode != 0); });
}
TS_API TsTensor ts_avg_pool2d(TsTensor x, const int64_t* kernel, const int64_t* stride, const int64_t* padding, int32_t ceil_mode, int32_t count_include_pad) {
  return ts::tensor([&] { return at::avg_pool2d(*x, dims(kernel, 2), dims(stride, 2), dims(padding, 2), ceil_mode != 0, count_include_pad != 0); });
}
TS_API TsTensor ts_adaptive_avg_pool2d(TsTensor x, const int64_t* size) {
  return ts::tensor([&] { return at::adaptive_avg_pool2d(*x, dims(size, 2)); });
}

// reduction: 0 none, 1 mean, 2 sum (at::Reduction numbering).
TS_API TsTensor ts_mse_loss(TsTensor x, TsTensor y, int64_t reduction) { return ts::tensor([&] { return at::mse_loss(*x, *y, reduction); }); }
TS_API TsTensor ts_l1_loss(TsTensor x, TsTensor y, int64_t reduction) { return ts::tensor([&] { return at::l1_loss(*x, *y, reduction); }); }
TS_API TsTensor ts_cross_entropy(TsTensor x, TsTensor y, TsTensor weight, int64_t reduction, int64_t ignore_index, double label_smoothing) {
  return ts::tensor([&] { return at::cross_entropy_loss(*x, *y, opt(weight), reduction, ignore_index, label_smoothing); });
}
TS_API TsTensor ts_nll_loss(TsTensor x, TsTensor y, TsTensor weight, int64_t reduction, int64_t ignore_index) {
  return ts::tensor([&] { return at::nll_loss(*x, *y, opt(weight), reduction, ignore_index); });
}

// ---- in-place initialisers (run without recording autograd history) ------------------------
TS_API int32_t ts_uniform_(TsTensor t, double low, double high, void* gen) {
  return ts::status([&] { at::NoGradGuard g; t->uniform_(low, high, ts::generator(gen)); });
}
TS_API int32_t ts_normal_(TsTensor t, double mean, double std, void* gen) {
  return ts::status([&] { at::NoGradGuard g; t->normal_(mean, std, ts::generator(gen)); });
}
TS_API int32_t ts_bernoulli_(TsTensor t, double p, void* gen) {
  return ts::status([&] { at::NoGradGuard g; t->bernoulli_(p, ts::generator(gen)); });
}
