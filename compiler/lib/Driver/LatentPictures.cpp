//===- LatentPictures.cpp - Pictures of a trained latent space ------------===//
//
// See LatentPictures.h. The codes are the encoder block's last value as the
// whole model's predict step computes it (a VAE's z is its mean there), so
// no second model is compiled for them, unless that value is unnamed
// (predict outputs named values only): then the encoder is compiled alone.
// The decoder alone is a SubModel from the value it starts from.
//
//===----------------------------------------------------------------------===//

#include "LatentPictures.h"

#include "Codes.h"
#include "Pictures.h"
#include "SubModel.h"

#include "aenet/Runtime/ImageGrid.h"
#include "aenet/Runtime/Plot.h"
#include "aenet/Runtime/Projection.h"
#include "aenet/Runtime/TrainLoop.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <optional>
#include <stdexcept>

namespace aenet {

namespace {

/// Codes scattered: enough samples to show each class's cloud, few enough
/// for PCA and gnuplot to take well under a second.
constexpr int64_t kScatterSamples = 2000;
/// The side of latent_grid.png's walk.
constexpr int64_t kGridSide = 15;
/// interpolation.png: pairs (rows) and steps per line (columns).
constexpr int64_t kPairs = 8, kSteps = 10;

/// The encoder block's last value for the first |count| samples of |data|
/// (data order), [count, width], from |predict| run on batches of |rows|;
/// empty when predict does not output it.
std::vector<float> predictCodes(const rt::Dataset &data, BoundEntry &predict,
                                int64_t rows, const std::string &name,
                                int64_t width, int64_t count) {
  std::vector<float> codes;
  codes.reserve(count * width);
  std::vector<int64_t> order = data.epochOrder(false, 0, 0);
  for (int64_t start = 0; start < count; start += rows) {
    int64_t n = std::min(rows, count - start);
    for (size_t a = 0; a < data.arrays().size(); ++a)
      data.gatherBatch(order, start, start + n, static_cast<int>(a),
                       predict.input(static_cast<int>(a)));
    predict.run(0, rt::evaluationSeed(0));
    const std::vector<float> *out = predict.output(name);
    if (!out)
      return {};
    codes.insert(codes.end(), out->begin(), out->begin() + n * width);
  }
  return codes;
}

/// The codes of the first |count| samples of |data| from the encoder block
/// compiled alone with the weights of |checkpoint|: for a code predict does
/// not output (it outputs named values only, and an encoder block may end
/// in an unnamed one).
std::vector<float> encodeCodes(const SourceFile &file, const RunSetup &setup,
                               const rt::Dataset &data, int64_t count,
                               Backend backend, const std::string &checkpoint) {
  RunOptions options;
  options.backend = backend;
  options.weights = checkpoint;
  std::unique_ptr<Encoder> encoder = Encoder::create(file, setup, options, "");
  if (!encoder)
    throw std::runtime_error("the encoder of '" + setup.graph().name +
                             "' did not compile alone");
  rt::Dataset first;
  for (const rt::Array &array : data.arrays())
    first.add(array.slice(0, count));
  return encoder->encode(first).values.data;
}

/// Draws the decoder's images of |codes| ([n, 2]) as a grid of rows of
/// |perRow| into |png|.
void drawDecoded(SubModel &decoder, const ValueInfo &code,
                 const ImageShape &image, const std::vector<float> &codes,
                 int64_t perRow, const std::string &png) {
  rt::Dataset data;
  data.add(rt::Array(code.name, code.shape.dims, codes, png));
  std::vector<rt::NamedTensor> out = decoder.run(data);
  const int64_t size = image.channels * image.height * image.width;
  const int64_t n = static_cast<int64_t>(codes.size()) / 2;
  std::vector<std::vector<const float *>> grid;
  for (int64_t i = 0; i < n; ++i) {
    if (i % perRow == 0)
      grid.emplace_back();
    grid.back().push_back(out.back().data.data() + i * size);
  }
  rt::writeImageGrid(png, grid, image.height, image.width, image.channels,
                     2, {});
}

/// Whether the layers of |block| read only the value it starts from and
/// each other's results (no skip connection from the encoder): then it
/// compiles alone.
bool readsOnlyItsCode(const ModelGraph &graph, const BlockInfo &block) {
  std::vector<int> known = {block.from};
  for (int l = block.firstLayer; l < block.endLayer; ++l) {
    for (int operand : graph.layers[l].operands)
      if (std::find(known.begin(), known.end(), operand) == known.end())
        return false;
    known.push_back(graph.layers[l].result);
  }
  return true;
}

} // namespace

std::vector<double> normalQuantiles(int64_t k) {
  // Inverts Phi(x) = erfc(-x / sqrt 2) / 2 by bisection: 60 halvings of
  // [-10, 10] are exact in double precision, and K is small.
  std::vector<double> out;
  for (int64_t i = 0; i < k; ++i) {
    double p = k == 1 ? 0.5 : 0.05 + 0.9 * static_cast<double>(i) / (k - 1);
    double low = -10, high = 10;
    for (int step = 0; step < 60; ++step) {
      double mid = (low + high) / 2;
      (0.5 * std::erfc(-mid / std::sqrt(2.0)) < p ? low : high) = mid;
    }
    out.push_back((low + high) / 2);
  }
  return out;
}

std::vector<std::string> writeLatentPictures(const SourceFile &file,
                                             const RunSetup &setup,
                                             const rt::Dataset &data,
                                             BoundEntry &predict, int64_t rows,
                                             Backend backend,
                                             const std::string &checkpoint) {
  const ModelGraph &graph = setup.graph();
  const BlockInfo *encoder = graph.findBlock("encoder");
  if (!encoder || encoder->endLayer == encoder->firstLayer || data.size() == 0)
    return {};
  const ValueInfo &code =
      graph.values[graph.layers[encoder->endLayer - 1].result];
  const int64_t width = code.shape.numElements();
  const int64_t count = std::min<int64_t>(kScatterSamples, data.size());
  std::vector<float> codes =
      predictCodes(data, predict, rows, code.name, width, count);
  if (codes.empty())
    codes = encodeCodes(file, setup, data, count, backend, checkpoint);
  // Nothing to draw from codes that are not all numbers.
  if (codes.empty() ||
      !std::all_of(codes.begin(), codes.end(),
                   [](float z) { return std::isfinite(z); }))
    return {};

  Codes labelled;
  readLabels(graph, data, {}, labelled);
  std::vector<int64_t> labels;
  std::vector<std::string> classNames;
  if (!labelled.labels.empty()) {
    labels.assign(labelled.labels.begin(), labelled.labels.begin() + count);
    for (int64_t k = 0; k < labelled.classes; ++k)
      classNames.push_back(std::to_string(k));
  }

  std::vector<std::string> written;
  const std::string latent = setup.outDir + "/latent.png";
  const std::string by =
      labels.empty() ? "" : ", coloured by " + labelled.labelName;
  if (width == 2) {
    rt::plotScatter(latent,
                    graph.name + ": " + code.name + " of " +
                        std::to_string(count) + " samples" + by,
                    code.name + "[0]", code.name + "[1]", codes, labels,
                    classNames);
  } else {
    rt::PlaneProjection plane =
        rt::projectOnPrincipalPlane(codes, count, width);
    char axis[2][64];
    for (int k = 0; k < 2; ++k)
      std::snprintf(axis[k], sizeof axis[k],
                    "principal component %d (%.0f%% of the variance)", k + 1,
                    100 * plane.explained[k]);
    rt::plotScatter(latent,
                    graph.name + ": " + code.name + " (" +
                        std::to_string(width) + " numbers) of " +
                        std::to_string(count) + " samples, PCA" + by,
                    axis[0], axis[1], plane.xy, labels, classNames);
  }
  written.push_back(latent);

  // The decoder's pictures need a 2-D code, a decoder that reads nothing
  // but the code and its own values, and images out of it.
  const BlockInfo *decoder = graph.findBlock("decoder");
  if (width != 2 || !decoder || decoder->endLayer <= decoder->firstLayer ||
      decoder->from != graph.layers[encoder->endLayer - 1].result ||
      !readsOnlyItsCode(graph, *decoder))
    return written;
  const int to = graph.layers[decoder->endLayer - 1].result;
  std::optional<ImageShape> image = imageShape(graph.values[to].shape);
  if (!image)
    return written;
  std::unique_ptr<SubModel> sub = SubModel::compile(
      file, setup, {decoder->from}, {to}, backend, checkpoint);
  if (!sub)
    throw std::runtime_error("the decoder of '" + graph.name +
                             "' did not compile alone");

  std::vector<double> q = normalQuantiles(kGridSide);
  std::vector<float> grid;
  // Row i is the i-th highest z1, column j the j-th lowest z0: the plane
  // as latent.png shows it.
  for (int64_t i = 0; i < kGridSide; ++i)
    for (int64_t j = 0; j < kGridSide; ++j) {
      grid.push_back(static_cast<float>(q[j]));
      grid.push_back(static_cast<float>(q[kGridSide - 1 - i]));
    }
  const std::string gridPng = setup.outDir + "/latent_grid.png";
  drawDecoded(*sub, code, *image, grid, kGridSide, gridPng);
  written.push_back(gridPng);

  // Lines between the codes of samples 2p and 2p + 1.
  const int64_t pairs = std::min<int64_t>(kPairs, count / 2);
  if (pairs == 0)
    return written;
  std::vector<float> lines;
  for (int64_t p = 0; p < pairs; ++p) {
    const float *a = codes.data() + 2 * p * 2, *b = a + 2;
    for (int64_t s = 0; s < kSteps; ++s) {
      float t = static_cast<float>(s) / (kSteps - 1);
      lines.push_back(a[0] + t * (b[0] - a[0]));
      lines.push_back(a[1] + t * (b[1] - a[1]));
    }
  }
  const std::string linesPng = setup.outDir + "/interpolation.png";
  drawDecoded(*sub, code, *image, lines, kSteps, linesPng);
  written.push_back(linesPng);
  return written;
}

} // namespace aenet
