//===- OneDnnSupport.h - What every oneDNN kernel is built from -*- C++ -*-===//
//
// Private to the runtime. A kernel (one per call site: KernelSites) is the
// caller's buffers as oneDNN memory objects, whose data handles are swapped
// on each call, the memory it owns, and a list of steps: reorders into the
// layouts a primitive prefers, the primitive(s), reorders back. Everything
// is created on the site's first call (but the backward part of a recurrent
// site: on the first backward call there); later calls only execute it. The
// primitives themselves come from oneDNN's primitive cache, so sites of one
// shape share the immutable compiled code but never their memory.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_RUNTIME_ONEDNNSUPPORT_H
#define AENET_RUNTIME_ONEDNNSUPPORT_H

#include "aenet/Runtime/OneDnnKernels.h"

#include <oneapi/dnnl/dnnl.hpp>

#include <functional>
#include <memory>
#include <unordered_map>
#include <vector>

namespace aenet::rt::dnnl_support {

dnnl::engine &cpuEngine();
dnnl::stream &cpuStream();

/// A primitive with the memory objects of its arguments, or a loop on the
/// host (|host| set) that reads and writes memory objects it holds.
struct Step {
  dnnl::primitive prim;
  std::unordered_map<int, dnnl::memory> args;
  std::function<void()> host;
};

/// What a kernel keeps besides its steps, for the kernels whose site is
/// also called by another kernel of the table: recurrent_backward runs at
/// its forward's site, on the forward's workspace (OneDnnRnnKernels.cpp).
struct KernelState {
  virtual ~KernelState() = default;
};

/// The caller's buffers (in the order of run's pointers), the memory the
/// kernel owns, the steps that run on them, and the state of kernels that
/// need one (null otherwise).
struct Kernel {
  std::vector<dnnl::memory> buffers;
  std::vector<dnnl::memory> owned;
  std::vector<Step> steps;
  std::unique_ptr<KernelState> state;

  void run(const std::vector<float *> &pointers);
};

/// Assembles a Kernel: reorders into a primitive's layout run before every
/// primitive step, reorders out of it after all of them.
class KernelBuilder {
public:
  /// Declares the next caller buffer, of descriptor |desc|.
  dnnl::memory buffer(const dnnl::memory::desc &desc);
  /// What a primitive reads for caller buffer |user| when it wants layout
  /// |want|: the buffer itself, or scratch memory a reorder fills first.
  dnnl::memory input(const dnnl::memory &user, const dnnl::memory::desc &want);
  /// What a primitive writes for caller buffer |user| in layout |want|: the
  /// buffer itself, or scratch memory reordered into it afterwards.
  dnnl::memory output(const dnnl::memory &user,
                      const dnnl::memory::desc &want);
  /// Memory owned by the kernel (a workspace, an intermediate result).
  dnnl::memory scratch(const dnnl::memory::desc &desc);
  /// Appends a primitive step.
  void add(dnnl::primitive prim, std::unordered_map<int, dnnl::memory> args);
  /// Appends a step that runs |loop| on the host, after the steps before it.
  void addHost(std::function<void()> loop);
  Kernel finish();

private:
  Kernel kernel_;
  std::vector<Step> before_, main_, after_;
};

/// Runs |make|; a oneDNN error aborts with a message naming |kernel|. For
/// the parts of a site's state built after its first call.
Kernel create(const char *kernel, const std::function<Kernel()> &make);

/// Builds the kernel of |site| with |make| and installs it; a oneDNN error
/// (or a site outside the table) aborts with a message naming |kernel|:
/// compiled code cannot take exceptions.
Kernel &build(KernelSites *sites, int64_t site, const char *kernel,
              const std::function<Kernel()> &make);

/// The kernel of |site| in |sites|, built with |make| on the site's first
/// call. The look-up is inline: it runs on every call.
template <typename Make>
Kernel &atSite(KernelSites *sites, int64_t site, const char *kernel,
               Make &&make) {
  if (site >= 0 && site < sites->size())
    if (Kernel *k = sites->kernel(site))
      return *k;
  return build(sites, site, kernel, std::function<Kernel()>(make));
}

/// Aborts with an internal error: kernel |kernel| was called on operands
/// that break its contract (|what|), which the lowering guarantees.
[[noreturn]] void contractBroken(const char *kernel, const char *what);

/// A descriptor of |m| with its own strides, so any layout is read in place.
template <int Rank> dnnl::memory::desc describe(const MemRef<Rank> &m) {
  dnnl::memory::dims dims(m.sizes, m.sizes + Rank),
      strides(m.strides, m.strides + Rank);
  return dnnl::memory::desc(dims, dnnl::memory::data_type::f32, strides);
}

/// An activation as oneDNN's eltwise algorithms spell it: the forward
/// algorithm, the backward one that reads the forward's output (the only
/// operand the dialect's activation_grad has), and their alpha and beta.
struct Eltwise {
  dnnl::algorithm forward, backward;
  float alpha, beta;
};

/// oneDNN's spelling of activation |kind| into |out|; false for the kinds
/// that have none (softmax, a primitive of its own; those run as loops).
bool eltwiseFor(int64_t kind, Eltwise &out);

/// The attributes of a primitive of kernel |kernel| whose result goes
/// through activation |kind| on its way out, as an eltwise post-op applied
/// while the result is still in registers: none for Linear. A kind without
/// an eltwise algorithm breaks the kernel's contract (the lowering fuses
/// only those that have one).
dnnl::primitive_attr activationPostOp(const char *kernel, int64_t kind);

/// |d|'s shape in NHWC: the layout in which the compiled code passes images
/// between kernels, and one with JIT kernels for every image primitive.
inline dnnl::memory::desc nhwc(const dnnl::memory::desc &d) {
  return dnnl::memory::desc(d.dims(), dnnl::memory::data_type::f32,
                            dnnl::memory::format_tag::nhwc);
}

} // namespace aenet::rt::dnnl_support

#endif // AENET_RUNTIME_ONEDNNSUPPORT_H
