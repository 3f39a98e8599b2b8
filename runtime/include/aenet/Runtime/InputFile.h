//===- InputFile.h - Is a path a file the runtime may read? -----*- C++ -*-===//
//
// Data sets and checkpoints are read whole into memory, so the runtime must
// know before opening a path that it names a regular file: a directory makes
// the standard streams throw an uncaught std::ios_base::failure on the first
// read, and a device such as /dev/zero never ends. This check turns both into
// an error naming the path; readDataFile reads a data file whole after it.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_RUNTIME_INPUTFILE_H
#define AENET_RUNTIME_INPUTFILE_H

#include <string>

namespace aenet::rt {

/// Why |path| cannot be read as a file, e.g. "is a directory" or "cannot
/// open: No such file or directory"; empty when it names a regular file
/// (after following symbolic links). The caller throws its own error kind
/// with the path and this text.
std::string regularFileProblem(const std::string &path);

/// The bytes of the data file |path|, read whole. Throws DataError naming
/// |path| when it is not a regular file (regularFileProblem) or cannot be
/// read.
std::string readDataFile(const std::string &path);

} // namespace aenet::rt

#endif // AENET_RUNTIME_INPUTFILE_H
