//===- Pipeline.cpp - Pass pipelines from aenet to LLVM -------------------===//
//
// The ordered pass lists between stages. Each stage's pipeline is a textual
// pass list so `aec compile` and the JIT run exactly the same passes.
//
//===----------------------------------------------------------------------===//

#include "aenet/Pipeline/Pipeline.h"

#include "aenet/Conversion/Passes.h"
#include "aenet/Dialect/Aenet/IR/AenetDialect.h"
#include "aenet/Dialect/Aenet/Transforms/Passes.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"

using namespace mlir;

namespace aenet {

void registerCompilerDialects(DialectRegistry &registry) {
  registry.insert<mlir::aenet::AenetDialect>();
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registerAllToLLVMIRTranslations(registry);
}

/// aenet ops to linalg on tensors.
static const char *kLowerToLinalg = "aenet-lower-to-linalg,canonicalize,cse";

/// Elementwise fusion, bufferization (parameters updated in place through the
/// buffers aenet-bind-buffers exposed), loops, and the LLVM dialect.
static const char *kLowerToLLVM =
    "linalg-fuse-elementwise-ops,canonicalize,cse,"
    "aenet-vectorize-convs,canonicalize,cse,"
    "eliminate-empty-tensors,empty-tensor-to-alloc-tensor,"
    "one-shot-bufferize,canonicalize,cse,"
    "aenet-vectorize-matmuls,aenet-approximate-math,canonicalize,cse,"
    "buffer-deallocation-pipeline,"
    "func.func(convert-linalg-to-loops),"
    "expand-strided-metadata,lower-affine,convert-scf-to-cf,"
    "convert-vector-to-llvm,finalize-memref-to-llvm,convert-arith-to-llvm,"
    "convert-math-to-llvm,convert-math-to-libm,convert-ub-to-llvm,"
    "convert-index-to-llvm,convert-cf-to-llvm,convert-func-to-llvm,"
    "reconcile-unrealized-casts";

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

static void registerPassesOnce() {
  static bool done = [] {
    registerAllPasses();
    mlir::aenet::registerAenetPasses();
    mlir::aenet::registerAenetConversionPasses();
    return true;
  }();
  (void)done;
}

/// The pass list that takes the previous stage to |stage|; null when this
/// build cannot produce it.
static const char *pipelineFor(Stage stage, Backend backend) {
  switch (stage) {
  case Stage::OneDNN:
    return backend == Backend::OneDNN ? "aenet-lower-to-onednn,cse" : "";
  case Stage::Aenet:
    return "";
  case Stage::Grad:
    return "aenet-autodiff,aenet-apply-optimizer";
  case Stage::Bound:
    return "aenet-bind-buffers";
  case Stage::Linalg:
    return kLowerToLinalg;
  case Stage::Llvm:
    return kLowerToLLVM;
  }
  return "";
}

const char *backendName(Backend backend) {
  return backend == Backend::OneDNN ? "onednn" : "loops";
}

LogicalResult lowerTo(ModuleOp module, Stage to, Backend backend, Stage from) {
  registerPassesOnce();
  for (Stage s : {Stage::Grad, Stage::Bound, Stage::OneDNN, Stage::Linalg,
                  Stage::Llvm}) {
    if (static_cast<int>(s) <= static_cast<int>(from))
      continue;
    if (static_cast<int>(s) > static_cast<int>(to))
      break;
    const char *passes = pipelineFor(s, backend);
    if (!passes)
      return emitError(module.getLoc())
             << "this stage is not available in this build yet";
    if (!*passes)
      continue;
    PassManager pm = PassManager::on<ModuleOp>(module.getContext());
    if (failed(parsePassPipeline(passes, pm)))
      return emitError(module.getLoc()) << "bad pipeline: " << passes;
    if (failed(pm.run(module)))
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
  return buildAenetModule(ctx, file, graph, plan, frontend);
}

} // namespace aenet
