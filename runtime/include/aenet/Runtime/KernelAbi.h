//===- KernelAbi.h - What crosses the kernels' C ABI -----------*- C++ -*-===//
//
// The values compiled code and the runtime's kernels agree on: the memref
// descriptor MLIR's C interface passes, the enumerations passed as i64
// flags, and the table of per-call-site state a bound entry point hands to
// every kernel. The enumerations are X-macro lists so that each number is
// written once: the runtime builds its enums from them, and the compiler
// checks its dialect's enums against them at build time
// (compiler/lib/Conversion/AenetToOneDNN/KernelTable.h), so a renumbered or
// added case fails to build instead of calling the wrong kernel. Knows
// nothing of the language, nor of MLIR beyond the descriptor's layout.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_RUNTIME_KERNELABI_H
#define AENET_RUNTIME_KERNELABI_H

#include <cstdint>
#include <memory>
#include <vector>

/// Every activation kind: X(Name, keyword, number, onOneDnn) with its name
/// in the runtime, its keyword in the aenet dialect (ActivationKind), the
/// number passed across the ABI, and whether the oneDNN kernels run it
/// (forward, and backward from the output). The others run as loops.
#define AENET_ABI_ACTIVATIONS(X)                                               \
  X(Linear, linear, 0, false)                                                  \
  X(Relu, relu, 1, true)                                                       \
  X(Sigmoid, sigmoid, 2, true)                                                 \
  X(Tanh, tanh, 3, true)                                                       \
  X(Softmax, softmax, 4, true)                                                 \
  X(HardSigmoid, hard_sigmoid, 5, false)                                       \
  X(Relu6, relu6, 6, false)                                                    \
  X(LeakyRelu, leaky_relu, 7, true)                                            \
  X(Elu, elu, 8, true)

/// Every recurrent cell the recurrent kernels run: X(Name, number) with its
/// name in the runtime and the number passed across the ABI. The Simple
/// cells are Keras's SimpleRNN with that activation; Gru is Keras's GRU with
/// reset_after=False (oneDNN's GRU), LbrGru with reset_after=True (oneDNN's
/// linear-before-reset GRU). Gates are Keras's sigmoid and tanh.
#define AENET_ABI_RECURRENT_CELLS(X)                                           \
  X(SimpleTanh, 0)                                                             \
  X(SimpleRelu, 1)                                                             \
  X(SimpleSigmoid, 2)                                                          \
  X(Lstm, 3)                                                                   \
  X(Gru, 4)                                                                    \
  X(LbrGru, 5)

namespace aenet::rt {

/// A ranked f32 memref descriptor: allocated and aligned pointers, offset,
/// sizes, strides (in elements).
template <int Rank> struct MemRef {
  float *allocated;
  float *aligned;
  int64_t offset;
  int64_t sizes[Rank];
  int64_t strides[Rank];
  float *data() const { return aligned + offset; }
};

/// An activation kind as the kernels' `kind` flag carries it.
enum class Activation : int64_t {
#define AENET_ABI_ACTIVATION_CASE(Name, keyword, number, onOneDnn)             \
  Name = number,
  AENET_ABI_ACTIVATIONS(AENET_ABI_ACTIVATION_CASE)
#undef AENET_ABI_ACTIVATION_CASE
};

/// Whether the oneDNN kernels run activation |kind| (forward, and backward
/// from the output: the only form the dialect's activation_grad has).
constexpr bool oneDnnRunsActivation(int64_t kind) {
  switch (static_cast<Activation>(kind)) {
#define AENET_ABI_ACTIVATION_CASE(Name, keyword, number, onOneDnn)             \
  case Activation::Name:                                                       \
    return onOneDnn;
    AENET_ABI_ACTIVATIONS(AENET_ABI_ACTIVATION_CASE)
#undef AENET_ABI_ACTIVATION_CASE
  }
  return false;
}

/// A recurrent cell as the recurrent kernels' `cell` flag carries it.
enum class RecurrentCell : int64_t {
#define AENET_ABI_RECURRENT_CELL_CASE(Name, number) Name = number,
  AENET_ABI_RECURRENT_CELLS(AENET_ABI_RECURRENT_CELL_CASE)
#undef AENET_ABI_RECURRENT_CELL_CASE
};

/// The number of gate blocks G of |cell|'s kernels [C, G*H] and [H, G*H]:
/// one for the simple cells, four for the LSTM (i, f, c, o), three for the
/// GRUs (z, r, h).
constexpr int64_t recurrentGates(RecurrentCell cell) {
  switch (cell) {
  case RecurrentCell::SimpleTanh:
  case RecurrentCell::SimpleRelu:
  case RecurrentCell::SimpleSigmoid:
    return 1;
  case RecurrentCell::Lstm:
    return 4;
  case RecurrentCell::Gru:
  case RecurrentCell::LbrGru:
    return 3;
  }
  return 0;
}

namespace dnnl_support {
struct Kernel;
} // namespace dnnl_support

/// The state of each kernel call site of one bound entry point: the
/// kernel built on the site's first call (its primitives, its caller
/// buffers, and memory it owns: reorder buffers, workspaces, intermediate
/// products), reused on every later call of that site only. Two sites never
/// share state, even at the same shapes. The compiled code numbers its call
/// sites and receives this table as an extra argument; the caller that binds
/// buffers to the entry point owns it, and its state goes with it.
class KernelSites {
public:
  explicit KernelSites(int64_t count);
  ~KernelSites();
  KernelSites(const KernelSites &) = delete;
  KernelSites &operator=(const KernelSites &) = delete;

  int64_t size() const { return static_cast<int64_t>(sites_.size()); }
  /// The kernel built at |site|, or null before the site's first call.
  dnnl_support::Kernel *kernel(int64_t site) const {
    return sites_[site].get();
  }
  /// Installs the kernel of |site| (once, on its first call).
  dnnl_support::Kernel &install(int64_t site,
                                std::unique_ptr<dnnl_support::Kernel> kernel);
  /// The addresses of the memory the kernel at |site| owns, for tests that
  /// check that no two sites share it.
  std::vector<const void *> ownedMemory(int64_t site) const;

private:
  std::vector<std::unique_ptr<dnnl_support::Kernel>> sites_;
};

} // namespace aenet::rt

#endif // AENET_RUNTIME_KERNELABI_H
