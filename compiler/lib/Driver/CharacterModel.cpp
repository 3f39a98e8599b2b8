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
    if (layer.spec.stateful) {
      problem = "layer '" + layer.name + "' of model '" + model.name +
                "' is stateful; aec generate runs sliding windows, and "
                "one-step generation of stateful models is not implemented";
      return shape;
    }
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
