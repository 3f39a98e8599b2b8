//===- ImageGrid.cpp - Rows of images as one PNG --------------------------===//
//
// Lays the grid out on an interleaved 8-bit canvas (label column, then the
// cells, all separated by gaps), paints the images, blends in the labels
// that Font rendered, and encodes the canvas with libpng's simplified write
// API into memory before the atomic write.
//
//===----------------------------------------------------------------------===//

#include "aenet/Runtime/ImageGrid.h"

#include "aenet/Runtime/AtomicFile.h"
#include "aenet/Runtime/Errors.h"
#include "aenet/Runtime/Font.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <png.h>

namespace aenet::rt {

namespace {

constexpr int64_t kGap = 2;
constexpr uint8_t kBackground = 255;
constexpr uint8_t kInk = 0;

/// An 8-bit image with |channels| interleaved channels.
struct Canvas {
  int64_t width, height, channels;
  std::vector<uint8_t> pixels;

  Canvas(int64_t width, int64_t height, int64_t channels)
      : width(width), height(height), channels(channels),
        pixels(static_cast<size_t>(width * height * channels), kBackground) {}

  uint8_t &at(int64_t x, int64_t y, int64_t c) {
    return pixels[static_cast<size_t>((y * width + x) * channels + c)];
  }
};

uint8_t toByte(float value) {
  if (!(value > 0.0f)) // Also NaN.
    return 0;
  return static_cast<uint8_t>(std::lround(std::min(value, 1.0f) * 255.0f));
}

/// Blends |text| in ink over the canvas with its line box's top-left corner
/// at (x, y); the coverage is the ink's opacity, so edges stay smooth.
void drawText(Canvas &canvas, const TextBitmap &text, int64_t x, int64_t y) {
  for (int64_t ty = 0; ty < text.height; ++ty)
    for (int64_t tx = 0; tx < text.width; ++tx) {
      int alpha = text.at(tx, ty);
      if (alpha == 0)
        continue;
      for (int64_t c = 0; c < canvas.channels; ++c) {
        uint8_t &pixel = canvas.at(x + tx, y + ty, c);
        pixel = static_cast<uint8_t>(
            (pixel * (255 - alpha) + kInk * alpha + 127) / 255);
      }
    }
}

/// The label font for cells |cellHeight| pixels tall: 11 pixels per em
/// (the smallest that stays legible) up to 24 for large images.
std::unique_ptr<Font> labelFont(const std::string &pngPath,
                                int64_t cellHeight) {
  int pixelSize = static_cast<int>(std::clamp<int64_t>(cellHeight / 4, 11, 24));
  try {
    return std::make_unique<Font>(kDefaultFontPath, pixelSize);
  } catch (const std::runtime_error &error) {
    throw OutputError(pngPath, std::string("cannot draw labels: ") +
                                   error.what());
  }
}

} // namespace

void writeImageGrid(const std::string &pngPath,
                    const std::vector<std::vector<const float *>> &rows,
                    int64_t height, int64_t width, int64_t channels,
                    int scaleUp, const std::vector<std::string> &rowLabels) {
  if (channels != 1 && channels != 3)
    throw OutputError(pngPath, "images must have 1 or 3 channels, not " +
                                   std::to_string(channels));
  if (height <= 0 || width <= 0 || scaleUp <= 0 || height * scaleUp > 4096 ||
      width * scaleUp > 4096)
    throw OutputError(pngPath, "bad image size " + std::to_string(height) +
                                   "x" + std::to_string(width) + " scaled " +
                                   std::to_string(scaleUp) + " times");
  if (!rowLabels.empty() && rowLabels.size() != rows.size())
    throw OutputError(pngPath, std::to_string(rowLabels.size()) +
                                   " labels for " +
                                   std::to_string(rows.size()) + " rows");

  int64_t cellWidth = width * scaleUp, cellHeight = height * scaleUp;
  size_t columns = 0;
  for (const auto &row : rows)
    columns = std::max(columns, row.size());
  // Labels grow with the images; without any, no font is needed.
  std::vector<TextBitmap> labels;
  int64_t labelWidth = 0, rowHeight = cellHeight;
  if (std::any_of(rowLabels.begin(), rowLabels.end(),
                  [](const std::string &label) { return !label.empty(); })) {
    std::unique_ptr<Font> font = labelFont(pngPath, cellHeight);
    for (const std::string &label : rowLabels) {
      labels.push_back(font->render(label));
      labelWidth = std::max(labelWidth, labels.back().width + kGap);
    }
    // Rows are at least as tall as the labels.
    rowHeight = std::max(rowHeight, font->lineHeight());
  }
  int64_t gridWidth = kGap + labelWidth +
                      static_cast<int64_t>(columns) * (cellWidth + kGap);
  int64_t gridHeight =
      kGap + static_cast<int64_t>(rows.size()) * (rowHeight + kGap);
  if (columns == 0 || gridWidth > 32768 || gridHeight > 32768)
    throw OutputError(pngPath, "a grid of " + std::to_string(rows.size()) +
                                   " rows and " + std::to_string(columns) +
                                   " columns cannot be drawn");

  Canvas canvas(gridWidth, gridHeight, channels);
  int64_t plane = height * width;
  for (size_t r = 0; r < rows.size(); ++r) {
    int64_t top = kGap + static_cast<int64_t>(r) * (rowHeight + kGap);
    if (!labels.empty())
      drawText(canvas, labels[r], kGap,
               top + (rowHeight - labels[r].height) / 2);
    for (size_t col = 0; col < rows[r].size(); ++col) {
      const float *image = rows[r][col];
      if (!image)
        continue;
      int64_t left = kGap + labelWidth +
                     static_cast<int64_t>(col) * (cellWidth + kGap);
      for (int64_t y = 0; y < cellHeight; ++y)
        for (int64_t x = 0; x < cellWidth; ++x)
          for (int64_t c = 0; c < channels; ++c)
            canvas.at(left + x, top + y, c) = toByte(
                image[c * plane + (y / scaleUp) * width + x / scaleUp]);
    }
  }

  png_image png;
  std::memset(&png, 0, sizeof(png));
  png.version = PNG_IMAGE_VERSION;
  png.width = static_cast<png_uint_32>(gridWidth);
  png.height = static_cast<png_uint_32>(gridHeight);
  png.format = channels == 1 ? PNG_FORMAT_GRAY : PNG_FORMAT_RGB;
  png_alloc_size_t size = 0;
  bool ok = png_image_write_to_memory(&png, nullptr, &size, 0,
                                      canvas.pixels.data(), 0, nullptr);
  std::string bytes(size, '\0');
  ok = ok && png_image_write_to_memory(&png, bytes.data(), &size, 0,
                                       canvas.pixels.data(), 0, nullptr);
  if (!ok) {
    std::string why = png.message;
    png_image_free(&png);
    throw OutputError(pngPath, "cannot encode PNG: " + why);
  }
  bytes.resize(size);
  std::string problem = writeFileAtomically(pngPath, bytes);
  if (!problem.empty())
    throw OutputError(pngPath, "cannot write: " + problem);
}

} // namespace aenet::rt
