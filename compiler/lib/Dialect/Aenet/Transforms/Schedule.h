//===- Schedule.h - Running transform-dialect schedules ---------*- C++ -*-===//
//
// What the passes that tile and vectorize with a transform-dialect schedule
// share: the choice of tile sizes the vectorizer accepts, and running a
// schedule given as text on a module.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_LIB_DIALECT_AENET_TRANSFORMS_SCHEDULE_H
#define AENET_LIB_DIALECT_AENET_TRANSFORMS_SCHEDULE_H

#include "aenet/Dialect/Aenet/IR/AenetDialect.h"

#include "mlir/IR/BuiltinOps.h"

namespace mlir::aenet {

/// The attribute that tags each op with its class of tile sizes, which the
/// schedule matches on.
constexpr StringLiteral kTileClassAttr = AenetDialect::getTileClassAttrName();

/// The largest of |candidates| (descending) that divides |extent|, else 1:
/// the vectorizer takes only tiles that divide the op.
int64_t fittingTile(int64_t extent, ArrayRef<int64_t> candidates);

/// Parses |text|, a module with a `@__transform_main` named sequence, and
/// applies it to |module|; then drops every kTileClassAttr.
LogicalResult applySchedule(ModuleOp module, StringRef text);

} // namespace mlir::aenet

#endif // AENET_LIB_DIALECT_AENET_TRANSFORMS_SCHEDULE_H
