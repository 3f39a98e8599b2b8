//===- Codes.cpp - A trained model's codes of a data set ------------------===//
//
// The encoder of a model is found from its value backwards: the layers that
// make the code, and the inputs they read, which become the sub-model's
// inputs. A `class[N]` input those layers do not read is the data's labels
// (the digit of an MNIST image), kept beside the codes for pictures and
// probes coloured or scored by class.
//
//===----------------------------------------------------------------------===//

#include "Codes.h"

#include "aenet/Runtime/Errors.h"

#include <algorithm>
#include <iostream>

namespace aenet {

std::vector<int> inputsRead(const ModelGraph &graph, int v) {
  std::vector<bool> seen(graph.values.size(), false);
  std::vector<int> pending = {v};
  while (!pending.empty()) {
    int u = pending.back();
    pending.pop_back();
    if (seen[u])
      continue;
    seen[u] = true;
    if (int layer = graph.values[u].producer; layer >= 0)
      for (int operand : graph.layers[layer].operands)
        pending.push_back(operand);
  }
  std::vector<int> inputs;
  for (const InputInfo &input : graph.inputs)
    if (seen[input.value])
      inputs.push_back(input.value);
  return inputs;
}

/// Whether a `sample_normal` layer is among those that make value |v|.
static bool samples(const ModelGraph &graph, int v) {
  std::vector<int> pending = {v};
  std::vector<bool> seen(graph.values.size(), false);
  while (!pending.empty()) {
    int u = pending.back();
    pending.pop_back();
    int layer = graph.values[u].producer;
    if (seen[u] || layer < 0)
      continue;
    seen[u] = true;
    if (graph.layers[layer].spec.kind == LayerKind::SampleNormal)
      return true;
    for (int operand : graph.layers[layer].operands)
      pending.push_back(operand);
  }
  return false;
}

std::unique_ptr<Encoder> Encoder::create(const SourceFile &file,
                                         const RunSetup &setup,
                                         const RunOptions &options,
                                         const std::string &value) {
  const ModelGraph &graph = setup.graph();
  std::unique_ptr<Encoder> encoder(new Encoder());
  if (value.empty()) {
    const BlockInfo *block = graph.findBlock("encoder");
    if (!block || block->endLayer <= block->firstLayer) {
      std::cerr << "aec: error: " << file.path() << ": model '" << graph.name
                << "' has no encoder block; name the value to compute "
                   "with --value\n";
      return nullptr;
    }
    encoder->value_ = graph.layers[block->endLayer - 1].result;
  } else {
    encoder->value_ = graph.findValue(value);
    if (encoder->value_ < 0) {
      std::cerr << "aec: error: " << file.path() << ": model '" << graph.name
                << "' has no value '" << value << "'\n";
      return nullptr;
    }
    if (graph.values[encoder->value_].producer < 0) {
      std::cerr << "aec: error: " << file.path() << ": '" << value
                << "' is an input of model '" << graph.name
                << "', not a value its layers make\n";
      return nullptr;
    }
  }
  // The model samples (chooseModel checked), but perhaps not on the way.
  if (options.sample && !samples(graph, encoder->value_)) {
    std::cerr << "aec: error: " << file.path() << ": no sample_normal layer "
              << "makes '" << graph.values[encoder->value_].name
              << "', so --sample would draw nothing\n";
    return nullptr;
  }
  encoder->sub_ = SubModel::compile(file, setup,
                                    inputsRead(graph, encoder->value_),
                                    {encoder->value_}, options.backend,
                                    options.weights,
                                    options.sample
                                        ? std::optional(setup.plan.seed)
                                        : std::nullopt);
  if (!encoder->sub_)
    return nullptr;
  return encoder;
}

const std::string &Encoder::valueName() const {
  return sub_->graph().values[value_].name;
}

Codes Encoder::encode(const rt::Dataset &data) {
  Codes codes;
  codes.values = std::move(sub_->run(data).front());
  readLabels(sub_->graph(), data, inputsRead(sub_->graph(), value_), codes);
  return codes;
}

void readLabels(const ModelGraph &graph, const rt::Dataset &data,
                const std::vector<int> &exclude, Codes &codes) {
  for (const InputInfo &input : graph.inputs) {
    int a = data.findArray(input.name);
    if (input.kind != InputKind::Class || a < 0 ||
        std::count(exclude.begin(), exclude.end(), input.value))
      continue;
    // A class input is stored one-hot: the class is the hot index.
    const rt::Array &array = data.arrays()[a];
    int64_t classes = array.sampleSize();
    codes.labels.clear();
    for (int64_t i = 0; i < data.size(); ++i) {
      const float *row = array.data.data() + i * classes;
      codes.labels.push_back(std::max_element(row, row + classes) - row);
    }
    codes.labelName = input.name;
    codes.classes = classes;
    return;
  }
}

} // namespace aenet
