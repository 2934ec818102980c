#include "viz/screenshot.h"

#include <GL/gl.h>
#include <stb_image_write.h>

#include <algorithm>
#include <vector>

#include "results/output_file.h"

namespace lokalmat::viz {

bool write_screenshot(const std::string& path, bool replace, int width_px, int height_px, std::string& error) {
  if (width_px <= 0 || height_px <= 0) {
    error = "the window has no size";
    return false;
  }
  const auto w = static_cast<std::size_t>(width_px), h = static_cast<std::size_t>(height_px);
  std::vector<unsigned char> pixels(w * h * 4);
  glReadBuffer(GL_BACK);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, width_px, height_px, GL_RGBA, GL_UNSIGNED_BYTE, pixels.data());
  if (glGetError() != GL_NO_ERROR) {
    error = "glReadPixels failed";
    return false;
  }
  // OpenGL's rows start at the bottom; PNG's at the top
  std::vector<unsigned char> flipped(pixels.size());
  for (std::size_t y = 0; y < h; ++y)
    std::copy_n(pixels.begin() + static_cast<std::ptrdiff_t>((h - 1 - y) * w * 4), w * 4,
                flipped.begin() + static_cast<std::ptrdiff_t>(y * w * 4));
  // the window is opaque: write RGB
  std::vector<unsigned char> rgb(w * h * 3);
  for (std::size_t i = 0; i < w * h; ++i)
    for (std::size_t c = 0; c < 3; ++c) rgb[i * 3 + c] = flipped[i * 4 + c];
  // encoded in memory, then written by the rules of every output (results/output_file.h)
  std::string png;
  const auto append = [](void* context, void* data, int size) {
    static_cast<std::string*>(context)->append(static_cast<const char*>(data), static_cast<std::size_t>(size));
  };
  if (!stbi_write_png_to_func(append, &png, width_px, height_px, 3, rgb.data(), width_px * 3)) {
    error = "cannot encode the PNG for " + path;
    return false;
  }
  try {
    write_output_file(path, png, OutputRules{.force = replace, .inputs = {}});
  } catch (const std::exception& e) {
    error = e.what();
    return false;
  }
  return true;
}

}  // namespace lokalmat::viz
