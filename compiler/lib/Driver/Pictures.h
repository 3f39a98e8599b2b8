//===- Pictures.h - Loss curves and reconstruction grids --------*- C++ -*-===//
//
// What a person looks at after training: the loss curves, and the first ten
// validation images over the model's reconstructions of them.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_LIB_DRIVER_PICTURES_H
#define AENET_LIB_DRIVER_PICTURES_H

#include "CompiledSteps.h"

#include "aenet/Lang/ModelGraph.h"
#include "aenet/Runtime/Dataset.h"

#include <optional>
#include <string>

namespace aenet {

struct ImageShape {
  int64_t channels = 0, height = 0, width = 0;
};

/// How a value of |shape| is drawn as an image: [N] with N the square of a
/// side of at least 4 as one channel, [C, H, W] with 1 or 3 channels as is;
/// none for any other shape.
std::optional<ImageShape> imageShape(const Shape &shape);

/// The output that reconstructs an image input (the prediction of a loss
/// whose target is that input), as {output name, input index}; empty names
/// when the model has none.
std::pair<std::string, int> reconstructedInput(const ModelGraph &model);

/// Writes |png| with the first (up to) ten samples of |data| over their
/// reconstructions by |predict|; false when the model reconstructs no image.
/// When |predict| also outputs the input as corrupted (`noisyName`: a
/// denoising model), a row of those noisy images, the ones the model read,
/// goes in between. Both pictures run |predict| with the seed evaluation uses
/// for the first batch, so they show what validation saw. With |imagesPath|,
/// the rows' images are also written there as safetensors (`input`, `noisy`
/// for a denoiser, `reconstruction`, each [N, C, H, W]), which aec sweep
/// gathers into one picture of every point.
bool writeReconstructions(const ModelGraph &model, const rt::Dataset &data,
                          BoundEntry &predict, int64_t rows,
                          const std::string &png,
                          const std::string &imagesPath = "");

/// Writes |png| with the bottleneck code of the first (up to) ten samples of
/// |data|: the output of the `encoder` block, drawn as an image (a code of N
/// numbers as the most square H x W with H * W = N, e.g. 100 as 10x10; a
/// [C, H, W] code as its C maps side by side, e.g. 8x7x7 as 28x14), each
/// scaled to its own range. False when the model has no encoder block with a
/// named output.
bool writeCodes(const ModelGraph &model, const rt::Dataset &data,
                BoundEntry &predict, int64_t rows, const std::string &png);

} // namespace aenet

#endif // AENET_LIB_DRIVER_PICTURES_H
