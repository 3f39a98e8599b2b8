//===- MemoryEstimate.h - The memory a run needs, before it runs -*- C++ -*-===//
//
// A model of a hundred million units passes `aec check` and then dies of
// std::bad_alloc, and a batch too large for the machine crashes inside
// compiled code, which cannot report a failed allocation. So a run estimates
// what it will allocate from the model's shapes, the optimizer and the batch
// size, and refuses to start when that exceeds the memory available.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_LIB_DRIVER_MEMORYESTIMATE_H
#define AENET_LIB_DRIVER_MEMORYESTIMATE_H

#include "aenet/Lang/Sema.h"

#include <cstdint>
#include <string>

namespace aenet {

/// Bytes a run allocates besides its data, split by what they are for.
/// Doubles, because an absurd model's byte count overflows 64 bits.
struct MemoryEstimate {
  /// Parameters, their gradients and the optimizer's state.
  double parameters = 0;
  /// Per-batch input buffers, activations, their gradients and temporaries.
  double batch = 0;

  double total() const { return parameters + batch; }
};

/// What training |graph| with |optimizer| in batches of |batch| needs.
MemoryEstimate estimateMemory(const ModelGraph &graph,
                              const OptimizerSpec &optimizer, int64_t batch);

/// An error message when |estimate| exceeds |available| bytes (negative:
/// unknown, never an error), else an empty string. |what| names the run,
/// e.g. "training 'dense_ae'".
std::string memoryProblem(const MemoryEstimate &estimate, double available,
                          const std::string &what, int64_t batch);

} // namespace aenet

#endif // AENET_LIB_DRIVER_MEMORYESTIMATE_H
