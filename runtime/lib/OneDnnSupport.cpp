//===- OneDnnSupport.cpp - What every oneDNN kernel is built from ---------===//
//
// The engine and stream, the table of call sites' kernels, and the builder
// that places reorders around a primitive. See OneDnnSupport.h.
//
//===----------------------------------------------------------------------===//

#include "OneDnnSupport.h"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <memory>

using namespace dnnl;

namespace aenet::rt {

namespace {
std::atomic<int64_t> kernelsBuilt{0};
} // namespace

int64_t oneDnnKernelsBuilt() { return kernelsBuilt; }

KernelSites::KernelSites(int64_t count) : sites_(count) {}
KernelSites::~KernelSites() = default;

dnnl_support::Kernel &
KernelSites::install(int64_t site,
                     std::unique_ptr<dnnl_support::Kernel> kernel) {
  return *(sites_[site] = std::move(kernel));
}

std::vector<const void *> KernelSites::ownedMemory(int64_t site) const {
  std::vector<const void *> addresses;
  if (const dnnl_support::Kernel *k = kernel(site))
    for (const memory &m : k->owned)
      addresses.push_back(m.get_data_handle());
  return addresses;
}

namespace dnnl_support {

engine &cpuEngine() {
  static engine eng(engine::kind::cpu, 0);
  return eng;
}

stream &cpuStream() {
  // One per thread: the slices of a split batch run kernels at once, and
  // oneDNN does not promise that a stream may be used from two threads.
  thread_local stream s(cpuEngine());
  return s;
}

void Kernel::run(const std::vector<float *> &pointers) {
  for (size_t i = 0; i < buffers.size(); ++i)
    buffers[i].set_data_handle(pointers[i]);
  for (Step &step : steps) {
    if (step.host) {
      cpuStream().wait();
      step.host();
    } else {
      step.prim.execute(cpuStream(), step.args);
    }
  }
  cpuStream().wait();
}

memory KernelBuilder::buffer(const memory::desc &desc) {
  kernel_.buffers.emplace_back(desc, cpuEngine(), nullptr);
  return kernel_.buffers.back();
}

memory KernelBuilder::input(const memory &user, const memory::desc &want) {
  if (user.get_desc() == want)
    return user;
  memory inner = scratch(want);
  before_.push_back(
      {reorder(user, inner), {{DNNL_ARG_FROM, user}, {DNNL_ARG_TO, inner}},
       nullptr});
  return inner;
}

memory KernelBuilder::output(const memory &user, const memory::desc &want) {
  if (user.get_desc() == want)
    return user;
  memory inner = scratch(want);
  after_.push_back(
      {reorder(inner, user), {{DNNL_ARG_FROM, inner}, {DNNL_ARG_TO, user}},
       nullptr});
  return inner;
}

memory KernelBuilder::scratch(const memory::desc &desc) {
  memory m(desc, cpuEngine());
  kernel_.owned.push_back(m);
  return m;
}

void KernelBuilder::add(primitive prim,
                        std::unordered_map<int, memory> args) {
  main_.push_back({std::move(prim), std::move(args), nullptr});
}

void KernelBuilder::addHost(std::function<void()> loop) {
  main_.push_back({primitive(), {}, std::move(loop)});
}

Kernel KernelBuilder::finish() {
  for (auto *list : {&before_, &main_, &after_})
    for (Step &step : *list)
      kernel_.steps.push_back(std::move(step));
  return std::move(kernel_);
}

Kernel create(const char *kernel, const std::function<Kernel()> &make) {
  try {
    Kernel built = make();
    ++kernelsBuilt;
    return built;
  } catch (const dnnl::error &e) {
    std::fprintf(stderr, "aec: internal error: oneDNN cannot create %s: %s\n",
                 kernel, e.what());
    std::abort();
  }
}

Kernel &build(KernelSites *sites, int64_t site, const char *kernel,
              const std::function<Kernel()> &make) {
  if (site < 0 || site >= sites->size()) {
    std::fprintf(stderr,
                 "aec: internal error: %s called at site %lld of a table of "
                 "%lld\n",
                 kernel, static_cast<long long>(site),
                 static_cast<long long>(sites->size()));
    std::abort();
  }
  return sites->install(site,
                        std::make_unique<Kernel>(create(kernel, make)));
}

bool eltwiseFor(int64_t kind, Eltwise &out) {
  using K = aenet::rt::Activation;
  switch (static_cast<K>(kind)) {
  case K::Relu:
    out = {algorithm::eltwise_relu, algorithm::eltwise_relu_use_dst_for_bwd,
           0.f, 0.f};
    return true;
  case K::LeakyRelu:
    out = {algorithm::eltwise_relu, algorithm::eltwise_relu_use_dst_for_bwd,
           0.2f, 0.f};
    return true;
  case K::Sigmoid:
    out = {algorithm::eltwise_logistic,
           algorithm::eltwise_logistic_use_dst_for_bwd, 0.f, 0.f};
    return true;
  case K::Tanh:
    out = {algorithm::eltwise_tanh, algorithm::eltwise_tanh_use_dst_for_bwd,
           0.f, 0.f};
    return true;
  case K::Elu:
    out = {algorithm::eltwise_elu, algorithm::eltwise_elu_use_dst_for_bwd,
           1.f, 0.f};
    return true;
  default:
    return false;
  }
}

primitive_attr activationPostOp(const char *kernel, int64_t kind) {
  primitive_attr attr;
  if (static_cast<Activation>(kind) == Activation::Linear)
    return attr;
  Eltwise e;
  if (!eltwiseFor(kind, e))
    contractBroken(kernel, "an activation with no eltwise post-op");
  post_ops ops;
  ops.append_eltwise(/*scale=*/1.f, e.forward, e.alpha, e.beta);
  attr.set_post_ops(ops);
  return attr;
}

void contractBroken(const char *kernel, const char *what) {
  std::fprintf(stderr, "aec: internal error: %s called on %s\n", kernel,
               what);
  std::abort();
}

} // namespace dnnl_support
} // namespace aenet::rt
