//===- ModuleBuilder.h - Builds the aenet module of a model ----*- C++ -*-===//
//
// The class both halves of the frontend share: ModelToAenet.cpp builds the
// module and its entry functions (arguments, the walk over the layers,
// losses, metrics and results), LayerEmission.cpp the ops of one layer or
// corruption inside them. Private to lib/Frontend; the interface is
// aenet/Frontend/ModelToAenet.h.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_LIB_FRONTEND_MODULEBUILDER_H
#define AENET_LIB_FRONTEND_MODULEBUILDER_H

#include "aenet/Dialect/Aenet/IR/AenetOps.h"
#include "aenet/Frontend/ModelToAenet.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"

#include <set>

namespace aenet {
namespace frontend {

// Both files build IR throughout: MLIR's names unqualified, inside this
// private namespace only.
using namespace mlir;
/// The dialect; `aenet::` alone is the language front end.
namespace ir = mlir::aenet;

/// Sub: the inference function of a sub-model (FrontendOptions::to).
enum class Mode { Train, Evaluate, Predict, Sub };

class ModuleBuilder {
public:
  ModuleBuilder(MLIRContext &ctx, const SourceFile &file,
                const ModelGraph &model, const TrainPlan *plan,
                const FrontendOptions &options)
      : ctx_(ctx), file_(file), model_(model), plan_(plan), options_(options),
        b_(&ctx) {
    element_ = options.useF64 ? Type(b_.getF64Type()) : b_.getF32Type();
  }

  OwningOpRef<ModuleOp> build();

private:
  Location loc(uint32_t offset) {
    LineCol pos = file_.lineCol(offset);
    return FileLineColLoc::get(&ctx_, file_.path(), pos.line, pos.column);
  }
  RankedTensorType batched(const Shape &shape) {
    SmallVector<int64_t> dims = {options_.batch};
    dims.append(shape.dims.begin(), shape.dims.end());
    return RankedTensorType::get(dims, element_);
  }
  /// Reports an error at |offset| in the model file.
  void error(uint32_t offset, const Twine &message) {
    emitError(loc(offset)) << message;
    failed_ = true;
  }

  LogicalResult checkSupported();
  std::set<int> frozenLayers() const;
  /// Per layer: whether a sub-model's results need it (every layer when
  /// the module is the whole model).
  std::vector<bool> neededLayers() const;
  func::FuncOp buildFunction(ModuleOp module, StringRef name, Mode mode);
  /// Emits corruption |index| of the train block on |x|: Gaussian noise
  /// drawn from |seed| of the deviation argument, then the clip if it has
  /// one.
  Value emitCorruption(const Corruption &c, int index, Value x, Value seed);
  /// Emits layer |index|; returns its result (null after an error).
  Value emitLayer(const LayerNode &layer, int index, ArrayRef<Value> operands,
                  ArrayRef<Value> params, Value seed, Mode mode,
                  SmallVectorImpl<Value> &regularizers);
  /// Emits the rnn, lstm or gru |layer| on |in| from zero initial states;
  /// its result is the whole sequence with return_sequences, else the last
  /// step's h.
  Value emitRecurrent(const LayerNode &layer, Value in,
                      ArrayRef<Value> params);
  /// The train block's optimizer (Adam with Keras's defaults without one).
  ir::OptimizerAttr optimizerAttr();

  MLIRContext &ctx_;
  const SourceFile &file_;
  const ModelGraph &model_;
  const TrainPlan *plan_;
  FrontendOptions options_;
  OpBuilder b_;
  Type element_;
  bool failed_ = false;
  /// Per value of the function being built: the lengths of its padded
  /// sequences, or null.
  std::vector<Value> lengths_;
  /// Per layer of the function being built: a stateful layer's state
  /// arguments (h, then an LSTM's c); and the final states to write back,
  /// by state name.
  std::vector<SmallVector<Value, 2>> layerStates_;
  SmallVector<std::pair<std::string, Value>> finalStates_;
  /// The deviation arguments of the function being built: per corruption
  /// of the train block, and per gaussian_noise layer (null where the
  /// function draws no noise).
  std::vector<Value> corruptionStddevs_;
  std::vector<Value> layerStddevs_;
};

} // namespace frontend
} // namespace aenet

#endif // AENET_LIB_FRONTEND_MODULEBUILDER_H
