//===- CompiledSteps.cpp - The runtime's view of compiled code ------------===//
//
// Binds each slot of an entry point to a buffer: inputs to per-entry batch
// buffers, parameters and states to the shared store (so every batch size
// trains the same weights), the seed and step to scalars set before each run.
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
                       const std::vector<std::string> &arrayNames,
                       const std::vector<int64_t> &arraySizes) {
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
  size_t extra = 0, states = 0;
  for (const BufferSlot &slot : e->slots) {
    if (slot.kind == Kind::Scalars || slot.kind == Kind::Output)
      ++extra;
    states += slot.kind == Kind::LayerState;
  }
  buffers_.reserve(extra);
  layerStates_.reserve(states);
  std::vector<void *> pointers;
  for (const BufferSlot &slot : e->slots) {
    switch (slot.kind) {
    case Kind::Input: {
      int index = find(slot.name);
      if (index < 0)
        throw std::logic_error("no data for input " + slot.name);
      inputs_[index].assign(slot.numElements(), 0.0f);
      pointers.push_back(inputs_[index].data());
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
  for (size_t i = 0; i < inputs_.size(); ++i)
    if (inputs_[i].empty())
      inputs_[i].assign(model.batch() * arraySizes[i], 0.0f);
}

float *BoundEntry::input(int index) { return inputs_[index].data(); }

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

bool CompiledSteps::compile(const std::vector<int64_t> &alsoRows) {
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
  if (!compileTogether(alsoRows))
    return false;
  const EntryPoint *step = models_.at(batch_)->entry("train_step");
  const BufferSlot &scalars = step->slots[step->find(Kind::Scalars)];
  scalarNames_ = scalars.scalarNames;
  scalarFinishes_ = scalars.scalarFinishes;
  return true;
}

std::unique_ptr<CompiledModel> CompiledSteps::build(int64_t rows,
                                                    bool quiet) const {
  CompileOptions options;
  options.batch = rows;
  options.backend = backend_;
  options.sampleSeed = sampleSeed_;
  options.quiet = quiet;
  return CompiledModel::compile(file_, program_, model_, options);
}

const CompiledModel *CompiledSteps::compileFor(int64_t rows) {
  std::unique_ptr<CompiledModel> model = build(rows, /*quiet=*/false);
  if (!model)
    return nullptr;
  compileSeconds_ += model->compileSeconds();
  return (models_[rows] = std::move(model)).get();
}

bool CompiledSteps::compileTogether(const std::vector<int64_t> &alsoRows) {
  std::vector<int64_t> rows = {batch_};
  for (int64_t r : alsoRows)
    if (r > 0 && std::find(rows.begin(), rows.end(), r) == rows.end())
      rows.push_back(r);
  // Each batch size is a separate compile in its own MLIR and LLVM context,
  // and nearly all of a compile is LLVM working on one module on one thread:
  // the remainder batches' programs (as large as the full batch's) compile
  // on the other cores at the same time, so they add little wall time
  // instead of doubling it. Their errors would repeat the full batch's, so
  // they are dropped; a remainder that fails alone is compiled again below
  // to report it.
  auto start = std::chrono::steady_clock::now();
  std::vector<std::unique_ptr<CompiledModel>> built(rows.size());
  std::atomic<size_t> next{1};
  auto work = [&] {
    for (size_t i; (i = next++) < rows.size();)
      built[i] = build(rows[i], /*quiet=*/true);
  };
  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::thread> workers;
  for (size_t w = 1; w < std::min<size_t>(cores, rows.size()); ++w)
    workers.emplace_back(work);
  built[0] = build(batch_, /*quiet=*/false);
  // Without a second core, this thread compiles the rest itself.
  if (workers.empty())
    work();
  for (std::thread &w : workers)
    w.join();
  compileSeconds_ += std::chrono::duration<double>(
                         std::chrono::steady_clock::now() - start)
                         .count();
  if (!built[0])
    return false;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (built[i])
      models_[rows[i]] = std::move(built[i]);
    else if (!compileFor(rows[i]))
      return false;
  }
  return true;
}

const CompiledModel &CompiledSteps::modelFor(int64_t rows) {
  auto it = models_.find(rows);
  if (it != models_.end())
    return *it->second;
  const CompiledModel *model = compileFor(rows);
  if (!model)
    throw std::runtime_error("compiling for a batch of " +
                             std::to_string(rows) + " failed");
  return *model;
}

void CompiledSteps::initializeStore(uint64_t seed) {
  const EntryPoint *step = models_.at(batch_)->entry("train_step");
  // One stream for the model, drawn in slot order; only random initializers
  // draw from it, so adding a bias never moves the draws of later kernels.
  rt::Rng rng(rt::mixSeed(seed, 0x696e6974ull)); // "init"
  for (const BufferSlot &slot : step->slots) {
    if (slot.kind == Kind::State) {
      store_.add(slot.name, slot.shape, static_cast<float>(slot.init),
                 /*isState=*/true);
      continue;
    }
    if (slot.kind != Kind::Param)
      continue;
    rt::NamedTensor &t = store_.add(slot.name, slot.shape);
    rt::initialize(slot.initializer, t.data.data(), slot.shape, rng);
  }
}

BoundEntry &CompiledSteps::bound(const std::string &entry,
                                        int64_t rows) {
  auto key = std::make_pair(entry, rows);
  auto it = steps_.find(key);
  if (it != steps_.end())
    return *it->second;
  auto bound = std::make_unique<BoundEntry>(modelFor(rows), entry, store_,
                                            arrayNames_, arraySizes_);
  return *(steps_[key] = std::move(bound));
}

rt::BatchStep &CompiledSteps::trainStep(int64_t rows) {
  return bound("train_step", rows);
}

rt::BatchStep &CompiledSteps::evalStep(int64_t rows) {
  return bound("evaluate", rows);
}

BoundEntry &CompiledSteps::predictStep(int64_t rows) {
  return bound("predict", rows);
}

} // namespace aenet
