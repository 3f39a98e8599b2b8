//===- CompiledModel.cpp - A model compiled to machine code ---------------===//
//
// Runs the whole pipeline, reads each entry point's buffer slots from the
// attributes aenet-bind-buffers left on its arguments, then hands the LLVM
// dialect to MLIR's ExecutionEngine at -O3 for the host CPU. Calls go through
// the packed C-interface wrapper: one `void **` of pointers to memref
// descriptors that are built once per binding.
//
//===----------------------------------------------------------------------===//

#include "aenet/Pipeline/CompiledModel.h"

#include "MachineCode.h"

#include "aenet/Conversion/Passes.h"
#include "aenet/Dialect/Aenet/IR/AenetOps.h"
#include "aenet/Pipeline/AsyncRuntimeSymbols.h"
#include "aenet/Pipeline/Pipeline.h"
#include "aenet/Runtime/GradientExchange.h"
#include "aenet/Runtime/OneDnnKernels.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/ExecutionEngine/CRunnerUtils.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/ExecutionEngine/Orc/Core.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/ExecutionEngine/Orc/Mangling.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Transforms/IPO/MergeFunctions.h"

#include <iostream>

using namespace mlir;
using D = mlir::aenet::AenetDialect;

namespace aenet {

int64_t BufferSlot::numElements() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

int EntryPoint::find(BufferSlot::Kind kind, const std::string &name) const {
  for (size_t i = 0; i < slots.size(); ++i)
    if (slots[i].kind == kind && (name.empty() || slots[i].name == name))
      return static_cast<int>(i);
  return -1;
}

struct CompiledModel::Impl {
  std::unique_ptr<ExecutionEngine> engine;
  /// Each entry point's packed C interface, by the entry's name.
  llvm::StringMap<void (*)(void **)> packed;
};

CompiledModel::CompiledModel() : impl_(std::make_unique<Impl>()) {}
CompiledModel::~CompiledModel() {
  // A task of the last call may still be in its last instructions here.
  waitForAsyncTasks();
}

const EntryPoint *CompiledModel::entry(const std::string &name) const {
  for (const EntryPoint &e : entries_)
    if (e.name == name)
      return &e;
  return nullptr;
}

/// The initializer of parameter argument |i|, as the frontend declared it
/// from the layer definition (`aenet.init`). Parameters of IR written by
/// hand for tests may have none; they start at zero.
static rt::InitializerSpec readInitializer(func::FuncOp func, unsigned i) {
  rt::InitializerSpec spec;
  auto attr = func.getArgAttrOfType<mlir::aenet::InitializerAttr>(
      i, mlir::aenet::AenetDialect::getInitAttrName());
  if (!attr)
    return spec;
  spec.kind = *rt::parseInitializerKind(
      mlir::aenet::stringifyInitializerKind(attr.getKind()).str());
  spec.fanIn = attr.getFanIn();
  spec.fanOut = attr.getFanOut();
  spec.value = attr.getValue().convertToDouble();
  spec.index = attr.getIndex();
  spec.blocks = attr.getBlocks();
  return spec;
}

/// The finishes of the scalars argument |i| (`aenet.scalar_finishes`, which
/// the verifier checked against `aenet.scalars`), all means when it has none.
static std::vector<rt::ScalarFinish> readFinishes(func::FuncOp func,
                                                  unsigned i, size_t count) {
  std::vector<rt::ScalarFinish> finishes(count, rt::ScalarFinish::Mean);
  auto attr =
      func.getArgAttrOfType<ArrayAttr>(i, D::getScalarFinishesAttrName());
  if (!attr)
    return finishes;
  for (size_t s = 0; s < count; ++s) {
    auto finish = mlir::aenet::symbolizeScalarFinish(
        cast<StringAttr>(attr[s]).getValue());
    switch (*finish) {
    case mlir::aenet::ScalarFinish::mean:
      break;
    case mlir::aenet::ScalarFinish::sqrt_mean:
      finishes[s] = rt::ScalarFinish::SqrtOfMean;
      break;
    case mlir::aenet::ScalarFinish::total:
      finishes[s] = rt::ScalarFinish::Total;
      break;
    }
  }
  return finishes;
}

/// Reads the buffer slots of a bound entry function from its argument
/// attributes.
static EntryPoint readEntry(func::FuncOp func) {
  EntryPoint entry;
  entry.name = func.getName().str();
  StringRef sitesAttr = mlir::aenet::kKernelSitesAttrName;
  if (auto sites = func->getAttrOfType<IntegerAttr>(sitesAttr))
    entry.kernelSites = sites.getInt();
  for (unsigned i = 0; i < func.getNumArguments(); ++i) {
    if (func.getArgAttr(i, sitesAttr)) {
      entry.kernelSitesArg = static_cast<int>(i);
      continue;
    }
    BufferSlot slot;
    auto type = cast<MemRefType>(func.getArgument(i).getType());
    slot.shape.assign(type.getShape().begin(), type.getShape().end());
    auto str = [&](StringRef key) {
      auto a = func.getArgAttrOfType<StringAttr>(i, key);
      return a ? a.str() : std::string();
    };
    if (func.getArgAttr(i, D::getInputAttrName())) {
      slot.kind = BufferSlot::Kind::Input;
      slot.name = str(D::getInputAttrName());
    } else if (func.getArgAttr(i, D::getParamAttrName())) {
      slot.kind = BufferSlot::Kind::Param;
      slot.name = str(D::getParamAttrName());
      slot.frozen =
          static_cast<bool>(func.getArgAttr(i, D::getFrozenAttrName()));
      slot.initializer = readInitializer(func, i);
    } else if (func.getArgAttr(i, D::getStateAttrName())) {
      slot.kind = BufferSlot::Kind::State;
      slot.name = str(D::getStateAttrName());
      if (auto init = func.getArgAttrOfType<FloatAttr>(
              i, D::getStateInitAttrName()))
        slot.init = init.getValueAsDouble();
    } else if (func.getArgAttr(i, D::getLayerStateAttrName())) {
      slot.kind = BufferSlot::Kind::LayerState;
      slot.name = str(D::getLayerStateAttrName());
    } else if (func.getArgAttr(i, D::getSeedAttrName())) {
      slot.kind = BufferSlot::Kind::Seed;
      slot.name = "seed";
    } else if (func.getArgAttr(i, D::getStepAttrName())) {
      slot.kind = BufferSlot::Kind::Step;
      slot.name = "step";
    } else if (auto rate = func.getArgAttrOfType<FloatAttr>(
                   i, D::getLearningRateAttrName())) {
      slot.kind = BufferSlot::Kind::Hyperparameter;
      slot.name = kLearningRateName;
      slot.init = rate.getValueAsDouble();
    } else if (auto setting = func.getArgAttrOfType<DictionaryAttr>(
                   i, D::getHyperparameterAttrName())) {
      slot.kind = BufferSlot::Kind::Hyperparameter;
      slot.name = setting.getAs<StringAttr>("name").str();
      slot.init = setting.getAs<FloatAttr>("value").getValueAsDouble();
    } else if (func.getArgAttr(i, D::getGradientAttrName())) {
      slot.kind = BufferSlot::Kind::Gradient;
      slot.name = str(D::getGradientAttrName());
    } else if (auto names = func.getArgAttrOfType<ArrayAttr>(
                   i, D::getScalarsAttrName())) {
      slot.kind = BufferSlot::Kind::Scalars;
      slot.name = "scalars";
      for (Attribute n : names)
        slot.scalarNames.push_back(cast<StringAttr>(n).str());
      slot.scalarFinishes = readFinishes(func, i, slot.scalarNames.size());
    } else {
      slot.kind = BufferSlot::Kind::Output;
      slot.name = str(D::getOutputAttrName());
    }
    entry.slots.push_back(std::move(slot));
  }
  return entry;
}

/// LLVM's O2 pipeline without the SLP vectorizer or loop unrolling, for code
/// that runs between kernels. The loop vectorizer still interleaves the
/// elementwise loops; unrolling on top of it lengthened the code the code
/// generator schedules without making the glue measurably faster.
static std::function<llvm::Error(llvm::Module *)>
optimizeGlue(llvm::TargetMachine *machine) {
  return [machine](llvm::Module *module) -> llvm::Error {
    llvm::LoopAnalysisManager loops;
    llvm::FunctionAnalysisManager functions;
    llvm::CGSCCAnalysisManager sccs;
    llvm::ModuleAnalysisManager modules;
    llvm::PipelineTuningOptions tuning;
    tuning.LoopUnrolling = false;
    tuning.LoopInterleaving = true;
    tuning.LoopVectorization = true;
    tuning.SLPVectorization = false;
    llvm::PassBuilder builder(machine, tuning);
    builder.registerModuleAnalyses(modules);
    builder.registerCGSCCAnalyses(sccs);
    builder.registerFunctionAnalyses(functions);
    builder.registerLoopAnalyses(loops);
    builder.crossRegisterProxies(loops, functions, sccs, modules);
    llvm::ModulePassManager passes =
        builder.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O2);
    passes.run(*module, modules);
    return llvm::Error::success();
  };
}

/// |optimize| after merging the functions whose bodies are equal. Evaluate's
/// and predict's loops repeat the training step's forward loops, so each
/// parallel loop body the async lowering outlined is there up to four
/// times (a third of the conv AE's LLVM IR on the loops backend): merged
/// first, LLVM optimizes and generates each once.
static std::function<llvm::Error(llvm::Module *)> mergeIdenticalFunctionsThen(
    std::function<llvm::Error(llvm::Module *)> optimize) {
  return [optimize = std::move(optimize)](llvm::Module *module) {
    llvm::MergeFunctionsPass::runOnModule(*module);
    return optimize(module);
  };
}

/// The values of |module|'s hyperparameters as the frontend built it: its
/// optimizer's learning rate (an argument from aenet-apply-optimizer on),
/// the `aenet.hyperparameter` arguments'. With |clear|, sets each to a
/// value of no run's, so that modules differing only in them print alike.
static Hyperparameters takeHyperparameters(ModuleOp module, bool clear) {
  Hyperparameters values;
  module.walk([&](func::FuncOp func) {
    if (auto opt = func->getAttrOfType<mlir::aenet::OptimizerAttr>(
            D::getOptimizerAttrName())) {
      values[kLearningRateName] = opt.getLr().convertToDouble();
      if (clear)
        func->setAttr(D::getOptimizerAttrName(), opt.withLearningRate(1.0));
    }
    for (unsigned i = 0; i < func.getNumArguments(); ++i) {
      auto setting = func.getArgAttrOfType<DictionaryAttr>(
          i, D::getHyperparameterAttrName());
      if (!setting)
        continue;
      auto name = setting.getAs<StringAttr>("name");
      values[name.str()] =
          setting.getAs<FloatAttr>("value").getValueAsDouble();
      if (clear) {
        Builder b(module.getContext());
        func.setArgAttr(i, D::getHyperparameterAttrName(),
                        b.getDictionaryAttr(
                            {b.getNamedAttr("name", name),
                             b.getNamedAttr("value", b.getF64FloatAttr(0))}));
      }
    }
  });
  return values;
}

void initializeTarget() {
  static bool ready = [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    return true;
  }();
  (void)ready;
}

std::shared_ptr<const CompiledModel>
CompiledModel::compile(const SourceFile &file, const CheckedProgram &program,
                       int model, const CompileOptions &options,
                       CompileReport *report) {
  initializeTarget();

  CompilerContext context(file.text(), file.path());
  // Registered after the context's printing handler, so it sees every
  // diagnostic first and stops it there.
  if (options.quiet)
    context.get().getDiagEngine().registerHandler(
        [](mlir::Diagnostic &) { return success(); });
  OwningOpRef<ModuleOp> module =
      buildModelModule(context.get(), file, program, model, options);
  if (!module)
    return nullptr;
  CompileReport ignored;
  if (!report)
    report = &ignored;
  report->hyperparameters = takeHyperparameters(*module, /*clear=*/false);
  if (!options.cache)
    return finish(*module, options.useF64, options.backend);

  // Everything finish() compiles from: the module (its batch size, data
  // parallelism and sampling salt are attributes in it), the backend and
  // the element type; but not the values of the hyperparameters, which
  // reach the compiled code as arguments, so programs that differ only in
  // them are one.
  std::string key;
  llvm::raw_string_ostream os(key);
  os << backendName(options.backend) << (options.useF64 ? " f64\n" : " f32\n");
  OwningOpRef<ModuleOp> keyed = module->clone();
  takeHyperparameters(*keyed, /*clear=*/true);
  keyed->print(os);
  if (std::shared_ptr<const CompiledModel> kept = options.cache->find(key)) {
    report->fromCache = true;
    return kept;
  }
  std::shared_ptr<const CompiledModel> compiled =
      finish(*module, options.useF64, options.backend);
  if (compiled)
    options.cache->insert(key, compiled);
  return compiled;
}

std::shared_ptr<const CompiledModel>
CompileCache::find(const std::string &key) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = programs_.find(key);
  return it == programs_.end() ? nullptr : it->second;
}

void CompileCache::insert(const std::string &key,
                          std::shared_ptr<const CompiledModel> model) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (programs_.size() < capacity_)
    programs_.emplace(key, std::move(model));
}

std::unique_ptr<CompiledModel>
CompiledModel::compileText(const std::string &text, Backend backend) {
  initializeTarget();
  CompilerContext context(text, "<aenet IR>");
  OwningOpRef<ModuleOp> module =
      parseSourceFile<ModuleOp>(context.sourceMgr(), &context.get());
  if (!module)
    return nullptr;
  bool f64 = false;
  module->walk([&](func::FuncOp f) {
    for (Type t : f.getArgumentTypes())
      f64 |= getElementTypeOrSelf(t).isF64();
  });
  if (!(*module)->hasAttr(D::getBatchAttrName()))
    (*module)->setAttr(
        D::getBatchAttrName(),
        IntegerAttr::get(IntegerType::get(&context.get(), 64), 0));
  return finish(*module, f64, backend);
}

std::optional<std::vector<EntryPoint>> lowerForMachineCode(ModuleOp module,
                                                           Backend backend) {
  // Through the oneDNN stage: it adds the kernel-sites argument the entry
  // points' bindings must pass.
  if (failed(lowerTo(module, Stage::OneDNN, backend)))
    return std::nullopt;
  std::vector<EntryPoint> entries;
  for (auto func : module.getOps<func::FuncOp>()) {
    // The runtime's kernels are declarations, not entry points.
    if (func.isExternal())
      continue;
    entries.push_back(readEntry(func));
    // The slots are known now; LLVM IR has no place for these attributes.
    for (unsigned i = 0; i < func.getNumArguments(); ++i)
      func.setArgAttrs(i, ArrayRef<NamedAttribute>{});
    func->removeAttr(mlir::aenet::kKernelSitesAttrName);
  }
  if (failed(lowerTo(module, Stage::Llvm, backend, Stage::OneDNN)))
    return std::nullopt;
  return entries;
}

std::unique_ptr<llvm::TargetMachine> hostTargetMachine(bool positionIndependent) {
  auto jtmb = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!jtmb) {
    llvm::consumeError(jtmb.takeError());
    std::cerr << "aec: error: cannot detect the host CPU\n";
    return nullptr;
  }
  jtmb->setCodeGenOptLevel(llvm::CodeGenOptLevel::Aggressive);
  if (positionIndependent)
    jtmb->setRelocationModel(llvm::Reloc::PIC_);
  auto tm = jtmb->createTargetMachine();
  if (!tm) {
    std::cerr << "aec: error: " << llvm::toString(tm.takeError()) << '\n';
    return nullptr;
  }
  return std::move(*tm);
}

std::function<llvm::Error(llvm::Module *)>
optimizerFor(Backend backend, llvm::TargetMachine *machine) {
  // On the oneDNN backend the compiled code is the glue between kernels:
  // elementwise loops, reductions, the optimizer's updates, which O2 without
  // the SLP vectorizer compiles 1.6-3.3x faster (conv AE 1.75 -> 0.53 s,
  // multi-task 2.5 -> 1.0 s, dense AE 0.77 -> 0.48 s) and runs as fast (aec
  // train, epochs 2-3, median of 3, interleaved); without unrolling, the
  // conv VAE's compile drops from 1.8 to 1.1 s and its epochs run as fast.
  // The loops backend's kernels are the compiled code, and O3 ran its dense
  // AE 5 % faster.
  return mergeIdenticalFunctionsThen(
      backend == Backend::Loops ? makeOptimizingTransformer(3, 0, machine)
                                : optimizeGlue(machine));
}

std::unique_ptr<CompiledModel>
CompiledModel::finish(ModuleOp module, bool useF64, Backend backend) {
  std::optional<std::vector<EntryPoint>> entries =
      lowerForMachineCode(module, backend);
  if (!entries)
    return nullptr;
  std::unique_ptr<CompiledModel> compiled(new CompiledModel());
  compiled->batch_ =
      cast<IntegerAttr>(module->getAttr(D::getBatchAttrName())).getInt();
  compiled->useF64_ = useF64;
  compiled->entries_ = std::move(*entries);
  std::unique_ptr<llvm::TargetMachine> tm =
      hostTargetMachine(/*positionIndependent=*/false);
  if (!tm)
    return nullptr;
  // Kept in a named variable: ExecutionEngineOptions holds a function_ref.
  std::function<llvm::Error(llvm::Module *)> optimize =
      optimizerFor(backend, tm.get());
  ExecutionEngineOptions engineOptions;
  engineOptions.transformer = optimize;
  engineOptions.jitCodeGenOptLevel = llvm::CodeGenOptLevel::Aggressive;
  auto engine = ExecutionEngine::create(module, engineOptions, std::move(tm));
  if (!engine) {
    std::cerr << "aec: error: JIT compilation failed: "
              << llvm::toString(engine.takeError()) << '\n';
    return nullptr;
  }
  // Compiled code on the oneDNN backend calls the runtime's kernels, and
  // copies between buffers of different layouts (an NHWC image the oneDNN
  // kernels wrote, into a caller's NCHW buffer) call MLIR's memrefCopy.
  (*engine)->registerSymbols([](llvm::orc::MangleAndInterner interner) {
    llvm::orc::SymbolMap symbols;
    auto add = [&](const char *name, void *address) {
      symbols[interner(name)] = {llvm::orc::ExecutorAddr::fromPtr(address),
                                 llvm::JITSymbolFlags::Exported};
    };
    for (auto [name, address] : rt::oneDnnKernelSymbols())
      add(name, address);
    add("memrefCopy", reinterpret_cast<void *>(&memrefCopy));
    // A data-parallel grad_step reports each finished gradient.
    add("aenet_gradient_ready",
        reinterpret_cast<void *>(&aenet_gradient_ready));
    for (auto [name, address] : asyncRuntimeSymbols())
      add(name, address);
    return symbols;
  });
  compiled->impl_->engine = std::move(*engine);
  // Runs global constructors; raw lookupPacked calls do not.
  compiled->impl_->engine->initialize();
  // LLJIT generates the whole module's machine code at the first lookup of
  // any of its symbols: looked up here, code generation is part of the
  // compile (on the thread compiling this program, which runs beside the
  // other batch sizes'), not of the first step's call, where it would be
  // hidden in epoch 1's seconds.
  for (const EntryPoint &e : compiled->entries_) {
    auto packed =
        compiled->impl_->engine->lookupPacked("_mlir_ciface_" + e.name);
    if (!packed) {
      // ORC's session has printed the cause already.
      llvm::consumeError(packed.takeError());
      std::cerr << "aec: error: generating machine code for " << e.name
                << " failed\n";
      return nullptr;
    }
    compiled->impl_->packed[e.name] = *packed;
  }
  return compiled;
}

CompiledModel::Call
CompiledModel::bind(const std::string &name,
                    const std::vector<void *> &buffers) const {
  const EntryPoint *e = entry(name);
  assert(e && buffers.size() == e->slots.size() && "one buffer per slot");
  Call call;
  call.fn_ = impl_->packed.lookup(name);
  if (e->kernelSitesArg >= 0)
    call.sites_ = std::make_unique<rt::KernelSites>(e->kernelSites);
  // A ranked memref descriptor: allocated and aligned pointers, offset, then
  // sizes and row-major strides.
  for (size_t i = 0; i < buffers.size(); ++i) {
    const std::vector<int64_t> &shape = e->slots[i].shape;
    std::vector<int64_t> desc(3 + 2 * shape.size());
    auto pointer = reinterpret_cast<int64_t>(buffers[i]);
    desc[0] = desc[1] = pointer;
    desc[2] = 0;
    int64_t stride = 1;
    for (size_t d = shape.size(); d-- > 0;) {
      desc[3 + d] = shape[d];
      desc[3 + shape.size() + d] = stride;
      stride *= shape[d];
    }
    call.descriptors_.push_back(std::move(desc));
  }
  // Each argument in order: a descriptor's address, or the sites table.
  size_t next = 0;
  for (size_t i = 0; i < buffers.size() + (call.sites_ ? 1 : 0); ++i)
    call.descriptorPtrs_.push_back(
        static_cast<int>(i) == e->kernelSitesArg
            ? static_cast<void *>(call.sites_.get())
            : call.descriptors_[next++].data());
  for (auto &ptr : call.descriptorPtrs_)
    call.args_.push_back(&ptr);
  return call;
}

void CompiledModel::Call::run() { fn_(args_.data()); }

} // namespace aenet
