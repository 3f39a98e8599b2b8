//===- Errors.h - Exceptions of the training runtime ------------*- C++ -*-===//
//
// Every error the runtime reports is about a file: a data set that does not
// parse, a checkpoint that does not load, a picture that cannot be written.
// The message always starts with the file's path, then says what is wrong in
// words a user can act on:
//
//   /x/y.gz: truncated: header says 60000 images of 28x28 (47040000 bytes)
//   but only 1234 bytes of pixel data follow
//
// The kinds differ only in type, so a caller can tell bad input data
// (DataError), a bad checkpoint (CheckpointError) and a failed output
// (OutputError) apart. Shapes in messages are written by shapeText and
// sizeText, so the runtime and the driver name a shape the same way.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_RUNTIME_ERRORS_H
#define AENET_RUNTIME_ERRORS_H

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace aenet::rt {

/// An error about one file: `what()` is "<path>: <problem>".
class FileError : public std::runtime_error {
public:
  FileError(const std::string &path, const std::string &problem);
  ~FileError() override;

  /// The file the error is about.
  const std::string &path() const { return filePath; }
  /// What is wrong, without the path.
  const std::string &problem() const { return text; }

private:
  std::string filePath;
  std::string text;
};

/// Input data (IDX, CSV, arrays built from them) that cannot be used.
struct DataError : FileError {
  using FileError::FileError;
  ~DataError() override;
};

/// A checkpoint that cannot be loaded or saved.
struct CheckpointError : FileError {
  using FileError::FileError;
  ~CheckpointError() override;
};

/// An output (metrics, plot, picture) that cannot be written.
struct OutputError : FileError {
  using FileError::FileError;
  ~OutputError() override;
};

/// The text of errno |err|, e.g. "No such file or directory".
std::string errnoText(int err);

/// |shape| as messages write a tensor's shape: "[16, 1, 3, 3]" ("[]" for a
/// scalar).
std::string shapeText(const std::vector<int64_t> &shape);

/// |dims| as messages write the size of a sample or an image: "28x28" (the
/// IDX format's own way of naming it).
std::string sizeText(const std::vector<int64_t> &dims);

} // namespace aenet::rt

#endif // AENET_RUNTIME_ERRORS_H
