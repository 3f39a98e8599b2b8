//===- Font.cpp - Text for picture labels, drawn by FreeType --------------===//
//
// One FT_Library and FT_Face per Font. Layout is a single pass over the
// code points that both measures and draws: the pen moves in FreeType's
// 26.6 fixed point by each glyph's hinted advance plus the pair's kerning,
// and each glyph's anti-aliased bitmap is placed at the pen, its top
// |bitmap_top| rows above the baseline. Pixels that would fall outside the
// line (a descender of a tall glyph, the left overhang of a 'j') are
// clipped rather than making the line box depend on the text.
//
//===----------------------------------------------------------------------===//

#include "aenet/Runtime/Font.h"

#include "aenet/Runtime/Errors.h"

#include <algorithm>
#include <cerrno>
#include <stdexcept>
#include <sys/stat.h>

#include <ft2build.h>
#include FT_FREETYPE_H

namespace aenet::rt {

struct Font::Impl {
  FT_Library library = nullptr;
  FT_Face face = nullptr;
  int64_t ascender = 0, descender = 0; // Pixels; descender >= 0 below.

  ~Impl() {
    if (face)
      FT_Done_Face(face);
    if (library)
      FT_Done_FreeType(library);
  }

  /// Lays out |text|; calls |draw(glyph, x, y)| for each glyph's bitmap
  /// with its top-left corner at (x, y) when |draw| is given. Returns the
  /// width in pixels.
  template <typename Draw>
  int64_t layout(const std::string &text, Draw *draw) const;
};

namespace {

/// The code points of the UTF-8 |text|; a byte that does not start a
/// well-formed sequence becomes U+FFFD.
std::vector<char32_t> decodeUtf8(const std::string &text) {
  std::vector<char32_t> out;
  for (size_t i = 0; i < text.size();) {
    auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
    unsigned char lead = byte(i);
    int length = lead < 0x80 ? 1 : (lead >> 5) == 6 ? 2 : (lead >> 4) == 14 ? 3
                               : (lead >> 3) == 30  ? 4
                                                    : 0;
    char32_t code = length == 1 ? lead : lead & (0x7f >> length);
    bool ok = length > 0 && i + length <= text.size();
    for (int k = 1; ok && k < length; ++k) {
      ok = (byte(i + k) & 0xc0) == 0x80;
      code = (code << 6) | (byte(i + k) & 0x3f);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
    static constexpr char32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
    ok = ok && code >= kSmallest[length] && code <= 0x10ffff &&
         (code < 0xd800 || code > 0xdfff);
    out.push_back(ok ? code : 0xfffd);
    i += ok ? static_cast<size_t>(length) : 1;
  }
  return out;
}

int64_t pixelsUp(FT_Pos value) { return (value + 63) >> 6; }

} // namespace

template <typename Draw>
int64_t Font::Impl::layout(const std::string &text, Draw *draw) const {
  FT_Pos pen = 0; // 26.6 fixed point.
  int64_t right = 0;
  FT_UInt previous = 0;
  for (char32_t code : decodeUtf8(text)) {
    FT_UInt index = FT_Get_Char_Index(face, code);
    if (previous && index && FT_HAS_KERNING(face)) {
      FT_Vector kerning;
      if (FT_Get_Kerning(face, previous, index, FT_KERNING_DEFAULT,
                         &kerning) == 0)
        pen += kerning.x;
    }
    // A glyph FreeType cannot load or render is skipped, not fatal: a label
    // loses one character at worst.
    if (FT_Load_Glyph(face, index, draw ? FT_LOAD_RENDER : FT_LOAD_DEFAULT))
      continue;
    FT_GlyphSlot slot = face->glyph;
    if (draw)
      (*draw)(slot->bitmap, (pen >> 6) + slot->bitmap_left,
              ascender - slot->bitmap_top);
    pen += slot->advance.x;
    right = std::max(right, pixelsUp(pen));
    previous = index;
  }
  return right;
}

Font::Font(const std::string &path, int pixelSize) : impl(new Impl) {
  auto fail = [&](const std::string &what) {
    return std::runtime_error("font " + path + ": " + what);
  };
  struct stat info;
  if (::stat(path.c_str(), &info) != 0)
    throw fail("cannot open: " + errnoText(errno) +
               " (DejaVu Sans comes with Debian's fonts-dejavu-core)");
  if (!S_ISREG(info.st_mode))
    throw fail("not a regular file");
  if (FT_Init_FreeType(&impl->library))
    throw fail("cannot start FreeType");
  if (FT_New_Face(impl->library, path.c_str(), 0, &impl->face))
    throw fail("not a font FreeType can read");
  if (FT_Set_Pixel_Sizes(impl->face, 0, static_cast<FT_UInt>(pixelSize)))
    throw fail("cannot be set at " + std::to_string(pixelSize) + " pixels");
  impl->ascender = pixelsUp(impl->face->size->metrics.ascender);
  impl->descender = pixelsUp(-impl->face->size->metrics.descender);
}

Font::~Font() = default;

int64_t Font::lineHeight() const { return impl->ascender + impl->descender; }

int64_t Font::textWidth(const std::string &text) const {
  return impl->layout<void (*)(const FT_Bitmap &, int64_t, int64_t)>(text,
                                                                     nullptr);
}

TextBitmap Font::render(const std::string &text) const {
  TextBitmap out;
  out.width = textWidth(text);
  out.height = lineHeight();
  out.coverage.assign(static_cast<size_t>(out.width * out.height), 0);
  auto draw = [&](const FT_Bitmap &glyph, int64_t left, int64_t top) {
    // FT_LOAD_RENDER of an outline font gives 8-bit coverage; anything else
    // (a bitmap-only font's 1-bit glyphs) is not drawn.
    if (glyph.pixel_mode != FT_PIXEL_MODE_GRAY)
      return;
    for (int64_t gy = 0; gy < glyph.rows; ++gy)
      for (int64_t gx = 0; gx < glyph.width; ++gx) {
        int64_t x = left + gx, y = top + gy;
        if (x < 0 || y < 0 || x >= out.width || y >= out.height)
          continue;
        uint8_t value = glyph.buffer[gy * glyph.pitch + gx];
        uint8_t &pixel = out.coverage[static_cast<size_t>(y * out.width + x)];
        pixel = std::max(pixel, value);
      }
  };
  impl->layout(text, &draw);
  return out;
}

} // namespace aenet::rt
