//===- Processes.h - How aec's process starts and ends ----------*- C++ -*-===//
//
// What the aec process does around its command: libgomp's wait policy
// (set before any OpenMP thread exists) and, under mpirun, joining the
// other processes of the job through MPI.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_TOOLS_AEC_PROCESSES_H
#define AENET_TOOLS_AEC_PROCESSES_H

#include "aenet/Runtime/ProcessGroup.h"

namespace aenet {

/// oneDNN runs on libgomp, whose threads spin while waiting for work. On a
/// machine where another process holds a core, spinning threads starve the
/// one doing the work and a step becomes ~10x slower; passive waiting avoids
/// that at a small cost when the machine is idle. libgomp reads the policy
/// from the environment when it is loaded, before main, so aec sets it and
/// runs itself again, unless the user chose a policy.
void preferPassiveOpenMP(char **argv);

/// Sets |group| to the processes of this run when mpirun started more than
/// one (MPI started), else to null; false after printing why MPI could not
/// start.
bool joinProcesses(const rt::ProcessGroup *&group);

} // namespace aenet

#endif // AENET_TOOLS_AEC_PROCESSES_H
