//===- InitFrom.h - init BLOCK from "checkpoint" ----------------*- C++ -*-===//
//
// Loads part of a model from another model's checkpoint (`init ... from` in
// a train block).
//
//===----------------------------------------------------------------------===//

#ifndef AENET_LIB_DRIVER_INITFROM_H
#define AENET_LIB_DRIVER_INITFROM_H

#include "aenet/Lang/Sema.h"
#include "aenet/Runtime/ParameterStore.h"

namespace aenet {

/// Copies into |store| the parameters of `init.target` (a block or layer of
/// |graph|, or the model's name: all of them) from the checkpoint
/// `init.path`, matched by name; from Keras's weights file (`.h5`) with its
/// layers matched by name, or in order with |byOrder| (KerasWeights.h).
/// Every such parameter must be there with the model's shape; otherwise
/// throws CheckpointError naming each missing or mismatched tensor with both
/// shapes and what the checkpoint holds. Optimizer state ("NAME/m") is
/// never taken over.
void loadInit(rt::ParameterStore &store, const ModelGraph &graph,
              const InitFrom &init, bool byOrder = false);

} // namespace aenet

#endif // AENET_LIB_DRIVER_INITFROM_H
