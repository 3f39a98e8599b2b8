//===- Inference.cpp - aec eval and aec predict ---------------------------===//
//
// Both load trained weights into a compiled model and run it over the
// validation data (the training data when the train block has none).
//
//===----------------------------------------------------------------------===//

#include "Pictures.h"
#include "RunSetup.h"

#include "aenet/Runtime/Checkpoint.h"
#include "aenet/Runtime/Errors.h"
#include "aenet/Runtime/Progress.h"

#include <filesystem>
#include <iostream>

namespace aenet {

namespace {

/// Loads |options.weights| into a prepared run; prints and fails on error.
bool loadWeights(RunSetup &setup, const RunOptions &options) {
  if (options.weights.empty()) {
    std::cerr << "aec: error: --weights is required\n";
    return false;
  }
  try {
    setup.steps->initializeStore(0);
    setup.store.loadParameters(rt::loadSafetensors(options.weights),
                               options.weights);
  } catch (const rt::FileError &e) {
    std::cerr << "aec: error: " << e.what() << '\n';
    return false;
  }
  return true;
}

/// The validation data, else the training data.
const rt::Dataset &evaluationData(const RunSetup &setup) {
  return setup.data.validation ? *setup.data.validation : setup.data.train;
}

/// Whether a layer of |graph| reads input |input| (a target only a loss or
/// a metric reads is not needed to predict).
bool layersRead(const ModelGraph &graph, const InputInfo &input) {
  for (const LayerNode &layer : graph.layers)
    for (int operand : layer.operands)
      if (operand == input.value)
        return true;
  return false;
}

} // namespace

rt::Dataset readInputs(const std::string &path, const rt::Dataset &like,
                       const ModelGraph &graph) {
  rt::Checkpoint file = rt::loadSafetensors(path);
  int64_t samples = -1;
  std::string first;
  for (const rt::Array &array : like.arrays()) {
    const rt::NamedTensor *t = file.find(array.name);
    if (!t)
      continue;
    std::vector<int64_t> want = array.sampleShape;
    if (t->shape.size() != want.size() + 1 ||
        !std::equal(want.begin(), want.end(), t->shape.begin() + 1)) {
      // "[N, 6, 32]": any number of samples of the input's shape.
      std::string takes = rt::shapeText(want);
      takes.insert(1, want.empty() ? "N" : "N, ");
      throw rt::DataError(path, "tensor '" + array.name + "' has shape " +
                                    rt::shapeText(t->shape) + "; input '" +
                                    array.name + "' takes " + takes);
    }
    if (samples >= 0 && t->shape[0] != samples)
      throw rt::DataError(path, "tensor '" + array.name + "' holds " +
                                    std::to_string(t->shape[0]) +
                                    " samples, tensor '" + first + "' " +
                                    std::to_string(samples));
    if (samples < 0) {
      samples = t->shape[0];
      first = array.name;
    }
  }
  for (const InputInfo &input : graph.inputs)
    if (layersRead(graph, input) && !file.find(input.name))
      throw rt::DataError(path, "has no tensor '" + input.name +
                                    "' for input '" + input.name +
                                    "', which the layers read");
  if (samples <= 0)
    throw rt::DataError(path, "holds no samples");
  rt::Dataset data;
  for (const rt::Array &array : like.arrays()) {
    rt::Array a(array.name, array.sampleShape, {}, path);
    if (const rt::NamedTensor *t = file.find(array.name)) {
      a.data = t->data;
    } else if (array.name.find('#') != std::string::npos) {
      // The lengths of a padded input given without them: all its steps.
      int64_t steps = 0;
      for (const InputInfo &input : graph.inputs)
        if (sequenceLengthsName(input.name) == array.name)
          steps = input.shape.dims[0];
      a.data.assign(samples, static_cast<float>(steps));
    } else {
      a.data.assign(samples * a.sampleSize(), 0.0f);
    }
    data.add(std::move(a));
  }
  return data;
}

int runEval(const SourceFile &file, const CheckedProgram &program,
            const RunOptions &options) {
  RunSetup setup;
  if (!prepareRun(file, program, options, setup) ||
      !loadWeights(setup, options))
    return 1;
  const rt::Dataset &data = evaluationData(setup);
  rt::LoopOptions loop;
  loop.batch = setup.plan.batch;
  rt::TrainLoop runner(*setup.steps, setup.store, setup.data.train, nullptr,
                       loop, std::cout);
  std::vector<double> scalars;
  try {
    scalars = runner.evaluate(data);
  } catch (const std::exception &e) {
    std::cerr << "aec: error: " << e.what() << '\n';
    return 1;
  }
  std::cout << setup.graph().name << " on "
            << thousands(data.size())
            << (setup.data.validation ? " validation" : " training")
            << " samples:\n";
  const std::vector<std::string> &names = setup.steps->scalarNames();
  for (size_t i = 0; i < names.size(); ++i)
    std::cout << "  " << names[i] << " "
              << rt::ProgressBar::formatValue(scalars[i]) << '\n';
  return 0;
}

int runPredict(const SourceFile &file, const CheckedProgram &program,
               const RunOptions &options) {
  RunSetup setup;
  if (!prepareRun(file, program, options, setup) ||
      !loadWeights(setup, options))
    return 1;
  const ModelGraph &graph = setup.graph();
  rt::Dataset given;
  if (!options.inputs.empty()) {
    try {
      given = readInputs(options.inputs, setup.data.train, graph);
    } catch (const rt::FileError &e) {
      std::cerr << "aec: error: " << e.what() << '\n';
      return 1;
    }
  }
  const rt::Dataset &data =
      options.inputs.empty() ? evaluationData(setup) : given;
  std::error_code ec;
  std::filesystem::create_directories(setup.outDir, ec);
  try {
    // Every named output over the whole data set, in data order, and each
    // corrupted input as the model read it (with evaluation's noise).
    int64_t batch = setup.plan.batch;
    BoundEntry &full = setup.steps->predictStep(batch);
    std::vector<rt::NamedTensor> outputs;
    auto addOutput = [&](const std::string &name, const Shape &s) {
      if (!full.output(name))
        return;
      std::vector<int64_t> shape = {data.size()};
      shape.insert(shape.end(), s.dims.begin(), s.dims.end());
      outputs.push_back({name, shape, {}});
    };
    for (const LayerNode &layer : graph.layers)
      addOutput(layer.name, graph.values[layer.result].shape);
    for (const InputInfo &input : graph.inputs)
      addOutput(noisyName(input.name), input.shape);
    std::vector<int64_t> order = data.epochOrder(false, 0, 0);
    for (int64_t begin = 0; begin < data.size(); begin += batch) {
      int64_t end = std::min(data.size(), begin + batch);
      BoundEntry &p = setup.steps->predictStep(end - begin);
      for (size_t a = 0; a < data.arrays().size(); ++a)
        data.gatherBatch(order, begin, end, static_cast<int>(a),
                         p.input(static_cast<int>(a)));
      p.run(0, rt::evaluationSeed(begin));
      for (rt::NamedTensor &out : outputs) {
        const std::vector<float> &v = *p.output(out.name);
        out.data.insert(out.data.end(), v.begin(), v.end());
      }
    }
    std::string raw = setup.outDir + "/predictions.safetensors";
    rt::saveSafetensors(raw, outputs,
                        {{"model", graph.name}, {"weights", options.weights}});
    std::string png = setup.outDir + "/reconstructions.png";
    bool drew = writeReconstructions(graph, data, full, batch, png);
    std::string codes = setup.outDir + "/codes.png";
    bool drewCodes = writeCodes(graph, data, full, batch, codes);
    std::cout << "Wrote " << raw << " (" << outputs.size()
              << " outputs for " << thousands(data.size()) << " samples)"
              << (drew ? ", " + png : "") << (drewCodes ? ", " + codes : "")
              << '\n';
  } catch (const std::exception &e) {
    std::cerr << "aec: error: " << e.what() << '\n';
    return 1;
  }
  return 0;
}

} // namespace aenet
