//===- VectorizeMatmuls.cpp - Register-blocked, vectorized matmuls --------===//
//
// Implements aenet-vectorize-matmuls. Tile sizes must divide a matmul's
// dimensions for the vectorizer to take the tile, so each matmul is tagged
// with a class of tile sizes fitting its shape, and the transform schedule
// (the fastest recipe measured, near oneDNN's single-threaded matmul: see
// bench/NOTES.md) gets one tiling step per class. The tiles are at most 8 x 32
// with a reduction tile of 1, so a matmul's unrolled vector code is bounded
// whatever its shape (unlike a convolution's, see VectorizeConvs.cpp).
//
//===----------------------------------------------------------------------===//

#include "Schedule.h"

#include "aenet/Dialect/Aenet/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/Transforms/Transforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <map>
#include <sstream>
#include <tuple>

namespace mlir::aenet {
#define GEN_PASS_DEF_AENETVECTORIZEMATMULS
#include "aenet/Dialect/Aenet/Transforms/Passes.h.inc"
} // namespace mlir::aenet

using namespace mlir;
using namespace mlir::aenet;

namespace {

/// A class of matmuls: their output tile sizes (rows, columns) and their
/// multiply-adds, which aenet-parallelize-loops reads off the row loop.
using TileClass = std::tuple<int64_t, int64_t, int64_t>;

/// The first schedule: tile and vectorize each class, marking its loop over
/// rows of tiles (disjoint rows of the output) as splittable across threads.
std::string buildTilingSchedule(const std::map<TileClass, int> &classes) {
  std::ostringstream s;
  s << "module attributes {transform.with_named_sequence} {\n"
       "transform.named_sequence @__transform_main(%root: !transform.any_op "
       "{transform.readonly}) {\n";
  for (const auto &[tiles, id] : classes) {
    s << "  %m" << id
      << " = transform.structured.match ops{[\"linalg.matmul\"]} attributes "
         "{"
      << kTileClassAttr.str() << " = " << id
      << " : i64} in %root : (!transform.any_op) -> !transform.any_op\n"
      << "  %t" << id << ", %l" << id
      << ":3 = transform.structured.tile_using_for %m" << id
      << " tile_sizes [" << std::get<0>(tiles) << ", " << std::get<1>(tiles)
      << ", 1] : (!transform.any_op) -> (!transform.any_op, "
         "!transform.any_op, !transform.any_op, !transform.any_op)\n"
      << "  %w" << id << " = transform.param.constant " << std::get<2>(tiles)
      << " : i64 -> !transform.param<i64>\n"
      << "  transform.annotate %l" << id << "#0 \""
      << AenetDialect::getParallelIterationsAttrName().str() << "\" = %w" << id
      << " : !transform.any_op, !transform.param<i64>\n"
      << "  transform.structured.vectorize %t" << id
      << " : !transform.any_op\n";
  }
  s << "  transform.yield\n}\n}\n";
  return s.str();
}

/// The patterns of `transform.apply_patterns.memref.fold_memref_alias_ops`
/// but one, followed by canonicalization, applied to each function as that
/// transform op applies them (no iteration limit).
///
/// The one left out folds an expand_shape into a transfer_read. In LLVM 22 it
/// creates the source's linearized indices before checking that the read's
/// permutation map can be folded, and then fails; the driver erases the dead
/// indices and tries again, forever. A `valid` convolution reading the
/// reshaped model input (`reshape` then `conv2d(..., valid)`) makes such a
/// read: a rank-reducing row of `memref.expand_shape %x [[0], [1, 2, 3]]`
/// with map (d0, d1, d3). Later LLVM checks first; the read then stays on
/// the expand_shape, which is what leaving the pattern out does here.
LogicalResult foldAliasesAndCanonicalize(ModuleOp module) {
  MLIRContext *ctx = module.getContext();
  RewritePatternSet folds(ctx);
  memref::populateFoldMemRefAliasOpPatterns(folds);
  RewritePatternSet patterns(ctx);
  bool dropped = false;
  for (std::unique_ptr<RewritePattern> &pattern : folds.getNativePatterns()) {
    StringRef name = pattern->getDebugName();
    if (name.contains("LoadOpOfExpandShapeOpFolder") &&
        name.contains("TransferReadOp")) {
      dropped = true;
      continue;
    }
    patterns.add(std::move(pattern));
  }
  if (!dropped)
    return module.emitError("aenet-vectorize-matmuls: MLIR's fold of "
                            "expand_shape into transfer_read was not found "
                            "by name; see foldAliasesAndCanonicalize");
  for (Dialect *dialect : ctx->getLoadedDialects())
    dialect->getCanonicalizationPatterns(patterns);
  for (RegisteredOperationName op : ctx->getRegisteredOperations())
    op.getCanonicalizationPatterns(patterns, ctx);
  FrozenRewritePatternSet frozen(std::move(patterns));
  GreedyRewriteConfig config;
  config.setMaxIterations(GreedyRewriteConfig::kNoLimit);
  for (auto func : module.getOps<func::FuncOp>())
    (void)applyPatternsGreedily(func, frozen, config);
  return success();
}

/// The second schedule: hoist loop invariants so accumulators stay in
/// registers, then the cleanups that lower contractions to FMAs.
constexpr StringLiteral kLoweringSchedule = R"(
module attributes {transform.with_named_sequence} {
transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
  %f = transform.structured.match ops{["func.func"]} in %root : (!transform.any_op) -> !transform.any_op
  %loops = transform.structured.match ops{["scf.for"]} in %root : (!transform.any_op) -> !transform.any_op
  transform.apply_licm to %loops : !transform.any_op
  %f2 = transform.structured.hoist_redundant_vector_transfers %f : (!transform.any_op) -> !transform.any_op
  transform.apply_patterns to %f2 {
    transform.apply_patterns.vector.lower_contraction lowering_strategy = "outerproduct"
    transform.apply_patterns.vector.transfer_permutation_patterns
    transform.apply_patterns.vector.lower_multi_reduction lowering_strategy = "innerparallel"
    transform.apply_patterns.vector.split_transfer_full_partial split_transfer_strategy = "linalg-copy"
    transform.apply_patterns.vector.transfer_to_scf max_transfer_rank = 1 full_unroll = true
    transform.apply_patterns.vector.lower_transfer max_transfer_rank = 1
    transform.apply_patterns.vector.lower_shape_cast
    transform.apply_patterns.vector.lower_transpose lowering_strategy = "shuffle_1d"
    transform.apply_patterns.vector.lower_outerproduct
    transform.apply_patterns.vector.lower_broadcast
  } : !transform.any_op
  transform.yield
}
}
)";

struct AenetVectorizeMatmulsPass
    : public mlir::aenet::impl::AenetVectorizeMatmulsBase<
          AenetVectorizeMatmulsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    std::map<TileClass, int> classes;
    bool unsupported = false;
    module.walk([&](linalg::MatmulOp op) {
      auto out = dyn_cast<MemRefType>(op.getDpsInits()[0].getType());
      if (!out || !out.hasStaticShape()) {
        unsupported = true;
        return;
      }
      int64_t iterations = 1;
      for (int64_t range : op.getStaticLoopRanges())
        iterations *= range;
      TileClass tiles = {fittingTile(out.getDimSize(0), {8, 4, 2}),
                         fittingTile(out.getDimSize(1), {32, 16, 8, 4, 2}),
                         iterations};
      auto [it, inserted] = classes.try_emplace(tiles, classes.size());
      op->setAttr(kTileClassAttr,
                  IntegerAttr::get(IntegerType::get(&getContext(), 64),
                                   it->second));
    });
    if (unsupported) {
      module.emitError("aenet-vectorize-matmuls expects bufferized matmuls "
                       "of static shape");
      return signalPassFailure();
    }
    if (!classes.empty() &&
        failed(applySchedule(module, buildTilingSchedule(classes))))
      return signalPassFailure();
    // Without matmuls these still lower the vector ops other passes made
    // (aenet-vectorize-convs).
    if (failed(foldAliasesAndCanonicalize(module)) ||
        failed(applySchedule(module, kLoweringSchedule)))
      return signalPassFailure();
  }
};

} // namespace
