// Image decode/encode over OpenCV imgcodecs. Pixels cross the ABI as 8-bit, row-major, top-down,
// interleaved channels in OpenCV order: 1 = gray, 3 = BGR, 4 = BGRA.
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#define IMG_API extern "C" __attribute__((visibility("default")))

namespace {
thread_local std::string last_error;

template <typename R, typename F>
R guard(R fail, F&& body) {
  try {
    return body();
  } catch (const cv::Exception& e) {
    last_error = e.err.empty() ? e.what() : e.err;
  } catch (const std::exception& e) {
    last_error = e.what();
  } catch (...) {
    last_error = "unknown native exception";
  }
  return fail;
}

struct Blob {
  std::vector<uint8_t> bytes;
};
}  // namespace

IMG_API const char* img_last_error() { return last_error.c_str(); }

// Decodes an encoded image. Returns a handle to 8-bit pixels and their geometry, or NULL (see
// img_last_error). Deeper images are scaled to 8 bits; channel count is kept (gray stays gray).
IMG_API void* img_decode(const uint8_t* data, int64_t length, int32_t* width, int32_t* height, int32_t* channels) {
  return guard<void*>(nullptr, [&]() -> void* {
    if (length <= 0) { last_error = "the image data is empty"; return nullptr; }
    cv::Mat raw(1, static_cast<int>(length), CV_8UC1, const_cast<uint8_t*>(data));
    cv::Mat img = cv::imdecode(raw, cv::IMREAD_UNCHANGED);
    if (img.empty()) { last_error = "the data is not an image in a supported format (PNG, JPEG, BMP)"; return nullptr; }
    if (img.depth() != CV_8U) {
      cv::Mat converted;
      double scale = img.depth() == CV_16U ? 1.0 / 257.0 : (img.depth() == CV_32F || img.depth() == CV_64F ? 255.0 : 1.0);
      img.convertTo(converted, CV_8U, scale);
      img = converted;
    }
    int c = img.channels();
    if (c != 1 && c != 3 && c != 4) { last_error = "unsupported channel count " + std::to_string(c); return nullptr; }
    auto* blob = new Blob();
    blob->bytes.resize(static_cast<size_t>(img.rows) * img.cols * c);
    for (int r = 0; r < img.rows; ++r)
      std::memcpy(blob->bytes.data() + static_cast<size_t>(r) * img.cols * c, img.ptr(r), static_cast<size_t>(img.cols) * c);
    *width = img.cols;
    *height = img.rows;
    *channels = c;
    return blob;
  });
}

// Encodes pixels (1, 3 or 4 interleaved channels in OpenCV order) into the format named by `ext`
// (".png", ".jpg", ".bmp"). Returns a handle to the encoded bytes, or NULL.
IMG_API void* img_encode(const uint8_t* pixels, int32_t width, int32_t height, int32_t channels, const char* ext, int32_t quality, int64_t* length) {
  return guard<void*>(nullptr, [&]() -> void* {
    if (width <= 0 || height <= 0) { last_error = "width and height must be positive"; return nullptr; }
    if (channels != 1 && channels != 3 && channels != 4) { last_error = "channels must be 1, 3 or 4"; return nullptr; }
    cv::Mat img(height, width, CV_8UC(channels), const_cast<uint8_t*>(pixels));
    std::vector<int> params;
    std::string e = ext;
    if (e == ".jpg" || e == ".jpeg") params = {cv::IMWRITE_JPEG_QUALITY, quality};
    if (e == ".png") params = {cv::IMWRITE_PNG_COMPRESSION, 6};
    auto* blob = new Blob();
    if (!cv::imencode(e, img, blob->bytes, params)) { delete blob; last_error = "cannot encode as " + e; return nullptr; }
    *length = static_cast<int64_t>(blob->bytes.size());
    return blob;
  });
}

IMG_API int32_t img_copy(void* handle, uint8_t* out, int64_t length) {
  auto* blob = static_cast<Blob*>(handle);
  if (static_cast<int64_t>(blob->bytes.size()) != length) { last_error = "buffer size mismatch"; return -1; }
  std::memcpy(out, blob->bytes.data(), blob->bytes.size());
  return 0;
}

IMG_API void img_free(void* handle) { delete static_cast<Blob*>(handle); }
