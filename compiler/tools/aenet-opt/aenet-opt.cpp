//===- aenet-opt.cpp - mlir-opt with the aenet dialect and passes ---------===//
//
// Runs passes on .mlir files: the driver of the dialect's lit tests. It
// registers what aec registers (Registration.cpp), so `--aenet-to-llvm`
// runs exactly aec's pipeline.
//
//===----------------------------------------------------------------------===//

#include "aenet/Pipeline/Pipeline.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  aenet::registerCompilerPasses();
  mlir::DialectRegistry registry;
  aenet::registerCompilerDialects(registry);
  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "aenet optimizer driver\n", registry));
}
