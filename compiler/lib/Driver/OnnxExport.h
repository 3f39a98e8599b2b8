//===- OnnxExport.h - A trained model as an ONNX graph ----------*- C++ -*-===//
//
// `aec export --format onnx`: the layers of a model between given values,
// as standard ONNX operators (opset 17) with the trained weights as
// initializers, built with Debian's ONNX protobuf classes and checked by
// ONNX's own checker before a byte is written.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_LIB_DRIVER_ONNXEXPORT_H
#define AENET_LIB_DRIVER_ONNXEXPORT_H

#include "aenet/Lang/ModelGraph.h"
#include "aenet/Runtime/Checkpoint.h"

#include <string>
#include <vector>

namespace aenet {

/// The ONNX opset the graphs use.
constexpr int64_t kOnnxOpset = 17;

/// The serialized ONNX model of the layers of |graph| that make the values
/// |to| from the values |from| (graph inputs, batch first, named as the
/// values; a padded input's lengths too, as `sequenceLengthsName`), with
/// the tensors of |weights| (read from |source|). Throws rt::OutputError
/// naming |modelFile| when a layer has no ONNX form or the checker refuses
/// the graph, rt::CheckpointError when a weight is missing or misshapen.
std::string onnxModel(const ModelGraph &graph, const std::vector<int> &from,
                      const std::vector<int> &to,
                      const rt::Checkpoint &weights, const std::string &source,
                      const std::string &modelFile);

} // namespace aenet

#endif // AENET_LIB_DRIVER_ONNXEXPORT_H
