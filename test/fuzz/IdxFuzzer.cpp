//===- IdxFuzzer.cpp - libFuzzer target for IDX files ---------------------===//
//
// Feeds arbitrary bytes, raw or gzip'd, to readIdx(), the reader of every
// `idx()` data source. A DataError is the expected answer to a bad file;
// any other exception, crash, leak or undefined behaviour is a finding. A
// file that reads must hold what Idx.h promises (no zero dimension, as many
// bytes as the dimensions say) and read back the same after writeIdx().
// Built only when AEC_FUZZ_ONLY=ON (see test/fuzz/CMakeLists.txt, .ci/fuzz).
//
//===----------------------------------------------------------------------===//

#include "FuzzFile.h"

#include "aenet/Runtime/Errors.h"
#include "aenet/Runtime/Idx.h"

#include <cstdlib>

using namespace aenet::rt;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const std::string input = aenet::fuzz::scratchPath("in.idx");
  static const std::string copy = aenet::fuzz::scratchPath("rt.idx");
  aenet::fuzz::writeInput(input, data, size);
  IdxArray array;
  try {
    array = readIdx(input);
  } catch (const DataError &) {
    return 0;
  }
  uint64_t count = 1;
  for (int64_t dim : array.dims) {
    if (dim <= 0)
      std::abort();
    count *= static_cast<uint64_t>(dim);
  }
  if (array.dims.empty() || count != array.data.size())
    std::abort();
  writeIdx(copy, array, /*gzip=*/false);
  IdxArray again = readIdx(copy);
  if (again.dims != array.dims || again.data != array.data)
    std::abort();
  return 0;
}
