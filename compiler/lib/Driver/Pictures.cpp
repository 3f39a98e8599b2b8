//===- Pictures.cpp - Loss curves and reconstruction grids ----------------===//
//
// An input counts as an image when it is [H, W]-like: [N] with N a square, or
// [C, H, W] with one or three channels.
//
//===----------------------------------------------------------------------===//

#include "Pictures.h"

#include "aenet/Runtime/Checkpoint.h"
#include "aenet/Runtime/ImageGrid.h"

#include <algorithm>
#include <cmath>

namespace aenet {

std::optional<ImageShape> imageShape(const Shape &shape) {
  if (shape.rank() == 1) {
    auto side = static_cast<int64_t>(std::lround(std::sqrt(shape.dims[0])));
    if (side * side == shape.dims[0] && side >= 4)
      return ImageShape{1, side, side};
  }
  if (shape.rank() == 3 && (shape.dims[0] == 1 || shape.dims[0] == 3))
    return ImageShape{shape.dims[0], shape.dims[1], shape.dims[2]};
  return std::nullopt;
}

std::pair<std::string, int> reconstructedInput(const ModelGraph &model) {
  for (const LossInfo &loss : model.losses) {
    if (loss.kind == LossKind::KLNormal)
      continue;
    const ValueInfo &target = model.values[loss.target];
    if (target.input >= 0 &&
        model.inputs[target.input].kind == InputKind::F32 &&
        imageShape(target.shape))
      return {model.values[loss.value].name, target.input};
  }
  return {"", -1};
}

bool writeReconstructions(const ModelGraph &model, const rt::Dataset &data,
                          BoundEntry &predict, int64_t rows,
                          const std::string &png,
                          const std::string &imagesPath) {
  auto [output, inputIndex] = reconstructedInput(model);
  if (output.empty())
    return false;
  const std::vector<float> *recon = predict.output(output);
  if (!recon)
    return false;
  ImageShape image = *imageShape(model.inputs[inputIndex].shape);
  int64_t shown = std::min<int64_t>({10, data.size(), rows});
  std::vector<int64_t> order = data.epochOrder(false, 0, 0);
  for (size_t a = 0; a < data.arrays().size(); ++a)
    data.gatherBatch(order, 0, shown, static_cast<int>(a),
                     predict.input(static_cast<int>(a)));
  int64_t size = image.channels * image.height * image.width;
  predict.run(0, rt::evaluationSeed(0));
  // A denoising model reconstructs its noisy input: show clean, noisy and
  // reconstruction.
  const std::vector<float> *noisy =
      predict.output(noisyName(model.inputs[inputIndex].name));
  const float *inputs = predict.input(inputIndex);
  std::vector<std::vector<const float *>> grid(noisy ? 3 : 2);
  for (int64_t i = 0; i < shown; ++i) {
    grid[0].push_back(inputs + i * size);
    if (noisy)
      grid[1].push_back(noisy->data() + i * size);
    grid.back().push_back(recon->data() + i * size);
  }
  std::vector<std::string> labels = {"input", output};
  if (noisy)
    labels.insert(labels.begin() + 1, "noisy");
  rt::writeImageGrid(png, grid, image.height, image.width, image.channels,
                     /*scaleUp=*/2, labels);
  if (!imagesPath.empty()) {
    std::vector<int64_t> shape = {shown, image.channels, image.height,
                                  image.width};
    auto tensor = [&](const char *name, const float *first) {
      return rt::NamedTensor{name, shape,
                             std::vector<float>(first, first + shown * size)};
    };
    std::vector<rt::NamedTensor> tensors = {tensor("input", inputs)};
    if (noisy)
      tensors.push_back(tensor("noisy", noisy->data()));
    tensors.push_back(tensor("reconstruction", recon->data()));
    rt::saveSafetensors(imagesPath, tensors, {{"output", output}});
  }
  return true;
}

namespace {

/// The most square rows x columns with rows * columns = n, rows <= columns.
std::pair<int64_t, int64_t> squarest(int64_t n) {
  int64_t rows = 1;
  for (int64_t r = 1; r * r <= n; ++r)
    if (n % r == 0)
      rows = r;
  return {rows, n / rows};
}

} // namespace

bool writeCodes(const ModelGraph &model, const rt::Dataset &data,
                BoundEntry &predict, int64_t rows, const std::string &png) {
  const BlockInfo *encoder = model.findBlock("encoder");
  if (!encoder || encoder->endLayer == encoder->firstLayer)
    return false;
  const LayerNode &last = model.layers[encoder->endLayer - 1];
  const std::vector<float> *codes = predict.output(last.name);
  if (!codes)
    return false;
  const Shape &shape = model.values[last.result].shape;
  // The picture of one code: maps of [h, w] laid out on a grid of
  // mapRows x mapCols.
  int64_t maps = 1, h = 1, w = 1;
  if (shape.rank() == 3) {
    maps = shape.dims[0];
    h = shape.dims[1];
    w = shape.dims[2];
  } else {
    std::tie(h, w) = squarest(shape.numElements());
  }
  auto [mapRows, mapCols] = squarest(maps);
  int64_t height = mapRows * h, width = mapCols * w;

  int64_t shown = std::min<int64_t>({10, data.size(), rows});
  std::vector<int64_t> order = data.epochOrder(false, 0, 0);
  for (size_t a = 0; a < data.arrays().size(); ++a)
    data.gatherBatch(order, 0, shown, static_cast<int>(a),
                     predict.input(static_cast<int>(a)));
  predict.run(0, rt::evaluationSeed(0));
  int64_t size = shape.numElements();
  std::vector<std::vector<float>> pictures(shown,
                                           std::vector<float>(height * width));
  for (int64_t i = 0; i < shown; ++i) {
    const float *code = codes->data() + i * size;
    auto [low, high] = std::minmax_element(code, code + size);
    float range = *high > *low ? *high - *low : 1.0f;
    for (int64_t m = 0; m < maps; ++m)
      for (int64_t y = 0; y < h; ++y)
        for (int64_t x = 0; x < w; ++x) {
          int64_t row = (m / mapCols) * h + y, col = (m % mapCols) * w + x;
          pictures[i][row * width + col] =
              (code[(m * h + y) * w + x] - *low) / range;
        }
  }
  std::vector<std::vector<const float *>> grid(1);
  for (const std::vector<float> &picture : pictures)
    grid[0].push_back(picture.data());
  int scale = static_cast<int>(std::max<int64_t>(1, 56 / std::max(height,
                                                                   width)));
  rt::writeImageGrid(png, grid, height, width, 1, scale, {last.name});
  return true;
}

} // namespace aenet
