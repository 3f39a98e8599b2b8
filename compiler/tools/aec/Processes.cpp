//===- Processes.cpp - How aec's process starts and ends ------------------===//
//
// See Processes.h.
//
//===----------------------------------------------------------------------===//

#include "Processes.h"

#include <cstdlib>
#include <exception>
#include <iostream>
#include <unistd.h>

namespace aenet {

void preferPassiveOpenMP(char **argv) {
  if (std::getenv("OMP_WAIT_POLICY") || std::getenv("GOMP_SPINCOUNT"))
    return;
  setenv("OMP_WAIT_POLICY", "passive", 1);
  execv("/proc/self/exe", argv);
  // Without /proc the run goes on with the default policy.
}

bool joinProcesses(const rt::ProcessGroup *&group) {
  group = nullptr;
  if (!rt::ProcessGroup::launchedByMpirun())
    return true;
  try {
    const rt::ProcessGroup &world = rt::ProcessGroup::world();
    if (world.distributed())
      group = &world;
    return true;
  } catch (const std::exception &e) {
    std::cerr << "aec: error: " << e.what() << '\n';
    return false;
  }
}

} // namespace aenet
