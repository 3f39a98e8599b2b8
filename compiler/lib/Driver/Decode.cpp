//===- Decode.cpp - aec decode --------------------------------------------===//
//
// Runs a trained model's `decoder` block alone, from the value it starts
// from (the code), on codes given in a file, drawn from N(0, I) as a VAE's
// prior, or laid on a K x K grid of a 2-D latent at the normal quantiles of
// evenly spaced probabilities from 0.05 to 0.95 (as Keras's VAE example
// walks its latent space). Optional Gaussian noise on the codes shows how
// smooth the decoder is around them. Writes the decoder's output and the
// codes decoded as the output file's extension says (SampleFiles.h), and
// the outputs as a PNG grid when they are images.
//
//===----------------------------------------------------------------------===//

#include "LatentPictures.h"
#include "Pictures.h"
#include "SampleFiles.h"
#include "SubModel.h"

#include "aenet/Runtime/Errors.h"
#include "aenet/Runtime/ImageGrid.h"
#include "aenet/Runtime/Random.h"

#include <cmath>
#include <filesystem>
#include <iostream>

namespace aenet {

namespace {

/// The codes to decode, [N * width], from |options|; throws rt::DataError.
std::vector<float> makeCodes(const DecodeOptions &options,
                             const std::string &name, int64_t width,
                             const std::string &modelPath) {
  std::vector<float> codes;
  if (!options.codes.empty()) {
    rt::Checkpoint file = rt::loadSafetensors(options.codes);
    const rt::NamedTensor *t = file.find(name);
    // A file of one tensor (besides encode's labels) needs no such name;
    // of several, which one holds the codes cannot be guessed.
    if (!t) {
      std::vector<const rt::NamedTensor *> candidates;
      for (const rt::NamedTensor &candidate : file.tensors)
        if (candidate.name != "labels")
          candidates.push_back(&candidate);
      if (candidates.empty())
        throw rt::DataError(options.codes,
                            "has no tensor '" + name +
                                "', the value the decoder starts from");
      if (candidates.size() > 1) {
        std::string names;
        for (const rt::NamedTensor *c : candidates)
          names += (names.empty() ? "'" : ", '") + c->name + "'";
        throw rt::DataError(options.codes,
                            "has no tensor '" + name +
                                "', the value the decoder starts from, "
                                "and several others that could be the "
                                "codes (" +
                                names + "); name one of them '" + name +
                                "'");
      }
      t = candidates.front();
    }
    int64_t perSample = 1;
    for (size_t d = 1; d < t->shape.size(); ++d)
      perSample *= t->shape[d];
    if (t->shape.size() < 2 || perSample != width)
      throw rt::DataError(options.codes,
                          "tensor '" + t->name + "' has shape " +
                              rt::shapeText(t->shape) + ": codes of " +
                              std::to_string(perSample) +
                              " values; the decoder takes codes '" + name +
                              "' of " + std::to_string(width));
    codes = t->data;
  } else if (options.grid > 0) {
    if (width != 2)
      throw rt::DataError(modelPath,
                          "--grid walks a 2-D latent; the decoder's code '" +
                              name + "' has " + std::to_string(width) +
                              " dimensions");
    std::vector<double> q = normalQuantiles(options.grid);
    // Row i is the i-th highest z1, column j the j-th lowest z0, so the
    // picture is a plot of the plane.
    for (int64_t i = 0; i < options.grid; ++i)
      for (int64_t j = 0; j < options.grid; ++j) {
        codes.push_back(static_cast<float>(q[j]));
        codes.push_back(static_cast<float>(q[options.grid - 1 - i]));
      }
  } else {
    rt::Rng rng(rt::mixSeed(options.seed, 0x636f6465ull)); // "code"
    codes.resize(options.random * width);
    for (float &z : codes)
      z = static_cast<float>(rng.normal());
  }
  if (options.noise > 0) {
    rt::Rng rng(rt::mixSeed(options.seed, 0x6e6f6973ull)); // "nois"
    for (float &z : codes)
      z += static_cast<float>(options.noise * rng.normal());
  }
  return codes;
}

} // namespace

int runDecode(const SourceFile &file, const CheckedProgram &program,
              const RunOptions &run, const DecodeOptions &options) {
  if (options.codes.empty() && options.random == 0 && options.grid == 0) {
    std::cerr << "aec: error: decode needs the codes: --codes FILE, "
                 "--random N or --grid K\n";
    return 1;
  }
  if (!run.outFile.empty() &&
      !checkSampleFormat(run.outFile, "the codes decoded"))
    return 1;
  // The codes are all decode reads: the training data need not exist.
  RunSetup setup;
  if (!prepareWithoutData(file, program, run, setup))
    return 1;
  const ModelGraph &graph = setup.graph();
  const BlockInfo *block = graph.findBlock("decoder");
  if (!block || block->endLayer <= block->firstLayer) {
    std::cerr << "aec: error: " << file.path() << ": model '" << graph.name
              << "' has no decoder block to decode with\n";
    return 1;
  }
  int from = block->from, to = graph.layers[block->endLayer - 1].result;
  const ValueInfo &code = graph.values[from];
  int64_t width = 1;
  for (int64_t d : code.shape.dims)
    width *= d;
  std::string out = run.outFile.empty()
                        ? setup.outDir + "/decoded.safetensors"
                        : run.outFile;
  try {
    std::vector<float> codes =
        makeCodes(options, code.name, width, file.path());
    int64_t n = static_cast<int64_t>(codes.size()) / width;
    if (n == 0)
      throw rt::DataError(options.codes, "holds no codes");
    capBatch(setup, n);
    std::unique_ptr<SubModel> sub = SubModel::compile(
        file, setup, {from}, {to}, run.backend, run.weights);
    if (!sub)
      return 1;
    rt::Dataset data;
    data.add(rt::Array(code.name, code.shape.dims, codes, options.codes));
    // The outputs first: a .npy file holds them, the codes go beside it.
    std::vector<rt::NamedTensor> tensors = sub->run(data);
    std::vector<int64_t> shape = {n};
    shape.insert(shape.end(), code.shape.dims.begin(), code.shape.dims.end());
    tensors.push_back({code.name, shape, std::move(codes)});
    std::filesystem::path parent = std::filesystem::path(out).parent_path();
    if (!parent.empty())
      std::filesystem::create_directories(parent);
    writeSamples(out, tensors, {},
                 {{"model", graph.name}, {"weights", run.weights}});
    std::string png;
    if (std::optional<ImageShape> image = imageShape(graph.values[to].shape)) {
      // A grid as the plane it walks; other codes ten to a row, 100 at most.
      int64_t perRow = options.grid > 0 ? options.grid : 10;
      int64_t shown = options.grid > 0 ? n : std::min<int64_t>(n, 100);
      int64_t size = image->channels * image->height * image->width;
      std::vector<std::vector<const float *>> rows;
      for (int64_t i = 0; i < shown; ++i) {
        if (i % perRow == 0)
          rows.emplace_back();
        rows.back().push_back(tensors.front().data.data() + i * size);
      }
      png = out.substr(0, out.size() - std::filesystem::path(out)
                                           .extension()
                                           .string()
                                           .size()) +
            ".png";
      rt::writeImageGrid(png, rows, image->height, image->width,
                         image->channels, options.grid > 0 ? 2 : 3, {});
    }
    std::cout << "Wrote " << out << " (" << thousands(n) << " codes '"
              << code.name << "' decoded to '" << graph.values[to].name
              << "')" << (png.empty() ? "" : ", " + png) << '\n';
  } catch (const std::exception &e) {
    // rt::FileError names the file; filesystem_error the folder it could
    // not make.
    std::cerr << "aec: error: " << e.what() << '\n';
    return 1;
  }
  return 0;
}

} // namespace aenet
