//===- MemoryEstimate.cpp - The memory a run needs, before it runs --------===//
//
// The estimate errs on the generous side only where the compiled code's
// allocations are not known exactly: every value of the graph is counted
// three times per batch row (the activation, its gradient and a temporary
// of the same size), and the train, evaluate and predict steps each own
// their input buffers. Parameters count once more for their gradients.
//
//===----------------------------------------------------------------------===//

#include "MemoryEstimate.h"

#include "aenet/Runtime/AvailableMemory.h"

namespace aenet {

namespace {

/// The tensors of state the optimizer keeps per parameter (Keras's slots).
int stateSlots(const OptimizerSpec &optimizer) {
  switch (optimizer.kind) {
  case OptimizerKind::SGD:
    return optimizer.momentum > 0 ? 1 : 0;
  case OptimizerKind::Adam:
    return 2;
  case OptimizerKind::RMSProp:
    return optimizer.momentum > 0 ? 2 : 1;
  case OptimizerKind::Adagrad:
    return 1;
  case OptimizerKind::Adadelta:
    return 2;
  }
  return 2;
}

/// The elements of |shape|, ignoring unknown (-1) extents.
double elements(const std::vector<int64_t> &shape) {
  double count = 1;
  for (int64_t dim : shape)
    if (dim > 0)
      count *= static_cast<double>(dim);
  return count;
}

} // namespace

MemoryEstimate estimateMemory(const ModelGraph &graph,
                              const OptimizerSpec &optimizer, int64_t batch) {
  constexpr double kFloat = sizeof(float);
  constexpr double kPerValue = 3; // activation, gradient, temporary
  constexpr double kEntries = 3; // train, evaluate and predict inputs
  MemoryEstimate estimate;
  double params = 0;
  for (const LayerNode &layer : graph.layers)
    for (const ParamInfo &param : layer.params)
      params += elements(param.shape);
  estimate.parameters = params * (2 + stateSlots(optimizer)) * kFloat;
  double perRow = 0;
  for (const ValueInfo &value : graph.values)
    perRow += elements(value.shape.dims) * kPerValue;
  for (const InputInfo &input : graph.inputs)
    perRow += elements(input.shape.dims) * kEntries;
  estimate.batch = perRow * static_cast<double>(batch) * kFloat;
  return estimate;
}

std::string memoryProblem(const MemoryEstimate &estimate, double available,
                          const std::string &what, int64_t batch) {
  if (available < 0 || estimate.total() <= available)
    return {};
  return what + " needs about " + rt::formatBytes(estimate.total()) +
         " of memory (" + rt::formatBytes(estimate.parameters) +
         " for the parameters, their gradients and the optimizer's state, " +
         rt::formatBytes(estimate.batch) + " for a batch of " +
         std::to_string(batch) + "), but only " + rt::formatBytes(available) +
         " is available; use a smaller model or --batch";
}

} // namespace aenet
