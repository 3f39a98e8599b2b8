//===- ModelToAenet.h - Build aenet IR from a checked model -----*- C++ -*-===//
//
// The bridge from the language to the compiler: a checked `ModelGraph` (and
// its train block) becomes a module of three functions on tensors with a
// static batch size:
//   @train_loss  training mode (dropout and noise on), marked for autodiff;
//                returns the total loss, then each loss and metric;
//   @evaluate    the same results in inference mode;
//   @predict     every named layer output, in inference mode, then each
//                input the train block corrupts, as corrupted;
// or those of them FrontendOptions::entries asks for; or, for a sub-model
// (FrontendOptions::to), @submodel alone.
// The inputs a train block corrupts get their noise in all three, from a
// seed argument, at a deviation argument (see ModelToAenet.cpp).
// Locations point into the .aenet file, so any later error names its line.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_FRONTEND_MODELTOAENET_H
#define AENET_FRONTEND_MODELTOAENET_H

#include "aenet/Frontend/EntryFunctions.h"
#include "aenet/Lang/Diagnostics.h"
#include "aenet/Lang/ModelGraph.h"
#include "aenet/Lang/TrainPlan.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include <optional>

namespace aenet {

struct FrontendOptions {
  int64_t batch = 32;
  /// f32 for training; f64 for gradient checks.
  bool useF64 = false;
  /// A sub-model instead of the whole (`aec encode`, `aec decode`): when
  /// |to| is not empty the module holds one inference function, @submodel,
  /// whose inputs are the values |from| (each named as its value) and whose
  /// results are the values |to|, computed by only the layers between them.
  /// Inputs are not corrupted. The caller checks that the layers need no
  /// value outside |from|.
  std::vector<int> from, to;
  /// Set: the inference functions (evaluate, predict, a sub-model) draw
  /// `sample_normal`'s z = mu + exp(logvar / 2) * eps as training does,
  /// eps keyed by this seed (`--sample --seed N`); unset: they take mu.
  std::optional<uint64_t> sampleSeed;
  /// The entry functions of a whole model's module to build (EntryFunction
  /// bits).
  unsigned entries = kAllEntries;
};

/// Builds the module of |model|; |plan| (may be null) supplies the optimizer
/// and frozen layers. Returns null after reporting an error (e.g. a layer
/// kind the compiler does not handle yet) as `file:line:col: error:`.
mlir::OwningOpRef<mlir::ModuleOp>
buildAenetModule(mlir::MLIRContext &ctx, const SourceFile &file,
                 const ModelGraph &model, const TrainPlan *plan,
                 const FrontendOptions &options);

} // namespace aenet

#endif // AENET_FRONTEND_MODELTOAENET_H
