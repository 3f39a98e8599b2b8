//===- ImageGrid.h - Rows of images as one PNG ------------------*- C++ -*-===//
//
// The pictures of a training run are grids: the first ten test images in one
// row, their reconstructions in the next, the noisy inputs of a denoising
// model in a third, each row labelled on the left ("input", "noisy",
// "recon"). Images are float arrays in channels-first order (C, H, W) with
// values in [0, 1] (clamped; NaN shows black), scaled up by an integer factor
// with nearest-neighbour pixels, separated by 2-pixel white gaps.
//
// Labels are set in DejaVu Sans by FreeType (see Font.h), sized with the
// images; the PNG is encoded by libpng and written atomically.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_RUNTIME_IMAGEGRID_H
#define AENET_RUNTIME_IMAGEGRID_H

#include <cstdint>
#include <string>
#include <vector>

namespace aenet::rt {

/// Writes the grid |rows| of images to the PNG |pngPath|. Each image is
/// |channels| x |height| x |width| floats (|channels| 1 for grayscale, 3 for
/// RGB); a null image or a row shorter than the longest leaves white space.
/// Each pixel becomes a |scaleUp| x |scaleUp| square. |rowLabels| is empty
/// or holds one label per row. Throws OutputError for bad arguments, if the
/// label font cannot be loaded, or if the file cannot be written.
void writeImageGrid(const std::string &pngPath,
                    const std::vector<std::vector<const float *>> &rows,
                    int64_t height, int64_t width, int64_t channels,
                    int scaleUp, const std::vector<std::string> &rowLabels);

} // namespace aenet::rt

#endif // AENET_RUNTIME_IMAGEGRID_H
