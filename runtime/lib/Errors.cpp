//===- Errors.cpp - Exceptions of the training runtime --------------------===//
//
// Out-of-line destructors anchor the exception classes' vtables here, so
// every translation unit that throws or catches them shares one copy; the
// shape formatters of the messages live here too.
//
//===----------------------------------------------------------------------===//

#include "aenet/Runtime/Errors.h"

#include <cstring>

namespace aenet::rt {

FileError::FileError(const std::string &path, const std::string &problem)
    : std::runtime_error(path + ": " + problem), filePath(path),
      text(problem) {}

FileError::~FileError() = default;
DataError::~DataError() = default;
CheckpointError::~CheckpointError() = default;
OutputError::~OutputError() = default;

std::string errnoText(int err) {
  char buffer[256];
  // GNU strerror_r returns the message, which may or may not be |buffer|.
  return strerror_r(err, buffer, sizeof(buffer));
}

std::string shapeText(const std::vector<int64_t> &shape) {
  std::string text = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + "]";
}

std::string sizeText(const std::vector<int64_t> &dims) {
  std::string text;
  for (size_t i = 0; i < dims.size(); ++i)
    text += (i ? "x" : "") + std::to_string(dims[i]);
  return text;
}

} // namespace aenet::rt
