//===- KerasWeights.h - Keras's weights as aec's parameters -----*- C++ -*-===//
//
// Between the tensors of Keras's weights files (runtime/KerasWeights.h) and
// aec's parameters: the layers matched by name or in order, and each
// tensor's layout converted where the two differ (convolution kernels; the
// rows of a dense kernel after a flattened image, which Keras flattens
// channels-last).
//
//===----------------------------------------------------------------------===//

#ifndef AENET_LIB_DRIVER_KERASWEIGHTS_H
#define AENET_LIB_DRIVER_KERASWEIGHTS_H

#include "aenet/Lang/ModelGraph.h"
#include "aenet/Runtime/KerasWeights.h"

namespace aenet {

/// The parameters of |graph|'s layers named in |layers| (aec's names and
/// layouts) from the Keras weights file |path|: a Keras 3 file's layers
/// matched to the model's by kind in order (dense, dense_1, ...: how Keras 3
/// keys them); a Keras 2 file's by name, or with |byOrder| the model's
/// layers that have parameters to the file's that have weights, in order.
/// Keras 3 keys and Keras 2 order count over the whole model, so a file for
/// a block or layer (`init encoder from`) is one of the whole model. Throws
/// CheckpointError naming |path| with every layer that does not fit and what
/// the file holds.
rt::Checkpoint kerasWeightsFor(const ModelGraph &graph,
                               const std::vector<std::string> &layers,
                               const std::string &path, bool byOrder);

/// The parameters of |graph| in |weights| (aec's checkpoint) as Keras 3
/// layers, keyed and laid out as Keras 3 files them. Throws CheckpointError
/// naming |source| when a parameter is missing or misshapen.
std::vector<rt::KerasLayer> kerasLayersOf(const ModelGraph &graph,
                                          const rt::Checkpoint &weights,
                                          const std::string &source);

} // namespace aenet

#endif // AENET_LIB_DRIVER_KERASWEIGHTS_H
