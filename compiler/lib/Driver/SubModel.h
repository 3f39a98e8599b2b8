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
  /// |from| nor computed from it. With |sampleSeed|, its `sample_normal`
  /// layers draw (FrontendOptions::sampleSeed) instead of giving mu.
  static std::unique_ptr<SubModel>
  compile(const SourceFile &file, const RunSetup &setup, std::vector<int> from,
          std::vector<int> to, Backend backend, const std::string &weights,
          std::optional<uint64_t> sampleSeed = std::nullopt);

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
  std::shared_ptr<const CompiledModel> model_;
  std::unique_ptr<BoundEntry> entry_;
};

/// Prepares |setup| for a sub-model that reads no data set (`aec decode`,
/// `aec encode --inputs`): the model and its train block only, so a run
/// whose training data is not on this machine still works. A model with
/// `?` extents waits for its data to fix them: its data is loaded, as
/// prepareData does. Prints `aec: error: ...` and returns false on a
/// problem.
bool prepareWithoutData(const SourceFile &file, const CheckedProgram &program,
                        const RunOptions &options, RunSetup &setup);

/// |setup|'s training data when prepareWithoutData loaded it, else arrays
/// named and shaped as its model's inputs that hold no samples: what
/// readInputs takes to know the arrays a file must give.
rt::Dataset inputArrays(const RunSetup &setup);

/// Caps |setup|'s batch at |samples| (at least 1), as prepareData caps it
/// at the data's size: a larger batch would compute rows that are never
/// read.
void capBatch(RunSetup &setup, int64_t samples);

} // namespace aenet

#endif // AENET_LIB_DRIVER_SUBMODEL_H
