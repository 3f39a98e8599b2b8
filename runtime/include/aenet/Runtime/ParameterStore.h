//===- ParameterStore.h - Named parameter and optimizer buffers -*- C++ -*-===//
//
// The tensors a training run owns and compiled code updates in place:
// parameters and optimizer state, by name. Buffers never move once added, so
// compiled calls can bind their addresses once.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_RUNTIME_PARAMETERSTORE_H
#define AENET_RUNTIME_PARAMETERSTORE_H

#include "aenet/Runtime/Checkpoint.h"

#include <deque>
#include <string>
#include <vector>

namespace aenet::rt {

class ParameterStore {
public:
  /// Adds a tensor filled with |fill|; names are unique. Optimizer state is
  /// marked |isState|: running a trained model does not need it.
  NamedTensor &add(const std::string &name, std::vector<int64_t> shape,
                   float fill = 0, bool isState = false);
  NamedTensor *find(const std::string &name);
  const NamedTensor *find(const std::string &name) const;
  const std::deque<NamedTensor> &tensors() const { return tensors_; }
  std::vector<NamedTensor> snapshot() const;

  /// Copies the tensors of |checkpoint| (read from |path|) into those of the
  /// same name; every stored tensor, optimizer state included, must be
  /// there (resuming a run). A shape mismatch or a missing tensor throws
  /// CheckpointError naming the path and the tensor.
  void load(const Checkpoint &checkpoint, const std::string &path);

  /// Loads only the parameters (not the optimizer state), all of which
  /// |checkpoint| must hold.
  void loadParameters(const Checkpoint &checkpoint, const std::string &path);

private:
  void copyFrom(const NamedTensor &stored, NamedTensor &into,
                const std::string &path);

  std::deque<NamedTensor> tensors_;
  std::deque<bool> isState_;
};

} // namespace aenet::rt

#endif // AENET_RUNTIME_PARAMETERSTORE_H
