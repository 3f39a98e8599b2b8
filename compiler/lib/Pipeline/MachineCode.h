//===- MachineCode.h - From the aenet stage to machine code -----*- C++ -*-===//
//
// What the JIT (CompiledModel.cpp) and ahead-of-time object files
// (ObjectCode.cpp) share, so that an exported program is the code `aec
// predict` runs: the lowering, the target machine and LLVM's optimization.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_LIB_PIPELINE_MACHINECODE_H
#define AENET_LIB_PIPELINE_MACHINECODE_H

#include "aenet/Pipeline/CompiledModel.h"

#include "mlir/IR/BuiltinOps.h"

#include "llvm/Support/Error.h"
#include "llvm/Target/TargetMachine.h"

#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace aenet {

/// Initializes LLVM's native target, once per process.
void initializeTarget();

/// Lowers |module| from the aenet stage to the LLVM dialect for |backend|;
/// returns its entry points, read from their argument attributes before
/// they go. Errors are printed; nullopt after one.
std::optional<std::vector<EntryPoint>>
lowerForMachineCode(mlir::ModuleOp module, Backend backend);

/// The host CPU's target machine at -O3; position-independent code for a
/// shared library. Prints an error and returns null when LLVM has none.
std::unique_ptr<llvm::TargetMachine> hostTargetMachine(bool positionIndependent);

/// LLVM's optimization of |backend|'s code for |machine|.
std::function<llvm::Error(llvm::Module *)>
optimizerFor(Backend backend, llvm::TargetMachine *machine);

} // namespace aenet

#endif // AENET_LIB_PIPELINE_MACHINECODE_H
