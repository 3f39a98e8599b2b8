//===- AvailableMemory.cpp - How much memory a run may still use ----------===//
//
// MemAvailable is the kernel's own estimate of what can be allocated without
// swapping, better than MemFree, which ignores reclaimable caches. In a
// container the cgroup's limit can be far below it, so the room under
// memory.max (cgroup v2) caps the answer.
//
//===----------------------------------------------------------------------===//

#include "aenet/Runtime/AvailableMemory.h"

#include <cstdio>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace aenet::rt {

namespace {

/// The "MemAvailable:" line of /proc/meminfo in bytes, or -1.
int64_t memAvailable() {
  std::ifstream in("/proc/meminfo");
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string key;
    int64_t kilobytes = 0;
    if (fields >> key >> kilobytes && key == "MemAvailable:")
      return kilobytes * 1024;
  }
  return -1;
}

/// The first number of a one-line file such as memory.max, or -1 (also for
/// "max", no limit).
int64_t readNumber(const char *path) {
  std::ifstream in(path);
  int64_t value = -1;
  if (!(in >> value))
    return -1;
  return value;
}

} // namespace

int64_t availableMemoryBytes() {
  int64_t available = memAvailable();
  if (available < 0) {
    long pages = ::sysconf(_SC_AVPHYS_PAGES);
    long pageSize = ::sysconf(_SC_PAGESIZE);
    if (pages > 0 && pageSize > 0)
      available = int64_t(pages) * pageSize;
  }
  int64_t limit = readNumber("/sys/fs/cgroup/memory.max");
  int64_t used = readNumber("/sys/fs/cgroup/memory.current");
  if (limit > 0 && used >= 0) {
    int64_t room = limit > used ? limit - used : 0;
    if (available < 0 || room < available)
      available = room;
  }
  return available;
}

std::string formatBytes(double bytes) {
  const char *units[] = {"bytes", "kB", "MB", "GB", "TB", "PB", "EB"};
  int unit = 0;
  while (bytes >= 1000 && unit < 6) {
    bytes /= 1000;
    ++unit;
  }
  char text[32];
  if (unit == 0)
    std::snprintf(text, sizeof text, "%.0f bytes", bytes);
  else
    std::snprintf(text, sizeof text, "%.1f %s", bytes, units[unit]);
  return text;
}

} // namespace aenet::rt
