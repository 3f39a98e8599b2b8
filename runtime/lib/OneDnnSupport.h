//===- OneDnnSupport.h - What every oneDNN kernel is built from -*- C++ -*-===//
//
// Private to the runtime. A kernel (one per shape key) is the caller's
// buffers as oneDNN memory objects, whose data handles are swapped on each
// call, plus a list of steps: reorders into the layouts a primitive prefers,
// the primitive(s), reorders back. Everything is created once, on the first
// call with that key; later calls only execute it.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_RUNTIME_ONEDNNSUPPORT_H
#define AENET_RUNTIME_ONEDNNSUPPORT_H

#include "aenet/Runtime/OneDnnKernels.h"

#include <oneapi/dnnl/dnnl.hpp>

#include <functional>
#include <string>
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

/// The caller's buffers (in the order of run's pointers) and the steps that
/// run on them.
struct Kernel {
  std::vector<dnnl::memory> buffers;
  std::vector<Step> steps;

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

/// Looks up the kernel for |key|, creating it with |make| the first time.
/// A oneDNN error while creating it aborts with a message naming |key|:
/// compiled code cannot take exceptions.
Kernel &cached(const std::string &key, const std::function<Kernel()> &make);

/// A descriptor of |m| with its own strides, so any layout is read in place.
template <int Rank> dnnl::memory::desc describe(const MemRef<Rank> &m) {
  dnnl::memory::dims dims(m.sizes, m.sizes + Rank),
      strides(m.strides, m.strides + Rank);
  return dnnl::memory::desc(dims, dnnl::memory::data_type::f32, strides);
}

/// |d|'s shape in NHWC: the layout in which the compiled code passes images
/// between kernels, and one with JIT kernels for every image primitive.
inline dnnl::memory::desc nhwc(const dnnl::memory::desc &d) {
  return dnnl::memory::desc(d.dims(), dnnl::memory::data_type::f32,
                            dnnl::memory::format_tag::nhwc);
}

/// Sizes and strides of |m|, for a cache key.
template <int Rank> std::string shapeKey(const MemRef<Rank> &m) {
  std::string s;
  for (int i = 0; i < Rank; ++i)
    s += std::to_string(m.sizes[i]) + "/" + std::to_string(m.strides[i]) + ",";
  return s;
}

} // namespace aenet::rt::dnnl_support

#endif // AENET_RUNTIME_ONEDNNSUPPORT_H
