//===- Font.h - Text for picture labels, drawn by FreeType ------*- C++ -*-===//
//
// The labels of the runtime's pictures ("input", "recon", layer names) are
// set in DejaVu Sans (Debian's fonts-dejavu-core) and rasterized by FreeType
// with anti-aliasing. A Font renders one line of UTF-8 text into a coverage
// map (0 = background, 255 = full ink) that the caller blends into its
// canvas, so the font knows nothing of pixel formats.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_RUNTIME_FONT_H
#define AENET_RUNTIME_FONT_H

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace aenet::rt {

/// Where Debian's fonts-dejavu-core puts DejaVu Sans.
inline constexpr const char *kDefaultFontPath =
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

/// One line of rendered text: |height| rows of |width| coverage bytes.
struct TextBitmap {
  int64_t width = 0, height = 0;
  /// Row-major coverage, 0 (none) to 255 (full ink).
  std::vector<uint8_t> coverage;

  uint8_t at(int64_t x, int64_t y) const {
    return coverage[static_cast<size_t>(y * width + x)];
  }
};

/// A TrueType font at one pixel size.
class Font {
public:
  /// Opens the font file |path| at |pixelSize| pixels per em. Throws
  /// std::runtime_error naming the file and, when it is missing, the Debian
  /// package that provides DejaVu Sans.
  Font(const std::string &path, int pixelSize);
  ~Font();
  Font(const Font &) = delete;
  Font &operator=(const Font &) = delete;

  /// The height of a line: ascender plus descender, in pixels.
  int64_t lineHeight() const;

  /// The width |text| takes, in pixels.
  int64_t textWidth(const std::string &text) const;

  /// |text| rendered on one line, textWidth() x lineHeight() pixels, with the
  /// baseline at the ascender. Bytes that are not UTF-8 show as U+FFFD.
  TextBitmap render(const std::string &text) const;

private:
  struct Impl;
  std::unique_ptr<Impl> impl;
};

} // namespace aenet::rt

#endif // AENET_RUNTIME_FONT_H
