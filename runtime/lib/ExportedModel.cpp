//===- ExportedModel.cpp - The runtime of an exported model ---------------===//
//
// What a library that `aec export` wrote does besides its compiled code:
// reads the weights (a safetensors file, or the one compiled in), checks
// each tensor a program reads against the shape it was compiled for, and
// runs an entry on any number of rows. Full batches run in place on the
// caller's rows; the rows left over run through the entry's batch-1
// program when it has one, else padded into a scratch batch, as inference
// treats every row alone. No LLVM, no MLIR: only the C ABI of ExportAbi.h.
//
//===----------------------------------------------------------------------===//

#include "aenet/Runtime/Checkpoint.h"
#include "aenet/Runtime/Errors.h"
#include "aenet/Runtime/ExportAbi.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace {

thread_local std::string lastError;

struct FreeDeleter {
  void operator()(float *p) const { std::free(p); }
};
using Buffer = std::unique_ptr<float, FreeDeleter>;

/// |count| floats, zeroed, 64-byte aligned as the JIT's runtime gives them.
Buffer allocate(int64_t count) {
  size_t bytes = (std::max<int64_t>(count, 1) * sizeof(float) + 63) / 64 * 64;
  auto *p = static_cast<float *>(std::aligned_alloc(64, bytes));
  if (!p)
    throw std::bad_alloc();
  std::memset(p, 0, bytes);
  return Buffer(p);
}

int64_t elements(const aenet_slot &slot) {
  int64_t n = 1;
  for (int d = 0; d < slot.rank; ++d)
    n *= slot.shape[d];
  return n;
}

bool perRow(const aenet_slot &slot) {
  return slot.kind == AENET_SLOT_INPUT || slot.kind == AENET_SLOT_OUTPUT;
}

/// One program with its arguments bound: the descriptors of its buffers,
/// whose data pointers a call repoints at the caller's rows.
struct BoundProgram {
  const aenet_program *program = nullptr;
  const aenet_library *library = nullptr;
  std::vector<std::vector<int64_t>> descriptors;
  std::vector<void *> args;
  /// Scratch rows of every input and output slot, for a padded batch; the
  /// zeroed states; the hyperparameters' scalars.
  std::vector<Buffer> owned;
  std::vector<float *> scratch; ///< per slot, null unless per row
  void *sites = nullptr;

  BoundProgram() = default;
  BoundProgram(const BoundProgram &) = delete;
  BoundProgram &operator=(const BoundProgram &) = delete;
  ~BoundProgram() {
    if (sites)
      library->free_sites(sites);
  }

  void point(int slot, float *data) {
    descriptors[slot][0] = descriptors[slot][1] =
        reinterpret_cast<int64_t>(data);
  }
};

} // namespace

struct aenet_model {
  const aenet_library *library = nullptr;
  /// The weights by name, shared by every program that reads them.
  std::map<std::string, Buffer> params;
  /// Per entry, its programs in the library's order.
  std::vector<std::vector<std::unique_ptr<BoundProgram>>> entries;
};

namespace {

/// Binds |program|'s arguments, the weights from |model|'s.
std::unique_ptr<BoundProgram> bind(aenet_model &model,
                                   const aenet_program &program) {
  auto bound = std::make_unique<BoundProgram>();
  bound->program = &program;
  bound->library = model.library;
  bound->scratch.assign(program.slot_count, nullptr);
  for (int s = 0; s < program.slot_count; ++s) {
    const aenet_slot &slot = program.slots[s];
    float *data = nullptr;
    if (slot.kind == AENET_SLOT_PARAM) {
      data = model.params.at(slot.name).get();
    } else {
      bound->owned.push_back(allocate(elements(slot)));
      data = bound->owned.back().get();
      if (slot.kind == AENET_SLOT_HYPERPARAMETER)
        data[0] = static_cast<float>(slot.value);
      if (perRow(slot))
        bound->scratch[s] = data;
    }
    // A ranked memref descriptor: allocated and aligned pointers, offset,
    // sizes, row-major strides.
    std::vector<int64_t> desc(3 + 2 * slot.rank);
    desc[0] = desc[1] = reinterpret_cast<int64_t>(data);
    int64_t stride = 1;
    for (int d = slot.rank; d-- > 0;) {
      desc[3 + d] = slot.shape[d];
      desc[3 + slot.rank + d] = stride;
      stride *= slot.shape[d];
    }
    bound->descriptors.push_back(std::move(desc));
  }
  if (program.sites_arg >= 0)
    bound->sites = model.library->new_sites(program.sites);
  size_t next = 0;
  int args = program.slot_count + (program.sites_arg >= 0 ? 1 : 0);
  for (int a = 0; a < args; ++a)
    bound->args.push_back(a == program.sites_arg
                              ? bound->sites
                              : bound->descriptors[next++].data());
  return bound;
}

/// Loads every tensor the programs read from |weights| (named |source| in
/// errors), checking its shape.
void loadParams(aenet_model &model, const aenet::rt::Checkpoint &weights,
                const std::string &source) {
  const aenet_library &library = *model.library;
  for (int e = 0; e < library.entry_count; ++e) {
    const aenet_entry &entry = library.entries[e];
    for (int p = 0; p < entry.program_count; ++p) {
      const aenet_program &program = entry.programs[p];
      for (int s = 0; s < program.slot_count; ++s) {
        const aenet_slot &slot = program.slots[s];
        if (slot.kind != AENET_SLOT_PARAM || model.params.count(slot.name))
          continue;
        const aenet::rt::NamedTensor *t = weights.find(slot.name);
        std::vector<int64_t> want(slot.shape, slot.shape + slot.rank);
        if (!t)
          throw aenet::rt::CheckpointError(
              source, std::string("has no tensor '") + slot.name + "' " +
                          aenet::rt::shapeText(want) + " of model '" +
                          library.model + "'");
        if (t->shape != want)
          throw aenet::rt::CheckpointError(
              source, std::string("tensor '") + slot.name + "' has shape " +
                          aenet::rt::shapeText(t->shape) + "; model '" +
                          library.model + "' takes " +
                          aenet::rt::shapeText(want));
        Buffer buffer = allocate(elements(slot));
        std::copy(t->data.begin(), t->data.end(), buffer.get());
        model.params.emplace(slot.name, std::move(buffer));
      }
    }
  }
}

/// Runs |bound| on |rows| rows (at most its batch) starting at row |first|
/// of the caller's buffers: in place when they fill the batch, else through
/// its scratch rows.
void runRows(BoundProgram &bound, const float *const *inputs,
             float *const *outputs, int64_t first, int64_t rows) {
  const aenet_program &program = *bound.program;
  bool padded = rows < program.batch;
  int in = 0, out = 0;
  for (int s = 0; s < program.slot_count; ++s) {
    const aenet_slot &slot = program.slots[s];
    int64_t row = elements(slot) / program.batch;
    if (slot.kind == AENET_SLOT_LAYER_STATE) {
      // Every call's rows are sequences of their own.
      float *state = reinterpret_cast<float *>(bound.descriptors[s][1]);
      std::memset(state, 0, elements(slot) * sizeof(float));
    } else if (slot.kind == AENET_SLOT_INPUT) {
      const float *from = inputs[in++] + first * row;
      if (padded) {
        std::memcpy(bound.scratch[s], from, rows * row * sizeof(float));
        bound.point(s, bound.scratch[s]);
      } else {
        // The compiled code reads inputs and never writes them.
        bound.point(s, const_cast<float *>(from));
      }
    } else if (slot.kind == AENET_SLOT_OUTPUT) {
      bound.point(s, padded ? bound.scratch[s] : outputs[out] + first * row);
      ++out;
    }
  }
  program.run(bound.args.data());
  if (!padded)
    return;
  out = 0;
  for (int s = 0; s < program.slot_count; ++s) {
    const aenet_slot &slot = program.slots[s];
    if (slot.kind != AENET_SLOT_OUTPUT)
      continue;
    int64_t row = elements(slot) / program.batch;
    std::memcpy(outputs[out++] + first * row, bound.scratch[s],
                rows * row * sizeof(float));
  }
}

} // namespace

extern "C" {

aenet_model *aenet_export_open(const aenet_library *library,
                               const char *weights_path) {
  lastError.clear();
  try {
    auto model = std::make_unique<aenet_model>();
    model->library = library;
    if (weights_path) {
      loadParams(*model, aenet::rt::loadSafetensors(weights_path),
                 weights_path);
    } else if (library->weights) {
      std::string source = std::string(library->model) + "'s embedded weights";
      loadParams(*model,
                 aenet::rt::parseSafetensors(
                     std::string_view(
                         reinterpret_cast<const char *>(library->weights),
                         library->weights_size),
                     source),
                 source);
    } else {
      lastError = std::string(library->model) +
                  ": no weights: this library was exported without "
                  "--embed-weights; give the path of its safetensors file";
      return nullptr;
    }
    for (int e = 0; e < library->entry_count; ++e) {
      model->entries.emplace_back();
      const aenet_entry &entry = library->entries[e];
      for (int p = 0; p < entry.program_count; ++p)
        model->entries.back().push_back(bind(*model, entry.programs[p]));
    }
    return model.release();
  } catch (const std::exception &e) {
    lastError = e.what();
    return nullptr;
  }
}

int aenet_export_run(aenet_model *model, int entry, const float *const *inputs,
                     float *const *outputs, int64_t batch) {
  lastError.clear();
  if (!model) {
    lastError = "no model (its open failed)";
    return -1;
  }
  if (batch < 0) {
    lastError = std::string(model->library->model) + ": batch " +
                std::to_string(batch) + " is negative";
    return -1;
  }
  std::vector<std::unique_ptr<BoundProgram>> &programs =
      model->entries.at(entry);
  BoundProgram &full = *programs.front();
  int64_t n = full.program->batch;
  int64_t whole = batch / n * n;
  for (int64_t first = 0; first < whole; first += n)
    runRows(full, inputs, outputs, first, n);
  BoundProgram &rest = *programs.back();
  if (rest.program->batch == 1 && programs.size() > 1) {
    for (int64_t first = whole; first < batch; ++first)
      runRows(rest, inputs, outputs, first, 1);
  } else if (whole < batch) {
    runRows(full, inputs, outputs, whole, batch - whole);
  }
  return 0;
}

void aenet_export_close(aenet_model *model) { delete model; }

const char *aenet_export_error(void) { return lastError.c_str(); }

} // extern "C"
