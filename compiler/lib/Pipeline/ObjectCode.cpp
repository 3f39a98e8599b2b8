//===- ObjectCode.cpp - Programs compiled ahead of time -------------------===//
//
// Each program is lowered as the JIT's (lowerForMachineCode), translated to
// LLVM IR, its entry point's C interface renamed to the caller's symbol and
// every other definition made internal, optimized as the JIT optimizes, and
// linked into one module; emit() generates the object file for the host CPU
// with position-independent code, so that it links into a shared library.
//
//===----------------------------------------------------------------------===//

#include "aenet/Pipeline/ObjectCode.h"

#include "MachineCode.h"

#include "aenet/Dialect/Aenet/IR/AenetOps.h"
#include "aenet/Pipeline/Pipeline.h"

#include "mlir/Target/LLVMIR/Export.h"

#include "llvm/IR/Constants.h"
#include "llvm/IR/GlobalVariable.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/Linker/Linker.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/TargetParser/Host.h"

#include <iostream>

using namespace mlir;

namespace aenet {

struct ObjectCode::Impl {
  llvm::LLVMContext context;
  std::unique_ptr<llvm::TargetMachine> machine;
  std::unique_ptr<llvm::Module> module;
};

ObjectCode::ObjectCode() : impl_(std::make_unique<Impl>()) {
  initializeTarget();
  impl_->machine = hostTargetMachine(/*positionIndependent=*/true);
  impl_->module = std::make_unique<llvm::Module>("aec-export", impl_->context);
  if (impl_->machine) {
    impl_->module->setDataLayout(impl_->machine->createDataLayout());
    impl_->module->setTargetTriple(impl_->machine->getTargetTriple());
  }
}

ObjectCode::~ObjectCode() = default;

std::string ObjectCode::targetCpu() { return llvm::sys::getHostCPUName().str(); }

std::optional<EntryPoint>
ObjectCode::add(const SourceFile &file, const CheckedProgram &program,
                int model, CompileOptions options, const std::string &entry,
                const std::string &symbol) {
  if (!impl_->machine)
    return std::nullopt;
  options.singleThreaded = true;
  options.cache = nullptr;
  CompilerContext context(file.text(), file.path());
  OwningOpRef<ModuleOp> module =
      buildModelModule(context.get(), file, program, model, options);
  if (!module)
    return std::nullopt;
  std::optional<std::vector<EntryPoint>> entries =
      lowerForMachineCode(*module, options.backend);
  if (!entries)
    return std::nullopt;
  std::optional<EntryPoint> found;
  for (EntryPoint &e : *entries)
    if (e.name == entry)
      found = std::move(e);
  if (!found) {
    std::cerr << "aec: error: the compiled program has no entry point '"
              << entry << "'\n";
    return std::nullopt;
  }
  std::unique_ptr<llvm::Module> code =
      translateModuleToLLVMIR(*module, impl_->context, symbol);
  if (!code) {
    std::cerr << "aec: error: translating " << symbol
              << " to LLVM IR failed\n";
    return std::nullopt;
  }
  code->setDataLayout(impl_->machine->createDataLayout());
  code->setTargetTriple(impl_->machine->getTargetTriple());
  // The C interface of the entry point is the program's one global
  // function; the rest (the entry itself, the loops outlined from it,
  // constants) is internal, so LLVM may inline and drop it, and another
  // program's functions of the same names never clash.
  llvm::Function *interface = code->getFunction("_mlir_ciface_" + entry);
  if (!interface) {
    std::cerr << "aec: error: " << entry << " has no C interface\n";
    return std::nullopt;
  }
  for (llvm::Function &f : *code)
    if (!f.isDeclaration() && &f != interface)
      f.setLinkage(llvm::GlobalValue::InternalLinkage);
  for (llvm::GlobalVariable &g : code->globals())
    if (!g.isDeclaration())
      g.setLinkage(llvm::GlobalValue::InternalLinkage);
  interface->setName(symbol);
  if (interface->getName() != symbol) {
    std::cerr << "aec: error: the symbol " << symbol << " is taken\n";
    return std::nullopt;
  }
  if (llvm::Error error =
          optimizerFor(options.backend, impl_->machine.get())(code.get())) {
    std::cerr << "aec: error: optimizing " << symbol << ": "
              << llvm::toString(std::move(error)) << '\n';
    return std::nullopt;
  }
  if (llvm::Linker::linkModules(*impl_->module, std::move(code))) {
    std::cerr << "aec: error: linking " << symbol << " failed\n";
    return std::nullopt;
  }
  return found;
}

void ObjectCode::addBytes(const std::string &symbol, const std::string &bytes) {
  llvm::Constant *data = llvm::ConstantDataArray::getRaw(
      bytes, bytes.size(), llvm::Type::getInt8Ty(impl_->context));
  auto *global = new llvm::GlobalVariable(
      *impl_->module, data->getType(), /*isConstant=*/true,
      llvm::GlobalValue::ExternalLinkage, data, symbol);
  global->setAlignment(llvm::Align(64));
}

std::optional<std::string> ObjectCode::emit() {
  if (!impl_->machine)
    return std::nullopt;
  llvm::SmallVector<char, 0> buffer;
  llvm::raw_svector_ostream os(buffer);
  llvm::legacy::PassManager passes;
  if (impl_->machine->addPassesToEmitFile(passes, os, nullptr,
                                          llvm::CodeGenFileType::ObjectFile)) {
    std::cerr << "aec: error: LLVM cannot emit an object file for this CPU\n";
    return std::nullopt;
  }
  passes.run(*impl_->module);
  return std::string(buffer.begin(), buffer.end());
}

} // namespace aenet
