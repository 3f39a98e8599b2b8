//===- SubModel.h - A part of a trained model, compiled alone ---*- C++ -*-===//
//
// `aec encode`, `aec decode` and `aec probe` run a part of a trained model:
// the layers from some values (the inputs, or the code the decoder starts
// from) to others (the code, the reconstruction). Compiling the whole model
// would build its training step and run its losses for nothing, and could
// not start from a code at all; a SubModel compiles the inference function
// of just those layers (FrontendOptions::from/to) and binds only their
// parameters, read from the checkpoint.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_LIB_DRIVER_SUBMODEL_H
#define AENET_LIB_DRIVER_SUBMODEL_H

#include "CompiledSteps.h"
#include "RunSetup.h"

#include "aenet/Runtime/Checkpoint.h"

namespace aenet {

class SubModel {
public:
  /// Compiles the layers of |setup|'s model between the values |from| and
  /// |to| for batches of |setup.plan.batch| rows and loads their parameters
  /// from the checkpoint |weights|. Prints `aec: error: ...` (or the model
  /// file's `file:line:col: error:`) and returns null on a problem: a
  /// missing or foreign checkpoint, a layer that reads a value neither in
  /// |from| nor computed from it.
  static std::unique_ptr<SubModel>
  compile(const SourceFile &file, const RunSetup &setup, std::vector<int> from,
          std::vector<int> to, Backend backend, const std::string &weights);

  /// The values of |to| for every sample of |data|, in data order: one
  /// tensor [N, value shape] per value, named as the value. |data| holds an
  /// array per |from| value, named as the value (other arrays are ignored).
  /// Any number of samples: the last batch is padded. Throws rt::DataError
  /// (naming |data|'s source) when an array is missing or of another shape.
  std::vector<rt::NamedTensor> run(const rt::Dataset &data);

  const ModelGraph &graph() const { return graph_; }

private:
  SubModel(const ModelGraph &graph) : graph_(graph) {}

  const ModelGraph &graph_;
  std::vector<int> from_, to_;
  /// The data-set arrays the compiled function reads, in binding order.
  std::vector<std::string> arrayNames_;
  std::vector<int64_t> arraySizes_;
  int64_t batch_ = 0;
  rt::ParameterStore store_;
  std::unique_ptr<CompiledModel> model_;
  std::unique_ptr<BoundEntry> entry_;
};

} // namespace aenet

#endif // AENET_LIB_DRIVER_SUBMODEL_H
