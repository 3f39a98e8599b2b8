//===- ImageGridTest.cpp - Image grids as PNG -----------------------------===//
//
// Grids are read back with libpng and checked pixel by pixel where the
// layout (2-pixel gaps, integer scaling, label column) puts known values;
// the label column's size comes from the font's own measurements.
//
//===----------------------------------------------------------------------===//

#include "aenet/Runtime/Errors.h"
#include "aenet/Runtime/Font.h"
#include "aenet/Runtime/ImageGrid.h"

#include "PngInfo.h"
#include "TempDir.h"

#include <gtest/gtest.h>

#include <cmath>
#include <unistd.h>

using namespace aenet::rt;
using aenet::test::exists;
using aenet::test::messageOf;
using aenet::test::readFile;
using aenet::test::readPngHeader;
using aenet::test::readPngRgb;
using aenet::test::TempDir;

namespace {

/// The red channel of pixel (x, y) of an RGB buffer |width| pixels wide.
int red(const std::vector<uint8_t> &rgb, uint32_t width, uint32_t x,
        uint32_t y) {
  return rgb[(y * width + x) * 3];
}

TEST(ImageGridTest, TwoByThreeGrayscaleGrid) {
  // Six 2x2 images; image k has pixels {k/10, 0.5, 1.5, -0.3}, so the last
  // two test clamping.
  std::vector<std::vector<float>> images(6);
  for (int k = 0; k < 6; ++k)
    images[k] = {k / 10.0f, 0.5f, 1.5f, -0.3f};
  std::vector<std::vector<const float *>> rows = {
      {images[0].data(), images[1].data(), images[2].data()},
      {images[3].data(), images[4].data(), images[5].data()}};
  TempDir dir;
  std::string path = dir.file("grid.png");
  writeImageGrid(path, rows, 2, 2, 1, /*scaleUp=*/2, {});

  // Cells are 4x4: width 2 + 3 * (4 + 2) = 20, height 2 + 2 * (4 + 2) = 14.
  aenet::test::PngHeader header = readPngHeader(readFile(path));
  EXPECT_TRUE(header.signatureOk);
  EXPECT_EQ(header.colorType, 0) << "expected grayscale";
  uint32_t width = 0, height = 0;
  std::vector<uint8_t> rgb = readPngRgb(path, width, height);
  ASSERT_EQ(width, 20u);
  ASSERT_EQ(height, 14u);

  EXPECT_EQ(red(rgb, width, 0, 0), 255) << "gap";
  EXPECT_EQ(red(rgb, width, 7, 5), 255) << "gap between cells";
  // Image 5 (row 1, column 2) starts at (2 + 2 * 6, 2 + 6) = (14, 8).
  EXPECT_EQ(red(rgb, width, 14, 8), 128);  // round(0.5 * 255) at (0, 0)
  EXPECT_EQ(red(rgb, width, 15, 9), 128);  // the same pixel, scaled up
  EXPECT_EQ(red(rgb, width, 16, 8), 128);  // pixel (0, 1) = 0.5
  EXPECT_EQ(red(rgb, width, 14, 10), 255); // pixel (1, 0) = 1.5, clamped
  EXPECT_EQ(red(rgb, width, 17, 11), 0);   // pixel (1, 1) = -0.3, clamped
  // Image 0's first pixel is 0.0 at (2, 2); image 4's (row 1, column 1) is
  // round(0.4 * 255) = 102 at (8, 8).
  EXPECT_EQ(red(rgb, width, 2, 2), 0);
  EXPECT_EQ(red(rgb, width, 8, 8), 102);
  EXPECT_FALSE(exists(path + ".tmp." + std::to_string(::getpid())));
}

TEST(ImageGridTest, RgbWithLabelsAndShortRows) {
  // One 3x3 RGB image (channels first): red plane 1, green 0, blue 0.5.
  std::vector<float> image(27);
  for (int i = 0; i < 9; ++i) {
    image[i] = 1.0f;
    image[9 + i] = 0.0f;
    image[18 + i] = 0.5f;
  }
  std::vector<std::vector<const float *>> rows = {
      {image.data(), image.data()}, {image.data()}};
  TempDir dir;
  std::string path = dir.file("rgb.png");
  writeImageGrid(path, rows, 3, 3, 3, /*scaleUp=*/4, {"input", "recon"});

  // Cells 12x12 take the smallest label font, 11 pixels per em, whose
  // lines are taller than 12 pixels: rows grow to the line height. The
  // label column is as wide as the wider label plus a gap.
  Font font(kDefaultFontPath, 11);
  auto line = static_cast<uint32_t>(font.lineHeight());
  auto labels = static_cast<uint32_t>(
      std::max(font.textWidth("input"), font.textWidth("recon")) + 2);
  ASSERT_GT(line, 12u);
  aenet::test::PngHeader header = readPngHeader(readFile(path));
  EXPECT_EQ(header.colorType, 2) << "expected RGB";
  uint32_t width = 0, height = 0;
  std::vector<uint8_t> rgb = readPngRgb(path, width, height);
  ASSERT_EQ(width, 2 + labels + 2 * (12 + 2));
  ASSERT_EQ(height, 2 + 2 * (line + 2));

  // The first cell starts at x = 2 + labels.
  uint32_t cells = 2 + labels;
  size_t at = (2 * width + cells) * 3;
  EXPECT_EQ(rgb[at], 255);
  EXPECT_EQ(rgb[at + 1], 0);
  EXPECT_EQ(rgb[at + 2], 128);
  // The missing second image of row 1 stays white.
  at = ((2 + line + 2 + 5) * width + cells + 14 + 5) * 3;
  EXPECT_EQ(rgb[at], 255);
  EXPECT_EQ(rgb[at + 1], 255);

  // Each label is drawn in gray levels (anti-aliased, R = G = B) inside its
  // row of the label column, never in the gaps around it, and "input" and
  // "recon" differ.
  auto inkOfRow = [&](uint32_t row, int &ink, int &inkInGaps, int &colored) {
    uint32_t top = 2 + row * (line + 2);
    for (uint32_t y = top - 2; y < top + line + 2; ++y)
      for (uint32_t x = 0; x < cells; ++x) {
        size_t p = (y * width + x) * 3;
        bool inked = rgb[p] < 255;
        ink += inked;
        colored += rgb[p] != rgb[p + 1] || rgb[p] != rgb[p + 2];
        inkInGaps += inked && (y < top || y >= top + line || x < 2 ||
                               x >= cells - 2);
      }
  };
  int ink0 = 0, ink1 = 0, gaps = 0, colored = 0;
  inkOfRow(0, ink0, gaps, colored);
  inkOfRow(1, ink1, gaps, colored);
  EXPECT_GT(ink0, 20);
  EXPECT_GT(ink1, 20);
  EXPECT_EQ(gaps, 0);
  EXPECT_EQ(colored, 0);
  bool same = true;
  for (uint32_t y = 0; y < line; ++y)
    for (uint32_t x = 2; x < cells - 2; ++x)
      same = same && red(rgb, width, x, 2 + y) ==
                         red(rgb, width, x, 2 + line + 2 + y);
  EXPECT_FALSE(same) << "both rows show the same label";
}

TEST(ImageGridTest, LabelsTallerThanTinyImages) {
  std::vector<float> pixel = {0.0f};
  TempDir dir;
  std::string path = dir.file("tiny.png");
  writeImageGrid(path, {{pixel.data()}}, 1, 1, 1, 1, {"Ab"});
  Font font(kDefaultFontPath, 11);
  uint32_t width = 0, height = 0;
  readPngRgb(path, width, height);
  EXPECT_EQ(height, 2 + font.lineHeight() + 2);
  EXPECT_EQ(width, 2 + (font.textWidth("Ab") + 2) + 1 + 2);
}

TEST(ImageGridTest, LabelsGrowWithTheImages) {
  // 28x28 images shown twice as large take a larger font than tiny ones.
  std::vector<float> image(28 * 28, 1.0f);
  TempDir dir;
  std::string small = dir.file("small.png"), large = dir.file("large.png");
  writeImageGrid(small, {{image.data()}}, 28, 28, 1, 1, {"recon"});
  writeImageGrid(large, {{image.data()}}, 28, 28, 1, 2, {"recon"});
  uint32_t smallWidth = 0, largeWidth = 0, height = 0;
  readPngRgb(small, smallWidth, height);
  readPngRgb(large, largeWidth, height);
  Font font(kDefaultFontPath, 56 / 4);
  EXPECT_EQ(largeWidth, 2 + (font.textWidth("recon") + 2) + 56 + 2);
  EXPECT_GT(largeWidth - 56, smallWidth - 28);
}

TEST(ImageGridTest, EmptyLabelsTakeNoColumn) {
  std::vector<float> image(4, 0.5f);
  TempDir dir;
  std::string path = dir.file("plain.png");
  writeImageGrid(path, {{image.data()}}, 2, 2, 1, 1, {""});
  uint32_t width = 0, height = 0;
  readPngRgb(path, width, height);
  EXPECT_EQ(width, 2u + 2 + 2);
  EXPECT_EQ(height, 2u + 2 + 2);
}

TEST(ImageGridTest, BadArgumentsNameTheFile) {
  std::vector<float> image(4, 0.0f);
  TempDir dir;
  std::string path = dir.file("bad.png");
  EXPECT_EQ(messageOf<OutputError>([&] {
              writeImageGrid(path, {{image.data()}}, 2, 2, 2, 1, {});
            }),
            path + ": images must have 1 or 3 channels, not 2");
  EXPECT_EQ(messageOf<OutputError>([&] {
              writeImageGrid(path, {{image.data()}}, 2, 2, 1, 1, {"a", "b"});
            }),
            path + ": 2 labels for 1 rows");
  EXPECT_FALSE(exists(path));
}

TEST(ImageGridTest, UnwritableDirectory) {
  std::vector<float> image(4, 0.0f);
  TempDir dir;
  std::string path = dir.file("missing/grid.png");
  std::string message = messageOf<OutputError>(
      [&] { writeImageGrid(path, {{image.data()}}, 2, 2, 1, 1, {}); });
  EXPECT_NE(message.find("No such file or directory"), std::string::npos)
      << message;
}

} // namespace
