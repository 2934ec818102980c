#pragma once
// Headless capture: the frame just rendered (the back buffer, before swapping) as a PNG.
#include <string>

namespace lokalmat::viz {

// reads width x height pixels of GL_BACK and writes them top row first (an existing file only
// when `replace`); false with a message in `error` when it cannot
bool write_screenshot(const std::string& path, bool replace, int width_px, int height_px, std::string& error);

}  // namespace lokalmat::viz
