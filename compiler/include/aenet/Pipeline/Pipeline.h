//===- Pipeline.h - Pass pipelines from aenet to LLVM -----------*- C++ -*-===//
//
// The pass pipelines between stages, built in C++ once and shared by `aec
// compile` (which prints a stage), the JIT (which runs them all) and
// `aenet-opt --aenet-to-llvm` (the same passes as one registered pipeline).
//
//===----------------------------------------------------------------------===//

#ifndef AENET_PIPELINE_PIPELINE_H
#define AENET_PIPELINE_PIPELINE_H

#include "aenet/Frontend/ModelToAenet.h"
#include "aenet/Pipeline/Stages.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassOptions.h"

#include "llvm/Support/SourceMgr.h"

namespace aenet {

/// Registers the dialects, interface models, extensions and translations the
/// pipelines use, and no others (Registration.cpp).
void registerCompilerDialects(mlir::DialectRegistry &registry);

/// Registers the aenet passes, the generic cleanups the lit tests use, and
/// the aenet-to-llvm pipeline, for command-line tools.
void registerCompilerPasses();

/// The options of the registered aenet-to-llvm pipeline.
struct AenetToLLVMOptions
    : public mlir::PassPipelineOptions<AenetToLLVMOptions> {
  Option<Backend> backend{
      *this, "backend",
      llvm::cl::desc("Where the heavy ops run (as aec's --backend)"),
      llvm::cl::init(Backend::OneDNN),
      llvm::cl::values(
          clEnumValN(Backend::Loops, "loops", "loops compiled by MLIR"),
          clEnumValN(Backend::OneDNN, "onednn", "oneDNN primitives"))};
  /// For the runner tests' harness modules only: their @main calls the
  /// tested functions with tensors, so no function is an entry point the
  /// runtime binds buffers to. Skips aenet-bind-buffers and bufferizes
  /// across function boundaries instead; every other pass is aec's.
  Option<bool> testHarness{
      *this, "test-harness",
      llvm::cl::desc("Lower a test module whose @main calls its functions "
                     "with tensors: no aenet-bind-buffers, bufferization "
                     "across function boundaries"),
      llvm::cl::init(false)};
};

/// Adds to |pm| the passes that take the stage before |stage| to |stage| for
/// |backend| (none for the aenet stage, nor for the oneDNN stage of the loops
/// backend).
void buildStagePasses(mlir::OpPassManager &pm, Stage stage, Backend backend);

/// Adds every stage after the aenet stage, up to the LLVM dialect.
void buildAenetToLLVMPipeline(mlir::OpPassManager &pm,
                              const AenetToLLVMOptions &options);

/// Registers buildAenetToLLVMPipeline as `aenet-to-llvm`.
void registerAenetToLLVMPipeline();

/// An MLIR context with every dialect the pipelines use, whose diagnostics
/// print as `file:line:col: error:` with the line of |text| (named |path|).
class CompilerContext {
public:
  CompilerContext(const std::string &text, const std::string &path);
  mlir::MLIRContext &get() { return ctx_; }
  llvm::SourceMgr &sourceMgr() { return sourceMgr_; }

private:
  mlir::DialectRegistry registry_;
  mlir::MLIRContext ctx_;
  llvm::SourceMgr sourceMgr_;
  mlir::SourceMgrDiagnosticHandler handler_;
};

/// Runs the passes that take a module from stage |from| to stage |to| for
/// |backend|.
mlir::LogicalResult lowerTo(mlir::ModuleOp module, Stage to, Backend backend,
                            Stage from = Stage::Aenet);

/// Builds model |model|'s module at the aenet stage, with the batch size and
/// optimizer of its train block.
mlir::OwningOpRef<mlir::ModuleOp>
buildModelModule(mlir::MLIRContext &ctx, const SourceFile &file,
                 const CheckedProgram &program, int model,
                 const CompileOptions &options);

} // namespace aenet

#endif // AENET_PIPELINE_PIPELINE_H
