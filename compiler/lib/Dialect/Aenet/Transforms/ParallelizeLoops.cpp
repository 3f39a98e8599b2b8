//===- ParallelizeLoops.cpp - Split large loops into one chunk per core ---===//
//
// Implements aenet-parallelize-loops. The compiled loops (everything on the
// loops backend; losses, metrics, bias gradients and optimizer updates on
// the oneDNN backend) ran on one core. This pass splits the outermost
// parallel loop of each large op into `threads` contiguous chunks under an
// `scf.parallel`, which async-parallel-for hands to MLIR's async runtime.
// Measured on 2 cores (aec train, epochs 2-3, median of 3): loops backend
// 1.5x faster on the conv AE, 1.4x on the deep AE, 1.1x on the dense AE;
// the oneDNN backend 1.05-1.1x on the dense and conv AE, none on the deep.
//
// Why the async runtime and not OpenMP: oneDNN here runs on GNU OpenMP,
// while MLIR's convert-scf-to-openmp emits `__kmpc_*` calls that only LLVM's
// libomp provides, a second OpenMP pool spinning against libgomp's. The
// async runtime's pool is llvm::ThreadPool, whose idle workers sleep on a
// condition variable and so do not compete with oneDNN's threads.
//
// Why explicit chunks rather than async-parallel-for's own block sizes: its
// `min-task-size` is one number for all loops, counted in iterations of the
// parallel loop, which are single elements for an elementwise op but whole
// rows of tiles for a matmul. Deciding here, from the static shapes, keeps
// small ops (a bias vector, an optimizer update of a small kernel) serial
// and gives each large one exactly one chunk per core.
//
// In a data-parallel module (`aenet.data_parallel`) the runtime already runs
// grad_step and evaluate one per core on slices of a batch: their loops stay
// serial (predict's too, run whole at the end of training), and only
// apply_step's are split.
//
//===----------------------------------------------------------------------===//

#include "aenet/Dialect/Aenet/Transforms/Passes.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "llvm/Support/Threading.h"

namespace mlir::aenet {
#define GEN_PASS_DEF_AENETPARALLELIZELOOPS
#include "aenet/Dialect/Aenet/Transforms/Passes.h.inc"
} // namespace mlir::aenet

using namespace mlir;

namespace {

/// The mark aenet-vectorize-matmuls leaves on its loops over rows of tiles.
constexpr StringLiteral kMarked =
    mlir::aenet::AenetDialect::getParallelIterationsAttrName();

/// The iterations of |op|'s loop nest when its first loop is parallel and
/// every bound is static, else 0 (such an op is never split).
int64_t splittableIterations(linalg::LinalgOp op) {
  if (!op.hasPureBufferSemantics() || op.getNumLoops() == 0 ||
      op.getIteratorTypesArray().front() != utils::IteratorType::parallel)
    return 0;
  int64_t iterations = 1;
  for (int64_t range : op.getStaticLoopRanges()) {
    if (ShapedType::isDynamic(range))
      return 0;
    iterations *= range;
  }
  return iterations;
}

/// Rewrites |loop| (index bounds, static, no results) as an scf.parallel
/// over at most |chunks| chunks, each running a contiguous slice of |loop|'s
/// iterations with the original body.
void splitIntoChunks(scf::ForOp loop, int64_t chunks) {
  std::optional<int64_t> lb = getConstantIntValue(loop.getLowerBound());
  std::optional<int64_t> ub = getConstantIntValue(loop.getUpperBound());
  std::optional<int64_t> step = getConstantIntValue(loop.getStep());
  if (!lb || !ub || !step || *step <= 0 || loop.getNumResults() != 0 ||
      !loop.getInductionVar().getType().isIndex())
    return;
  int64_t trips = (*ub - *lb + *step - 1) / *step;
  chunks = std::min(chunks, trips);
  if (chunks < 2)
    return;
  // Each chunk's span, in the loop's own units.
  int64_t span = (trips + chunks - 1) / chunks * *step;

  OpBuilder b(loop);
  Location loc = loop.getLoc();
  auto index = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(b, loc, v);
  };
  auto parallel = scf::ParallelOp::create(b, loc, ValueRange{index(0)},
                                          ValueRange{index(chunks)},
                                          ValueRange{index(1)});
  b.setInsertionPointToStart(parallel.getBody());
  Value chunk = parallel.getInductionVars().front();
  Value lower = arith::AddIOp::create(
      b, loc, index(*lb), arith::MulIOp::create(b, loc, chunk, index(span)));
  Value upper = arith::MinSIOp::create(
      b, loc, arith::AddIOp::create(b, loc, lower, index(span)), index(*ub));
  loop->moveBefore(parallel.getBody()->getTerminator());
  loop.getLowerBoundMutable().assign(lower);
  loop.getUpperBoundMutable().assign(upper);
}

struct AenetParallelizeLoopsPass
    : public mlir::aenet::impl::AenetParallelizeLoopsBase<
          AenetParallelizeLoopsPass> {
  using AenetParallelizeLoopsBase::AenetParallelizeLoopsBase;

  void runOnOperation() override {
    int64_t chunks =
        threads > 0 ? threads
                    : llvm::hardware_concurrency().compute_thread_count();
    // A data-parallel module's steps already run one per core, each on a
    // slice of the batch; only apply_step, run alone between them, is split.
    func::FuncOp func = getOperation();
    StringRef dataParallel =
        mlir::aenet::AenetDialect::getDataParallelAttrName();
    if (auto module = func->getParentOfType<ModuleOp>()) {
      if (module->hasAttr(dataParallel) && func.getName() != "apply_step")
        chunks = 1;
      if (module->hasAttr(
              mlir::aenet::AenetDialect::getSingleThreadedAttrName()))
        chunks = 1;
    }
    SmallVector<scf::ForOp> loops;
    // The tile loops the vectorizers marked: the mark is only a hint for
    // this pass, so it goes either way.
    getOperation().walk([&](scf::ForOp loop) {
      auto marked = loop->getAttrOfType<IntegerAttr>(kMarked);
      if (!marked)
        return;
      loop->removeAttr(kMarked);
      if (marked.getInt() >= minIterations)
        loops.push_back(loop);
    });
    SmallVector<linalg::LinalgOp> large;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (splittableIterations(op) >= minIterations)
        large.push_back(op);
    });
    if (chunks < 2)
      return;
    IRRewriter rewriter(&getContext());
    for (linalg::LinalgOp op : large) {
      rewriter.setInsertionPoint(op);
      FailureOr<linalg::LinalgLoops> nest =
          linalg::linalgOpToLoops(rewriter, op);
      if (failed(nest) || nest->empty())
        continue;
      rewriter.eraseOp(op);
      if (auto outer = dyn_cast<scf::ForOp>(nest->front()))
        loops.push_back(outer);
    }
    for (scf::ForOp loop : loops)
      splitIntoChunks(loop, chunks);
  }
};

} // namespace
