//===- Schedule.cpp - Running transform-dialect schedules -----------------===//
//
// See Schedule.h.
//
//===----------------------------------------------------------------------===//

#include "Schedule.h"

#include "mlir/Dialect/Transform/Transforms/TransformInterpreterUtils.h"
#include "mlir/Parser/Parser.h"

using namespace mlir;

int64_t mlir::aenet::fittingTile(int64_t extent,
                                 ArrayRef<int64_t> candidates) {
  for (int64_t c : candidates)
    if (extent % c == 0)
      return c;
  return 1;
}

LogicalResult mlir::aenet::applySchedule(ModuleOp module, StringRef text) {
  OwningOpRef<ModuleOp> schedule =
      parseSourceString<ModuleOp>(text, module.getContext());
  if (!schedule)
    return failure();
  Operation *entry = transform::detail::findTransformEntryPoint(
      *schedule, *schedule, "__transform_main");
  if (!entry ||
      failed(transform::applyTransformNamedSequence(
          module, entry, *schedule, transform::TransformOptions())))
    return failure();
  module.walk([&](Operation *op) { op->removeAttr(kTileClassAttr); });
  return success();
}
