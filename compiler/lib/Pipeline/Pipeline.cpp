//===- Pipeline.cpp - Pass pipelines from aenet to LLVM -------------------===//
//
// The passes between stages, built in C++ once: `aec compile --emit=STAGE`
// and the JIT run them stage by stage (lowerTo), `aenet-opt
// --aenet-to-llvm=backend=...` runs them all as one registered pipeline, so
// the three cannot drift apart.
//
//===----------------------------------------------------------------------===//

#include "aenet/Pipeline/Pipeline.h"

#include "aenet/Conversion/Passes.h"
#include "aenet/Dialect/Aenet/Transforms/Passes.h"

#include "mlir/Conversion/ArithToLLVM/ArithToLLVM.h"
#include "mlir/Conversion/AsyncToLLVM/AsyncToLLVM.h"
#include "mlir/Conversion/ControlFlowToLLVM/ControlFlowToLLVM.h"
#include "mlir/Conversion/FuncToLLVM/ConvertFuncToLLVMPass.h"
#include "mlir/Conversion/IndexToLLVM/IndexToLLVM.h"
#include "mlir/Conversion/MathToLLVM/MathToLLVM.h"
#include "mlir/Conversion/MathToLibm/MathToLibm.h"
#include "mlir/Conversion/MemRefToLLVM/MemRefToLLVM.h"
#include "mlir/Conversion/ReconcileUnrealizedCasts/ReconcileUnrealizedCasts.h"
#include "mlir/Conversion/SCFToControlFlow/SCFToControlFlow.h"
#include "mlir/Conversion/UBToLLVM/UBToLLVM.h"
#include "mlir/Conversion/VectorToLLVM/ConvertVectorToLLVMPass.h"
#include "mlir/Conversion/AffineToStandard/AffineToStandard.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Async/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

#include <cstdlib>

using namespace mlir;

namespace aenet {

/// |registry| after registering the compiler's dialects into it.
static const DialectRegistry &withCompilerDialects(DialectRegistry &registry) {
  registerCompilerDialects(registry);
  return registry;
}

CompilerContext::CompilerContext(const std::string &text,
                                 const std::string &path)
    : ctx_(withCompilerDialects(registry_)),
      handler_(sourceMgr_, &ctx_) {
  sourceMgr_.AddNewSourceBuffer(llvm::MemoryBuffer::getMemBufferCopy(text, path),
                                llvm::SMLoc());
}

static void addCleanup(OpPassManager &pm) {
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

/// The threads compiled loops may use: OMP_NUM_THREADS's first number when
/// set, as it bounds oneDNN's threads (one knob for all of a run's threads),
/// else 0, the host's hardware threads.
static int64_t loopThreads() {
  const char *text = std::getenv("OMP_NUM_THREADS");
  if (!text)
    return 0;
  long threads = std::strtol(text, nullptr, 10);
  return threads > 0 ? threads : 0;
}

/// Loops, the large ones split across the cores and run on MLIR's async
/// runtime (see ParallelizeLoops.cpp for why not OpenMP).
static void addParallelLoops(OpPassManager &pm) {
  mlir::aenet::AenetParallelizeLoopsOptions split;
  split.threads = loopThreads();
  pm.addNestedPass<func::FuncOp>(
      mlir::aenet::createAenetParallelizeLoops(split));
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  // Each scf.parallel has exactly one iteration per chunk: one block each,
  // the first run by the caller, the others submitted from its loop.
  AsyncParallelForPassOptions async;
  async.asyncDispatch = false;
  async.minTaskSize = 1;
  pm.addPass(createAsyncParallelForPass(async));
  pm.addPass(createAsyncToAsyncRuntimePass());
  pm.addPass(createAsyncRuntimeRefCountingPass());
  pm.addPass(createAsyncRuntimeRefCountingOptPass());
  pm.addPass(arith::createArithExpandOpsPass());
  pm.addPass(createConvertAsyncToLLVMPass());
}

/// Elementwise fusion, bufferization (parameters updated in place through the
/// buffers aenet-bind-buffers exposed, or across calls when
/// |bufferizeFunctionBoundaries|, for test harnesses), loops, and the LLVM
/// dialect.
static void addLowerToLLVM(OpPassManager &pm,
                           bool bufferizeFunctionBoundaries) {
  pm.addPass(createLinalgElementwiseOpFusionPass());
  addCleanup(pm);
  pm.addPass(mlir::aenet::createAenetVectorizeConvs());
  addCleanup(pm);
  pm.addPass(bufferization::createEmptyTensorEliminationPass());
  pm.addPass(bufferization::createEmptyTensorToAllocTensorPass());
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = bufferizeFunctionBoundaries;
  // The recurrent cells' time loops yield each step's new state.
  bufferize.allowReturnAllocsFromLoops = true;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  addCleanup(pm);
  pm.addPass(mlir::aenet::createAenetVectorizeMatmuls());
  pm.addPass(mlir::aenet::createAenetApproximateMath());
  addCleanup(pm);
  bufferization::buildBufferDeallocationPipeline(pm);
  addParallelLoops(pm);
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(createConvertVectorToLLVMPass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(createUBToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
}

/// buildStagePasses, or with |testHarness| the passes of the aenet-to-llvm
/// pipeline's test-harness option.
static void addStagePasses(OpPassManager &pm, Stage stage, Backend backend,
                           bool testHarness) {
  switch (stage) {
  case Stage::Aenet:
    return;
  case Stage::Grad:
    pm.addPass(mlir::aenet::createAenetAutodiff());
    pm.addPass(mlir::aenet::createAenetApplyOptimizer());
    return;
  case Stage::Bound:
    // A harness's functions return tensors to its @main, not to buffers.
    if (!testHarness)
      pm.addPass(mlir::aenet::createAenetBindBuffers());
    return;
  case Stage::OneDNN:
    if (backend == Backend::OneDNN) {
      pm.addPass(mlir::aenet::createAenetLowerToOneDNN());
      pm.addPass(createCSEPass());
    }
    return;
  case Stage::Linalg:
    pm.addPass(mlir::aenet::createAenetLowerToLinalg());
    addCleanup(pm);
    return;
  case Stage::Llvm:
    addLowerToLLVM(pm, /*bufferizeFunctionBoundaries=*/testHarness);
    return;
  }
}

void buildStagePasses(OpPassManager &pm, Stage stage, Backend backend) {
  addStagePasses(pm, stage, backend, /*testHarness=*/false);
}

/// The stages after the aenet stage, in order.
static constexpr Stage kLoweringStages[] = {
    Stage::Grad, Stage::Bound, Stage::OneDNN, Stage::Linalg, Stage::Llvm};

void buildAenetToLLVMPipeline(OpPassManager &pm,
                              const AenetToLLVMOptions &options) {
  for (Stage stage : kLoweringStages)
    addStagePasses(pm, stage, options.backend, options.testHarness);
}

void registerAenetToLLVMPipeline() {
  PassPipelineRegistration<AenetToLLVMOptions>(
      "aenet-to-llvm",
      "Lowers an aenet module as `aec compile --emit=aenet` prints it to the "
      "LLVM dialect, as `aec compile --emit=llvm` does: train_step, buffers, "
      "the backend's kernels or loops, then LLVM. test-harness=true lowers "
      "the runner tests' modules, whose @main calls functions on tensors.",
      buildAenetToLLVMPipeline);
}

const char *backendName(Backend backend) {
  return backend == Backend::OneDNN ? "onednn" : "loops";
}

LogicalResult lowerTo(ModuleOp module, Stage to, Backend backend, Stage from) {
  // One pass manager per stage, so that each stage's output is what
  // `aec compile --emit=STAGE` prints.
  for (Stage s : kLoweringStages) {
    if (static_cast<int>(s) <= static_cast<int>(from))
      continue;
    if (static_cast<int>(s) > static_cast<int>(to))
      break;
    PassManager pm = PassManager::on<ModuleOp>(module.getContext());
    buildStagePasses(pm, s, backend);
    if (pm.size() > 0 && failed(pm.run(module)))
      return failure();
  }
  return success();
}

OwningOpRef<ModuleOp> buildModelModule(MLIRContext &ctx,
                                       const SourceFile &file,
                                       const CheckedProgram &program,
                                       int model,
                                       const CompileOptions &options) {
  const ModelGraph &graph = program.models[model];
  const TrainPlan *plan = program.trainFor(graph.name);
  FrontendOptions frontend;
  frontend.useF64 = options.useF64;
  frontend.batch = options.batch > 0 ? options.batch
                   : plan            ? plan->batch
                                     : 32;
  frontend.from = options.from;
  frontend.to = options.to;
  frontend.sampleSeed = options.sampleSeed;
  frontend.entries = options.entries;
  OwningOpRef<ModuleOp> module =
      buildAenetModule(ctx, file, graph, plan, frontend);
  if (module && options.dataParallel)
    (*module)->setAttr(mlir::aenet::AenetDialect::getDataParallelAttrName(),
                       UnitAttr::get(&ctx));
  if (module && options.exchangedGradients)
    (*module)->setAttr(
        mlir::aenet::AenetDialect::getExchangedGradientsAttrName(),
        UnitAttr::get(&ctx));
  if (module && options.singleThreaded)
    (*module)->setAttr(mlir::aenet::AenetDialect::getSingleThreadedAttrName(),
                       UnitAttr::get(&ctx));
  return module;
}

} // namespace aenet
