//===- ParameterStore.cpp - Named parameter and optimizer buffers ---------===//
//
// A deque keeps element addresses stable as tensors are added.
//
//===----------------------------------------------------------------------===//

#include "aenet/Runtime/ParameterStore.h"

#include "aenet/Runtime/Errors.h"

#include <stdexcept>

namespace aenet::rt {

NamedTensor &ParameterStore::add(const std::string &name,
                                 std::vector<int64_t> shape, float fill,
                                 bool isState) {
  if (find(name))
    throw std::logic_error("tensor '" + name + "' added twice");
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  tensors_.push_back({name, std::move(shape), std::vector<float>(n, fill)});
  isState_.push_back(isState);
  return tensors_.back();
}

NamedTensor *ParameterStore::find(const std::string &name) {
  for (NamedTensor &t : tensors_)
    if (t.name == name)
      return &t;
  return nullptr;
}

const NamedTensor *ParameterStore::find(const std::string &name) const {
  return const_cast<ParameterStore *>(this)->find(name);
}

std::vector<NamedTensor> ParameterStore::snapshot() const {
  return std::vector<NamedTensor>(tensors_.begin(), tensors_.end());
}

void ParameterStore::load(const Checkpoint &checkpoint,
                          const std::string &path) {
  for (size_t i = 0; i < tensors_.size(); ++i) {
    NamedTensor &t = tensors_[i];
    const NamedTensor *stored = checkpoint.find(t.name);
    // Parameters come from the model, state from the optimizer: a missing
    // state tensor means the optimizer (or its momentum) changed.
    if (!stored && isState_[i])
      throw CheckpointError(path, "has no optimizer state '" + t.name +
                                      "': it was saved with another "
                                      "optimizer or optimizer settings");
    if (!stored)
      throw CheckpointError(path, "has no tensor '" + t.name + "'");
    copyFrom(*stored, t, path);
  }
}

void ParameterStore::copyFrom(const NamedTensor &stored, NamedTensor &into,
                              const std::string &path) {
  if (stored.shape != into.shape)
    throw CheckpointError(path, "tensor '" + into.name + "' has shape " +
                                    shapeText(stored.shape) +
                                    ", the model needs " +
                                    shapeText(into.shape));
  into.data = stored.data;
}

void ParameterStore::loadParameters(const Checkpoint &checkpoint,
                                    const std::string &path) {
  for (size_t i = 0; i < tensors_.size(); ++i) {
    if (isState_[i])
      continue;
    const NamedTensor *stored = checkpoint.find(tensors_[i].name);
    if (!stored)
      throw CheckpointError(path, "has no tensor '" + tensors_[i].name + "'");
    copyFrom(*stored, tensors_[i], path);
  }
}

} // namespace aenet::rt
