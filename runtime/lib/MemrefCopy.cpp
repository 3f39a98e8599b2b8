//===- MemrefCopy.cpp - memrefCopy for code that runs without MLIR --------===//
//
// Compiled code copies between buffers of different layouts (an NHWC image
// a oneDNN kernel wrote, into a caller's NCHW buffer) by calling
// `memrefCopy`, which the JIT resolves to MLIR's libmlir_c_runner_utils. An
// exported library carries no MLIR library: this is the same function on
// the same descriptors (an unranked memref: rank, then the address of a
// ranked descriptor of pointers, offset, sizes, strides).
//
//===----------------------------------------------------------------------===//

#include <cstdint>
#include <cstring>
#include <vector>

namespace {

struct UnrankedMemRef {
  int64_t rank;
  void *descriptor;
};

struct RankedView {
  char *data;            ///< the first element
  const int64_t *sizes;
  const int64_t *strides; ///< in elements
};

RankedView view(const UnrankedMemRef &m, int64_t elementSize) {
  auto *fields = static_cast<int64_t *>(m.descriptor);
  char *aligned = reinterpret_cast<char *>(fields[1]);
  return {aligned + fields[2] * elementSize, fields + 3, fields + 3 + m.rank};
}

} // namespace

extern "C" void memrefCopy(int64_t elementSize, UnrankedMemRef *source,
                           UnrankedMemRef *target) {
  int64_t rank = source->rank;
  RankedView from = view(*source, elementSize);
  RankedView to = view(*target, elementSize);
  for (int64_t d = 0; d < rank; ++d)
    if (from.sizes[d] == 0)
      return;
  // Odometer over the indices, innermost fastest.
  std::vector<int64_t> index(rank, 0);
  int64_t read = 0, write = 0;
  for (;;) {
    std::memcpy(to.data + write * elementSize, from.data + read * elementSize,
                elementSize);
    int64_t d = rank - 1;
    for (; d >= 0; --d) {
      read += from.strides[d];
      write += to.strides[d];
      if (++index[d] < from.sizes[d])
        break;
      read -= from.sizes[d] * from.strides[d];
      write -= from.sizes[d] * to.strides[d];
      index[d] = 0;
    }
    if (d < 0)
      return;
  }
}
