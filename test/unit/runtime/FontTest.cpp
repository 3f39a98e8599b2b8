//===- FontTest.cpp - Picture labels drawn by FreeType --------------------===//
//
// DejaVu Sans through FreeType: text takes room that grows with the string,
// sits on a baseline (descenders below it), is anti-aliased, and a missing
// or unreadable font file is an error that names the file and the package.
//
//===----------------------------------------------------------------------===//

#include "aenet/Runtime/Font.h"

#include "TempDir.h"

#include <gtest/gtest.h>

#include <stdexcept>

using namespace aenet::rt;
using aenet::test::TempDir;
using aenet::test::writeFile;

namespace {

/// The message of the std::runtime_error that opening |path| throws.
std::string openError(const std::string &path) {
  try {
    Font font(path, 11);
  } catch (const std::runtime_error &error) {
    return error.what();
  }
  ADD_FAILURE() << "opened " << path;
  return "";
}

/// The lowest row of |text| that has any ink, or -1.
int64_t lowestInk(const TextBitmap &text) {
  int64_t lowest = -1;
  for (int64_t y = 0; y < text.height; ++y)
    for (int64_t x = 0; x < text.width; ++x)
      if (text.at(x, y) > 0)
        lowest = y;
  return lowest;
}

TEST(FontTest, LineHeightFollowsThePixelSize) {
  Font small(kDefaultFontPath, 11), large(kDefaultFontPath, 22);
  // DejaVu Sans reaches 0.93 em above and 0.24 em below the baseline.
  EXPECT_GE(small.lineHeight(), 12);
  EXPECT_LE(small.lineHeight(), 15);
  EXPECT_GE(large.lineHeight(), 2 * small.lineHeight() - 2);
  EXPECT_LE(large.lineHeight(), 2 * small.lineHeight() + 2);
}

TEST(FontTest, WidthGrowsWithTheText) {
  Font font(kDefaultFontPath, 11);
  EXPECT_EQ(font.textWidth(""), 0);
  int64_t i = font.textWidth("i"), ii = font.textWidth("ii");
  EXPECT_GT(i, 0);
  EXPECT_GT(ii, i);
  EXPECT_GT(font.textWidth("input"), ii);
  // A proportional font: W is much wider than i.
  EXPECT_GT(font.textWidth("W"), 2 * i);
  EXPECT_GT(font.textWidth("reconstruction"), font.textWidth("recon"));
}

TEST(FontTest, RenderFillsItsBoxWithAntialiasedInk) {
  Font font(kDefaultFontPath, 11);
  TextBitmap text = font.render("recon");
  ASSERT_EQ(text.width, font.textWidth("recon"));
  ASSERT_EQ(text.height, font.lineHeight());
  ASSERT_EQ(text.coverage.size(), size_t(text.width * text.height));
  int full = 0, partial = 0;
  int64_t left = text.width, right = -1;
  for (int64_t y = 0; y < text.height; ++y)
    for (int64_t x = 0; x < text.width; ++x) {
      uint8_t value = text.at(x, y);
      full += value == 255;
      partial += value > 0 && value < 255;
      if (value > 0) {
        left = std::min(left, x);
        right = std::max(right, x);
      }
    }
  EXPECT_GT(full + partial, 20);
  EXPECT_GT(partial, 0) << "expected anti-aliased edges";
  // The ink spans most of the width: five letters, not one.
  EXPECT_LE(left, 2);
  EXPECT_GE(right, text.width - 3);
  EXPECT_EQ(font.render("recon").coverage, text.coverage);
}

TEST(FontTest, DescendersGoBelowTheBaseline) {
  Font font(kDefaultFontPath, 22);
  int64_t a = lowestInk(font.render("a")), g = lowestInk(font.render("g"));
  ASSERT_GE(a, 0);
  EXPECT_GT(g, a + 2);
  // A space is all advance, no ink.
  EXPECT_EQ(lowestInk(font.render(" ")), -1);
  EXPECT_GT(font.textWidth(" "), 0);
}

TEST(FontTest, BadUtf8ShowsAsTheReplacementCharacter) {
  Font font(kDefaultFontPath, 11);
  EXPECT_EQ(font.render("a\xff").coverage,
            font.render("a\xef\xbf\xbd").coverage);
  // An overlong '/' is not a slash.
  EXPECT_NE(font.textWidth("\xc0\xaf"), font.textWidth("/"));
  EXPECT_EQ(font.textWidth("\xc3\xa9"), font.textWidth("\xc3\xa9"));
  EXPECT_GT(font.textWidth("\xc3\xa9t\xc3\xa9"), font.textWidth("t"));
}

TEST(FontTest, MissingOrBadFontFilesNameTheFile) {
  TempDir dir;
  std::string missing = dir.file("DejaVuSans.ttf");
  EXPECT_EQ(openError(missing),
            "font " + missing +
                ": cannot open: No such file or directory (DejaVu Sans comes "
                "with Debian's fonts-dejavu-core)");
  std::string text = dir.file("notes.ttf");
  writeFile(text, "not a font\n");
  EXPECT_EQ(openError(text),
            "font " + text + ": not a font FreeType can read");
  EXPECT_EQ(openError(dir.path()),
            "font " + dir.path() + ": not a regular file");
}

} // namespace
