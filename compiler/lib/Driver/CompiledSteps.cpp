//===- CompiledSteps.cpp - The runtime's view of compiled code ------------===//
//
// Binds each slot of an entry point to a buffer: inputs to per-entry batch
// buffers, parameters and states to the shared store (so every batch size
// trains the same weights), the seed and step to scalars set before each run,
// each hyperparameter (the learning rate, noise deviations) to the run's own
// value of it.
//
//===----------------------------------------------------------------------===//

#include "CompiledSteps.h"

#include "aenet/Runtime/Initializers.h"
#include "aenet/Runtime/Random.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <malloc.h>
#include <stdexcept>
#include <thread>

namespace aenet {

using Kind = BufferSlot::Kind;

BoundEntry::BoundEntry(const CompiledModel &model, const std::string &entry,
                       rt::ParameterStore &store,
                       const Hyperparameters &hyperparameters,
                       const std::vector<std::string> &arrayNames,
                       const std::vector<int64_t> &arraySizes,
                       const std::vector<float *> &rowInputs,
                       const std::map<std::string, float *> &gradients)
    : rowInputs_(rowInputs) {
  const EntryPoint *e = model.entry(entry);
  if (!e)
    throw std::logic_error("no entry point " + entry);
  inputs_.resize(arrayNames.size());
  auto find = [&](const std::string &name) {
    auto it = std::find(arrayNames.begin(), arrayNames.end(), name);
    return it == arrayNames.end() ? -1
                                  : static_cast<int>(it - arrayNames.begin());
  };
  // Size every buffer first: bound addresses must not move afterwards.
  size_t extra = 0, states = 0, settings = 0;
  for (const BufferSlot &slot : e->slots) {
    if (slot.kind == Kind::Scalars || slot.kind == Kind::Output ||
        slot.kind == Kind::Gradient)
      ++extra;
    states += slot.kind == Kind::LayerState;
    settings += slot.kind == Kind::Hyperparameter;
  }
  buffers_.reserve(extra);
  layerStates_.reserve(states);
  hyperparameters_.reserve(settings);
  std::vector<void *> pointers;
  for (const BufferSlot &slot : e->slots) {
    switch (slot.kind) {
    case Kind::Input: {
      int index = find(slot.name);
      if (index < 0)
        throw std::logic_error("no data for input " + slot.name);
      if (!rowInputs_.empty()) {
        pointers.push_back(rowInputs_[index]);
        break;
      }
      inputs_[index].assign(slot.numElements(), 0.0f);
      pointers.push_back(inputs_[index].data());
      break;
    }
    case Kind::Gradient: {
      if (!gradients.empty()) {
        auto it = gradients.find(slot.name);
        if (it == gradients.end())
          throw std::logic_error("no gradient of " + slot.name);
        pointers.push_back(it->second);
        break;
      }
      buffers_.emplace_back(slot.numElements(), 0.0f);
      gradients_[slot.name] = buffers_.back().data();
      gradientSizes_[slot.name] = slot.numElements();
      gradientOrder_.push_back(slot.name);
      pointers.push_back(buffers_.back().data());
      break;
    }
    case Kind::Param:
    case Kind::State: {
      rt::NamedTensor *t = store.find(slot.name);
      if (!t)
        throw std::logic_error("no stored tensor " + slot.name);
      pointers.push_back(t->data.data());
      break;
    }
    case Kind::LayerState:
      layerStates_.emplace_back(slot.numElements(), 0.0f);
      pointers.push_back(layerStates_.back().data());
      break;
    case Kind::Seed:
      pointers.push_back(&seed_);
      break;
    case Kind::Step:
      pointers.push_back(&step_);
      break;
    case Kind::Hyperparameter: {
      // Never the slot's |init|: a shared program's is another run's.
      auto it = hyperparameters.find(slot.name);
      if (it == hyperparameters.end())
        throw std::logic_error(entry + " reads " + slot.name +
                               ", and no value of it was given");
      hyperparameters_.push_back(static_cast<float>(it->second));
      pointers.push_back(&hyperparameters_.back());
      break;
    }
    case Kind::Scalars:
    case Kind::Output:
      if (slot.kind == Kind::Scalars) {
        scalarBuffer_ = static_cast<int>(buffers_.size());
        scalars_.assign(slot.numElements(), 0.0);
      } else {
        outputIndex_[slot.name] = static_cast<int>(buffers_.size());
      }
      buffers_.emplace_back(slot.numElements(), 0.0f);
      pointers.push_back(buffers_.back().data());
      break;
    }
  }
  call_ = model.bind(entry, pointers);
  for (size_t i = 0; i < inputs_.size() && rowInputs_.empty(); ++i)
    if (inputs_[i].empty())
      inputs_[i].assign(model.batch() * arraySizes[i], 0.0f);
}

float *BoundEntry::input(int index) {
  return rowInputs_.empty() ? inputs_[index].data() : rowInputs_[index];
}

void BoundEntry::resetStates() {
  for (std::vector<float> &state : layerStates_)
    std::fill(state.begin(), state.end(), 0.0f);
}

void BoundEntry::run(int64_t step, uint64_t seed) {
  step_ = static_cast<float>(step);
  seed_ = static_cast<int64_t>(seed);
  call_.run();
  if (scalarBuffer_ >= 0)
    for (size_t i = 0; i < scalars_.size(); ++i)
      scalars_[i] = buffers_[scalarBuffer_][i];
}

const std::vector<float> *BoundEntry::output(const std::string &name) const {
  auto it = outputIndex_.find(name);
  return it == outputIndex_.end() ? nullptr : &buffers_[it->second];
}

CompiledSteps::CompiledSteps(const SourceFile &file,
                                   const CheckedProgram &program, int model,
                                   int64_t batch, Backend backend,
                                   rt::ParameterStore &store,
                                   std::vector<std::string> arrayNames,
                                   std::vector<int64_t> arraySizes)
    : file_(file), program_(program), model_(model), batch_(batch),
      backend_(backend), store_(store), arrayNames_(std::move(arrayNames)),
      arraySizes_(std::move(arraySizes)) {}

/// The entry function whose program holds |entry| (a compiled entry point).
static unsigned entryFunctionOf(const std::string &entry) {
  if (entry == "evaluate")
    return kEvaluateEntry;
  if (entry == "predict")
    return kPredictEntry;
  return kTrainEntry; // train_step, grad_step, apply_step
}

bool CompiledSteps::compile(int64_t trainRest, int64_t evalRest) {
  // Compiled steps allocate their temporaries (a batch of activations, up to
  // megabytes) on every call. glibc would serve those with mmap and return
  // them to the kernel on free, so each step would fault its pages in again;
  // keeping them in the heap makes a step's allocations reuse warm memory.
  static bool tuned = [] {
    mallopt(M_MMAP_THRESHOLD, 1 << 30);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
    return true;
  }();
  (void)tuned;
  if (slices_ > 1) {
    const ModelGraph &graph = program_.models[model_];
    bool stateful = false, draws = false;
    for (const LayerNode &layer : graph.layers) {
      stateful |= layer.spec.stateful;
      draws |= layer.spec.kind == LayerKind::Dropout ||
               layer.spec.kind == LayerKind::GaussianNoise ||
               layer.spec.kind == LayerKind::SampleNormal;
    }
    const TrainPlan *plan = program_.trainFor(graph.name);
    draws |= plan && !plan->corruptions.empty();
    // Random draws are keyed by the element's index in its batch: a slice
    // would draw other numbers than its rows get in the whole batch, which
    // evaluation, prediction and the loops backend draw. The loops backend
    // already splits its large loops across the cores.
    if (backend_ != Backend::OneDNN || stateful || draws)
      slices_ = 1;
  }
  // A batch too small to split keeps both cores for each primitive.
  if (slicesFor(batch_) < 2)
    slices_ = 1;
  // The full batch's programs hold every entry function; the last, smaller
  // batches' only the one they run (an epoch's, training; validation's,
  // evaluate), a fraction of the compile.
  std::vector<std::pair<int64_t, unsigned>> wanted;
  auto want = [&](int64_t rows, unsigned entries) {
    for (int64_t s : programRows(rows)) {
      auto it = std::find_if(wanted.begin(), wanted.end(),
                             [&](const auto &w) { return w.first == s; });
      if (it == wanted.end())
        wanted.push_back({s, entries});
      else
        it->second |= entries;
    }
  };
  want(batch_, kAllEntries);
  if (trainRest > 0)
    want(trainRest, kTrainEntry);
  if (evalRest > 0)
    want(evalRest, kEvaluateEntry);
  if (!compileTogether(wanted))
    return false;
  // A phase that freezes every parameter has no gradient to split.
  if (splitsGradients() &&
      !programFor(compiledRows(), kTrainEntry)->entry("grad_step")) {
    slices_ = 1;
    group_ = nullptr; // nothing to exchange: the ranks stay equal
    programs_.clear();
    programCount_ = reused_ = 0;
    return compile(trainRest, evalRest);
  }
  const EntryPoint *step = trainEntries().front();
  const BufferSlot &scalars = step->slots[step->find(Kind::Scalars)];
  scalarNames_ = scalars.scalarNames;
  scalarFinishes_ = scalars.scalarFinishes;
  return true;
}

std::shared_ptr<const CompiledModel>
CompiledSteps::build(int64_t rows, unsigned entries, bool quiet,
                     CompileReport *report) const {
  CompileOptions options;
  options.batch = rows;
  options.entries = entries;
  options.backend = backend_;
  options.sampleSeed = sampleSeed_;
  options.quiet = quiet;
  // Slices run one per core, their loops whole; gradients exchanged over
  // processes are reported as they are computed.
  options.dataParallel = slices_ > 1;
  options.exchangedGradients = group_ != nullptr;
  options.cache = cache_;
  return CompiledModel::compile(file_, program_, model_, options, report);
}

const CompiledModel *CompiledSteps::compileFor(int64_t rows,
                                               unsigned entries) {
  auto start = std::chrono::steady_clock::now();
  CompileReport report;
  std::shared_ptr<const CompiledModel> model =
      build(rows, entries, /*quiet=*/false, &report);
  addCompileTime(start);
  if (!model)
    return nullptr;
  return keep(rows, entries, std::move(model), report);
}

void CompiledSteps::addCompileTime(
    std::chrono::steady_clock::time_point start) {
  // Wall time, not the models' own compile times: programs compiled
  // together overlap, and one from the cache took none.
  compileSeconds_ += std::chrono::duration<double>(
                         std::chrono::steady_clock::now() - start)
                         .count();
}

const CompiledModel *
CompiledSteps::keep(int64_t rows, unsigned entries,
                    std::shared_ptr<const CompiledModel> model,
                    const CompileReport &report) {
  ++programCount_;
  reused_ += report.fromCache;
  // Every program of the run is built from one model: the same values,
  // each program's those of its entry functions (evaluate's no rate).
  for (const auto &[name, value] : report.hyperparameters)
    hyperparameters_[name] = value;
  std::vector<Program> &kept = programs_[rows];
  kept.push_back({entries, std::move(model)});
  return kept.back().model.get();
}

const CompiledModel *CompiledSteps::programFor(int64_t rows,
                                               unsigned entry) const {
  auto it = programs_.find(rows);
  if (it == programs_.end())
    return nullptr;
  for (const Program &p : it->second)
    if (p.entries & entry)
      return p.model.get();
  return nullptr;
}

bool CompiledSteps::allReused() const {
  return programCount_ > 0 && reused_ == programCount_;
}

bool CompiledSteps::compileTogether(
    const std::vector<std::pair<int64_t, unsigned>> &rows) {
  // Each batch size is a separate compile in its own MLIR and LLVM context,
  // and nearly all of a compile is LLVM working on one module on one thread:
  // the remainder batches' programs (one entry function each, a fraction of
  // the full batch's three) compile on the other cores at the same time, so
  // they add little wall time. Their errors would repeat the full batch's, so
  // they are dropped; a remainder that fails alone is compiled again below
  // to report it.
  auto start = std::chrono::steady_clock::now();
  std::vector<std::shared_ptr<const CompiledModel>> built(rows.size());
  std::vector<CompileReport> reports(rows.size());
  auto buildInto = [&](size_t i, bool quiet) {
    built[i] = build(rows[i].first, rows[i].second, quiet, &reports[i]);
  };
  std::atomic<size_t> next{1};
  auto work = [&] {
    for (size_t i; (i = next++) < rows.size();)
      buildInto(i, /*quiet=*/true);
  };
  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::thread> workers;
  for (size_t w = 1; w < std::min<size_t>(cores, rows.size()); ++w)
    workers.emplace_back(work);
  buildInto(0, /*quiet=*/false);
  // Without a second core, this thread compiles the rest itself.
  if (workers.empty())
    work();
  for (std::thread &w : workers)
    w.join();
  addCompileTime(start);
  if (!built[0])
    return false;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (built[i])
      keep(rows[i].first, rows[i].second, std::move(built[i]), reports[i]);
    else if (!compileFor(rows[i].first, rows[i].second))
      return false;
  }
  return true;
}

const CompiledModel &CompiledSteps::modelFor(int64_t rows,
                                            const std::string &entry) {
  unsigned function = entryFunctionOf(entry);
  if (const CompiledModel *kept = programFor(rows, function))
    return *kept;
  // A batch size met only now (predict's last batch): its entry alone.
  const CompiledModel *model = compileFor(rows, function);
  if (!model)
    throw std::runtime_error("compiling for a batch of " +
                             std::to_string(rows) + " failed");
  return *model;
}

int64_t CompiledSteps::slicesFor(int64_t rows) const {
  return std::max<int64_t>(1, std::min(slices_, rows / kMinSliceRows));
}

std::vector<int64_t> CompiledSteps::programRows(int64_t rows) const {
  if (slices_ <= 1)
    return {rows};
  std::vector<int64_t> sizes = rt::sliceRows(rows, slicesFor(rows));
  sizes.erase(std::unique(sizes.begin(), sizes.end()), sizes.end());
  return sizes;
}

int64_t CompiledSteps::compiledRows() const {
  return programRows(batch_).front();
}

std::vector<const EntryPoint *> CompiledSteps::trainEntries() const {
  const CompiledModel &model = *programFor(compiledRows(), kTrainEntry);
  if (splitsGradients())
    return {model.entry("grad_step"), model.entry("apply_step")};
  return {model.entry("train_step")};
}

void CompiledSteps::initializeStore(uint64_t seed) {
  // One stream for the model, drawn in slot order; only random initializers
  // draw from it, so adding a bias never moves the draws of later kernels.
  rt::Rng rng(rt::mixSeed(seed, 0x696e6974ull)); // "init"
  for (const EntryPoint *step : trainEntries()) {
    for (const BufferSlot &slot : step->slots) {
      // apply_step's parameters are grad_step's, already added.
      if ((slot.kind != Kind::Param && slot.kind != Kind::State) ||
          store_.find(slot.name))
        continue;
      if (slot.kind == Kind::State) {
        store_.add(slot.name, slot.shape, static_cast<float>(slot.init),
                   /*isState=*/true);
        continue;
      }
      rt::NamedTensor &t = store_.add(slot.name, slot.shape);
      rt::initialize(slot.initializer, t.data.data(), slot.shape, rng);
    }
  }
}

BoundEntry &CompiledSteps::bound(const std::string &entry,
                                        int64_t rows) {
  auto key = std::make_pair(entry, rows);
  auto it = steps_.find(key);
  if (it != steps_.end())
    return *it->second;
  auto bound = std::make_unique<BoundEntry>(
      modelFor(rows, entry), entry, store_, hyperparameters_, arrayNames_,
      arraySizes_);
  return *(steps_[key] = std::move(bound));
}

rt::BatchStep &CompiledSteps::split(const std::string &entry, int64_t rows) {
  auto key = std::make_pair(entry, rows);
  auto it = splits_.find(key);
  if (it != splits_.end())
    return *it->second;
  auto step = std::make_unique<rt::SplitStep>(rows, arraySizes_);
  int64_t first = 0;
  size_t firstSlice = sliceEntries_.size();
  std::vector<std::string> gradientNames;
  std::vector<int64_t> gradientSizes;
  for (int64_t sliceRows : rt::sliceRows(rows, slicesFor(rows))) {
    std::vector<float *> at;
    for (size_t a = 0; a < arraySizes_.size(); ++a)
      at.push_back(step->rowOf(static_cast<int>(a), first));
    sliceEntries_.push_back(std::make_unique<BoundEntry>(
        modelFor(sliceRows, entry), entry, store_, hyperparameters_,
        arrayNames_, arraySizes_, at));
    BoundEntry &slice = *sliceEntries_.back();
    if (gradientNames.empty())
      for (const std::string &name : slice.gradientOrder()) {
        gradientNames.push_back(name);
        gradientSizes.push_back(slice.gradientSizes().at(name));
      }
    std::vector<float *> gradients;
    for (const std::string &name : gradientNames)
      gradients.push_back(slice.gradients().at(name));
    step->addSlice(slice, sliceRows, std::move(gradients));
    first += sliceRows;
  }
  if (entry == "grad_step") {
    // The update reads the first slice's buffers, which hold the sums.
    std::map<std::string, float *> sums =
        sliceEntries_[firstSlice]->gradients();
    sliceEntries_.push_back(std::make_unique<BoundEntry>(
        modelFor(compiledRows(), "apply_step"), "apply_step", store_,
        hyperparameters_, arrayNames_, arraySizes_, std::vector<float *>{},
        sums));
    step->setApply(*sliceEntries_.back(), std::move(gradientSizes));
    if (group_)
      step->exchangeGradients(*group_);
  }
  return *(splits_[key] = std::move(step));
}

rt::BatchStep &CompiledSteps::trainStep(int64_t rows) {
  return splitsGradients() ? split("grad_step", rows)
                           : bound("train_step", rows);
}

rt::BatchStep &CompiledSteps::evalStep(int64_t rows) {
  return slices_ > 1 ? split("evaluate", rows) : bound("evaluate", rows);
}

std::vector<const rt::GradientExchange *> CompiledSteps::exchanges() const {
  std::vector<const rt::GradientExchange *> all;
  for (const auto &[key, step] : splits_)
    if (const rt::GradientExchange *exchange = step->exchange())
      all.push_back(exchange);
  return all;
}

BoundEntry &CompiledSteps::predictStep(int64_t rows) {
  return bound("predict", rows);
}

} // namespace aenet
