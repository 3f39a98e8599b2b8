//===- KerasWeights.h - Keras's HDF5 weights files --------------*- C++ -*-===//
//
// The weights Keras writes with `model.save_weights`: Keras 3's
// `NAME.weights.h5` (a group `layers/LAYER/vars` of datasets 0, 1, ...; a
// recurrent layer's under `layers/LAYER/cell/vars`) and Keras 2's `.h5`
// (the root's `layer_names`, each layer's group listing its `weight_names`).
// Tensors keep Keras's names, order and layouts; what they are in aec is
// the compiler's business (compiler/lib/Driver/KerasWeights.cpp).
//
//===----------------------------------------------------------------------===//

#ifndef AENET_RUNTIME_KERASWEIGHTS_H
#define AENET_RUNTIME_KERASWEIGHTS_H

#include "aenet/Runtime/Checkpoint.h"

#include <string>
#include <vector>

namespace aenet::rt {

/// One Keras layer's weights, in the order Keras lists them (kernel,
/// recurrent kernel, bias).
struct KerasLayer {
  std::string name;
  std::vector<NamedTensor> weights;
  /// Keras 3 keeps a recurrent layer's weights in its cell's group (Keras
  /// 2 files do not say: false).
  bool recurrent = false;
};

struct KerasWeightsFile {
  /// 2 or 3.
  int kerasVersion = 3;
  /// Keras 2: the model's order. Keras 3 records none: by name.
  std::vector<KerasLayer> layers;
  /// The layers are in the model's order (Keras 2's `layer_names`).
  bool ordered = false;
};

/// Reads the Keras weights file |path|. Throws CheckpointError naming it
/// when it is not an HDF5 file, not one of Keras's weights layouts, or holds
/// a tensor that is not 32- or 64-bit floats.
KerasWeightsFile loadKerasWeights(const std::string &path);

/// Writes |layers| as a Keras 3 `.weights.h5` file at |path|, through a
/// temporary file renamed into place. Throws CheckpointError on failure.
void saveKerasWeights(const std::string &path,
                      const std::vector<KerasLayer> &layers);

} // namespace aenet::rt

#endif // AENET_RUNTIME_KERASWEIGHTS_H
