//===- CharacterModel.cpp - What aec generate samples from ----------------===//
//
// A model qualifies as a character model by its types alone: the chars
// input it reads and a softmax over the same V symbols. The sliding window
// writes the window one-hot into the predict entry's input buffer and reads
// the softmax's last row.
//
//===----------------------------------------------------------------------===//

#include "CharacterModel.h"

#include "aenet/Runtime/TrainLoop.h"

#include <algorithm>
#include <cassert>
#include <stdexcept>

namespace aenet {

CharacterModelShape findCharacterModel(const ModelGraph &model,
                                       std::string &problem) {
  CharacterModelShape shape;
  for (size_t i = 0; i < model.inputs.size(); ++i) {
    const InputInfo &input = model.inputs[i];
    // A chars input that no layer reads is a target (many-to-many).
    bool read = false;
    for (const LayerNode &layer : model.layers)
      read |= std::find(layer.operands.begin(), layer.operands.end(),
                        input.value) != layer.operands.end();
    if (input.kind != InputKind::Chars || !read)
      continue;
    if (shape.input >= 0) {
      problem = "model '" + model.name + "' reads two chars inputs, '" +
                model.inputs[shape.input].name + "' and '" + input.name +
                "'; aec generate feeds one";
      return shape;
    }
    shape.input = static_cast<int>(i);
  }
  if (shape.input < 0) {
    problem = "model '" + model.name + "' reads no chars input; aec "
              "generate samples from character models (input w: chars[T, V])";
    return shape;
  }
  const InputInfo &input = model.inputs[shape.input];
  shape.window = input.shape.dims[0];
  shape.slots = input.classes;
  if (shape.window < 0) {
    problem = "input '" + input.name + "' of model '" + model.name +
              "' has no fixed length, and no text source of its train block "
              "gives a window; aec generate needs one";
    return shape;
  }
  for (const LayerNode &layer : model.layers) {
    shape.stateful |= layer.spec.stateful;
    bool softmax = layer.spec.activation == Activation::Softmax &&
                   (layer.spec.kind == LayerKind::Dense ||
                    layer.spec.kind == LayerKind::Activation);
    const Shape &out = model.values[layer.result].shape;
    bool oneStep = out.dims == std::vector<int64_t>{shape.slots};
    bool everyStep =
        out.dims == std::vector<int64_t>{shape.window, shape.slots};
    if (softmax && (oneStep || everyStep)) {
      shape.output = layer.name;
      shape.outputRows = oneStep ? 1 : shape.window;
    }
  }
  if (shape.output.empty())
    problem = "model '" + model.name + "' has no softmax layer over the " +
              std::to_string(shape.slots) + " symbols of input '" +
              input.name + "' (output [" + std::to_string(shape.slots) +
              "] or [" + std::to_string(shape.window) + ", " +
              std::to_string(shape.slots) + "]) to sample from";
  return shape;
}

CheckedProgram oneStepProgram(const CheckedProgram &program, int model,
                              CharacterModelShape &shape,
                              std::string &problem) {
  CheckedProgram oneStep = program;
  ModelGraph &graph = oneStep.models[model];
  std::vector<bool> steps(graph.values.size(), false);
  // Every chars input of the window's length (the read one and a
  // many-to-many target) becomes one step long.
  for (InputInfo &input : graph.inputs)
    if (input.kind == InputKind::Chars && input.shape.dims[0] == shape.window) {
      input.shape.dims[0] = 1;
      graph.values[input.value].shape.dims[0] = 1;
      steps[input.value] = true;
    }
  for (const LayerNode &layer : graph.layers) {
    bool reads = std::any_of(layer.operands.begin(), layer.operands.end(),
                             [&](int v) { return steps[v]; });
    if (!reads)
      continue;
    if (!keepsSteps(layer.spec)) {
      problem = "layer '" + layer.name + "' of model '" + graph.name +
                "' does not keep the steps (it needs the whole window), so "
                "its stateful model cannot run one character at a time; "
                "aec generate samples stateful models whose layers all "
                "return sequences (many-to-many)";
      return program;
    }
    graph.values[layer.result].shape.dims[0] = 1;
    steps[layer.result] = true;
  }
  shape.window = 1;
  shape.outputRows = 1;
  return oneStep;
}

StatefulStepModel::StatefulStepModel(BoundEntry &predict,
                                     const CharacterModelShape &shape)
    : predict_(predict), shape_(shape) {}

void StatefulStepModel::push(int32_t symbol) {
  float *row = predict_.input(shape_.input);
  std::fill(row, row + shape_.slots, 0.0f);
  row[symbol] = 1.0f;
  predict_.run(0, rt::evaluationSeed(0));
  const std::vector<float> *out = predict_.output(shape_.output);
  if (!out)
    throw std::logic_error("predict has no output " + shape_.output);
  last_ = out->data();
}

const float *StatefulStepModel::next() {
  if (!last_)
    throw std::logic_error("a stateful model predicts after a character");
  return last_;
}

CharacterModel::~CharacterModel() = default;

SlidingWindowModel::SlidingWindowModel(BoundEntry &predict,
                                       const CharacterModelShape &shape,
                                       std::vector<int32_t> context)
    : predict_(predict), shape_(shape), window_(std::move(context)) {
  assert(static_cast<int64_t>(window_.size()) == shape.window &&
         "the context is one window");
}

void SlidingWindowModel::push(int32_t symbol) {
  window_.erase(window_.begin());
  window_.push_back(symbol);
}

const float *SlidingWindowModel::next() {
  float *rows = predict_.input(shape_.input);
  std::fill(rows, rows + shape_.window * shape_.slots, 0.0f);
  for (int64_t t = 0; t < shape_.window; ++t)
    rows[t * shape_.slots + window_[t]] = 1.0f;
  predict_.run(0, rt::evaluationSeed(0));
  const std::vector<float> *out = predict_.output(shape_.output);
  if (!out)
    throw std::logic_error("predict has no output " + shape_.output);
  // Many-to-many models predict every step: the last row follows the window.
  return out->data() + (shape_.outputRows - 1) * shape_.slots;
}

} // namespace aenet
