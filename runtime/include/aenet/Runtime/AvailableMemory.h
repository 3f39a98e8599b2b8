//===- AvailableMemory.h - How much memory a run may still use --*- C++ -*-===//
//
// A run that needs more memory than the machine has does not fail cleanly by
// itself: std::bad_alloc surfaces far from its cause, and compiled code that
// cannot allocate crashes. The driver estimates what a run needs and compares
// it with what this header reports, before allocating any of it.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_RUNTIME_AVAILABLEMEMORY_H
#define AENET_RUNTIME_AVAILABLEMEMORY_H

#include <cstdint>
#include <string>

namespace aenet::rt {

/// Bytes this process can still allocate without swapping: Linux's
/// MemAvailable (free memory plus reclaimable caches), or the available
/// physical pages where /proc/meminfo is missing, and no more than the room
/// left under the cgroup's memory.max. -1 when none of these can be read.
int64_t availableMemoryBytes();

/// |bytes| for a message: "512 bytes", "3.4 MB", "12.0 GB" (powers of 1000,
/// as `df -H`).
std::string formatBytes(double bytes);

} // namespace aenet::rt

#endif // AENET_RUNTIME_AVAILABLEMEMORY_H
