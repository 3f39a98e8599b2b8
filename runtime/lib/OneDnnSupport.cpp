//===- OneDnnSupport.cpp - What every oneDNN kernel is built from ---------===//
//
// The engine and stream, the kernel cache, and the builder that places
// reorders around a primitive. See OneDnnSupport.h.
//
//===----------------------------------------------------------------------===//

#include "OneDnnSupport.h"

#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>

using namespace dnnl;

namespace aenet::rt {

namespace {
int64_t primitivesCreated = 0;
} // namespace

int64_t oneDnnPrimitiveCount() { return primitivesCreated; }

namespace dnnl_support {

engine &cpuEngine() {
  static engine eng(engine::kind::cpu, 0);
  return eng;
}

stream &cpuStream() {
  static stream s(cpuEngine());
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
  return memory(desc, cpuEngine());
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

Kernel &cached(const std::string &key, const std::function<Kernel()> &make) {
  static std::map<std::string, std::unique_ptr<Kernel>> cache;
  auto it = cache.find(key);
  if (it != cache.end())
    return *it->second;
  try {
    auto kernel = std::make_unique<Kernel>(make());
    ++primitivesCreated;
    return *(cache[key] = std::move(kernel));
  } catch (const dnnl::error &e) {
    std::fprintf(stderr, "aec: internal error: oneDNN cannot create %s: %s\n",
                 key.c_str(), e.what());
    std::abort();
  }
}

} // namespace dnnl_support
} // namespace aenet::rt
