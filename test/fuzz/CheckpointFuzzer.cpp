//===- CheckpointFuzzer.cpp - libFuzzer target for safetensors files ------===//
//
// Feeds arbitrary bytes to loadSafetensors(), the reader `aec train
// --resume`, `eval --weights` and `init ... from` use. A CheckpointError is
// the expected answer to a bad file; any other exception, crash, leak or
// undefined behaviour is a finding. A file that loads must survive a round
// trip: saved again and reloaded, it holds the same tensors and metadata.
// Built only when AEC_FUZZ_ONLY=ON (see test/fuzz/CMakeLists.txt, .ci/fuzz).
//
//===----------------------------------------------------------------------===//

#include "FuzzFile.h"

#include "aenet/Runtime/Checkpoint.h"
#include "aenet/Runtime/Errors.h"

#include <cstdlib>
#include <cstring>

using namespace aenet::rt;

namespace {

/// Whether |a| and |b| hold the same tensors bit for bit (NaN included).
bool sameTensors(const Checkpoint &a, const Checkpoint &b) {
  if (a.tensors.size() != b.tensors.size())
    return false;
  for (size_t i = 0; i < a.tensors.size(); ++i) {
    const NamedTensor &x = a.tensors[i], &y = b.tensors[i];
    if (x.name != y.name || x.shape != y.shape ||
        x.data.size() != y.data.size())
      return false;
    // memcmp, not ==, so that NaN payloads count; never on an empty
    // vector's null data().
    if (!x.data.empty() && std::memcmp(x.data.data(), y.data.data(),
                                       x.data.size() * sizeof(float)) != 0)
      return false;
  }
  return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const std::string input = aenet::fuzz::scratchPath("in.safetensors");
  static const std::string copy = aenet::fuzz::scratchPath("rt.safetensors");
  aenet::fuzz::writeInput(input, data, size);
  Checkpoint loaded;
  try {
    loaded = loadSafetensors(input);
  } catch (const CheckpointError &) {
    return 0;
  }
  saveSafetensors(copy, loaded.tensors, loaded.metadata);
  Checkpoint again = loadSafetensors(copy);
  if (!sameTensors(loaded, again) || loaded.metadata != again.metadata)
    std::abort();
  return 0;
}
