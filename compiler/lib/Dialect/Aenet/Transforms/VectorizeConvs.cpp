//===- VectorizeConvs.cpp - Row-tiled, vectorized convolutions ------------===//
//
// Implements aenet-vectorize-convs. Each convolution is tagged with a class
// of tile sizes fitting its shape, and the transform schedule gets one
// tile / decompose / vectorize step per class. The vector ops it leaves are
// lowered by aenet-vectorize-matmuls' cleanup after bufferization.
//
// The vectorized body of a tile is unrolled: one contraction per kernel
// column, each lowered to FMAs over the whole tile. A convolution whose
// unrolled body would be too large stays scalar loops, which is what keeps
// compile time bounded (see kMaxUnrolledMacs).
//
//===----------------------------------------------------------------------===//

#include "Schedule.h"

#include "aenet/Dialect/Aenet/Transforms/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"

#include <array>
#include <map>
#include <sstream>

namespace mlir::aenet {
#define GEN_PASS_DEF_AENETVECTORIZECONVS
#include "aenet/Dialect/Aenet/Transforms/Passes.h.inc"
} // namespace mlir::aenet

using namespace mlir;
using namespace mlir::aenet;

namespace {

/// Tile sizes of (N, F, OH, OW, C, KH, KW); KW (0) stays whole.
using Tiles = std::array<int64_t, 7>;

/// The most multiply-adds one vectorized tile may unroll into: kernel
/// columns x output columns x filters x channels of the tile. The unrolled
/// code, and the time of the cleanup patterns that lower it, grow with this
/// product without bound as kernels widen: a kernel 28 columns wide over 28
/// outputs, 8 filters and 8 channels (28 x 28 x 8 x 8 = 50,176) took 14 s
/// to compile, where its plain loops take well under a second. Tiles of
/// the examples' sizes stay vectorized: 3x3 convolutions (3 x 7 x 8 x 8 =
/// 1,344) and their kernel gradients, whose "kernel" is the image read
/// across 8 samples of the batch (28 x 3 x 8 x 8 = 5,376 at 28x28; a 5x5
/// kernel's, 28 x 5 x 8 x 8 = 8,960).
constexpr int64_t kMaxUnrolledMacs = 16384;

/// The output columns of a tile: a row of up to 8 whole, a wider one by the
/// largest of 8 ... 2 that divides it; a row of up to 32 with no such divisor
/// (13, 29) whole rather than a column at a time.
int64_t columnTile(int64_t width) {
  if (width <= 8)
    return width;
  int64_t tile = fittingTile(width, {8, 7, 6, 5, 4, 3, 2});
  return tile == 1 && width <= 32 ? width : tile;
}

/// Tiles of up to 8 columns of one output row (columnTile) of up to 8
/// filters from up to 8 channels, one kernel row at a time: what decompose
/// needs (OH and KH of 1) and a contraction the vectorizer turns into FMAs
/// over 8 filters. A tile's accumulators are one vector of filters per
/// column: 8 fit the registers, where a whole 28-column row spilled (conv
/// AE on loops: epochs ~10 % faster with 7 columns than with 28, the same
/// results bit for bit).
Tiles tilesFor(linalg::Conv2DNchwFchwOp op) {
  auto out = cast<ShapedType>(op.getDpsInits()[0].getType());
  auto in = cast<ShapedType>(op.getDpsInputs()[0].getType());
  return {1,
          fittingTile(out.getDimSize(1), {8, 4, 2}),
          1,
          columnTile(out.getDimSize(3)),
          fittingTile(in.getDimSize(1), {8, 4, 2}),
          1,
          0};
}

/// The multiply-adds of one vectorized tile of |op| with |tiles|.
int64_t unrolledMacs(linalg::Conv2DNchwFchwOp op, const Tiles &tiles) {
  auto kernel = cast<ShapedType>(op.getDpsInputs()[1].getType());
  return kernel.getDimSize(3) * tiles[3] * tiles[1] * tiles[4];
}

/// A class of convolutions: their tile sizes and their iterations, which
/// aenet-parallelize-loops reads off the loop over the batch.
using TileClass = std::pair<Tiles, int64_t>;

std::string buildSchedule(const std::map<TileClass, int> &classes) {
  std::ostringstream s;
  s << "module attributes {transform.with_named_sequence} {\n"
       "transform.named_sequence @__transform_main(%root: !transform.any_op "
       "{transform.readonly}) {\n";
  for (const auto &[tileClass, id] : classes) {
    const auto &[tiles, iterations] = tileClass;
    s << "  %c" << id
      << " = transform.structured.match ops{[\"linalg.conv_2d_nchw_fchw\"]} "
         "attributes {"
      << kTileClassAttr.str() << " = " << id
      << " : i64} in %root : (!transform.any_op) -> !transform.any_op\n";
    int loops = 0;
    s << "  %t" << id << ", %l" << id << ":";
    for (int64_t t : tiles)
      loops += t != 0;
    s << loops << " = transform.structured.tile_using_for %c" << id
      << " tile_sizes [";
    for (size_t i = 0; i < tiles.size(); ++i)
      s << (i ? ", " : "") << tiles[i];
    s << "] : (!transform.any_op) -> (!transform.any_op";
    for (int i = 0; i < loops; ++i)
      s << ", !transform.any_op";
    s << ")\n"
      << "  %w" << id << " = transform.param.constant " << iterations
      << " : i64 -> !transform.param<i64>\n"
      << "  transform.annotate %l" << id << "#0 \""
      << AenetDialect::getParallelIterationsAttrName().str() << "\" = %w"
      << id << " : !transform.any_op, !transform.param<i64>\n"
      << "  %d" << id << " = transform.structured.decompose %t" << id
      << " : (!transform.any_op) -> !transform.any_op\n"
      << "  transform.structured.vectorize %d" << id
      << " : !transform.any_op\n";
  }
  s << "  transform.yield\n}\n}\n";
  return s.str();
}

struct AenetVectorizeConvsPass
    : public mlir::aenet::impl::AenetVectorizeConvsBase<
          AenetVectorizeConvsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    std::map<TileClass, int> classes;
    module.walk([&](linalg::Conv2DNchwFchwOp op) {
      // Buffers and dynamic shapes stay scalar loops.
      if (!op.hasPureTensorSemantics())
        return;
      for (Value v : op->getOperands())
        if (!cast<ShapedType>(v.getType()).hasStaticShape())
          return;
      Tiles tiles = tilesFor(op);
      if (unrolledMacs(op, tiles) > kMaxUnrolledMacs)
        return;
      int64_t iterations = 1;
      for (int64_t range : op.getStaticLoopRanges())
        iterations *= range;
      auto [it, inserted] =
          classes.try_emplace({tiles, iterations}, classes.size());
      op->setAttr(kTileClassAttr,
                  IntegerAttr::get(IntegerType::get(&getContext(), 64),
                                   it->second));
    });
    if (classes.empty())
      return;
    if (failed(applySchedule(module, buildSchedule(classes))))
      return signalPassFailure();
  }
};

} // namespace
