//===- FuzzFile.h - Fuzzer inputs as files for the readers ------*- C++ -*-===//
//
// The runtime's readers take a path, as the driver gives them, so a fuzzer
// writes each input to a file of its own process and reads it back through
// the real entry point. The files go to /dev/shm when it exists, so an
// input costs no disk I/O.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_TEST_FUZZ_FUZZFILE_H
#define AENET_TEST_FUZZ_FUZZFILE_H

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <unistd.h>

namespace aenet::fuzz {

/// A path for this process's file called |name|.
inline std::string scratchPath(const std::string &name) {
  static const std::string dir =
      access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
  return dir + "/aec-fuzz-" + std::to_string(::getpid()) + "-" + name;
}

/// Writes |size| bytes at |data| to |path|; aborts if it cannot, since a
/// fuzzer that silently reads stale files tests nothing.
inline void writeInput(const std::string &path, const uint8_t *data,
                       size_t size) {
  FILE *file = std::fopen(path.c_str(), "wb");
  if (!file || std::fwrite(data, 1, size, file) != size ||
      std::fclose(file) != 0) {
    std::perror(path.c_str());
    std::abort();
  }
}

} // namespace aenet::fuzz

#endif // AENET_TEST_FUZZ_FUZZFILE_H
