//===- Checkpoint.h - Named tensors in safetensors files --------*- C++ -*-===//
//
// Checkpoints use Hugging Face's safetensors format, so they load directly in
// Python (`safetensors.numpy.load_file`) and tools that read it:
//
//   8 bytes   N, the header length, unsigned little-endian
//   N bytes   JSON: {"<name>": {"dtype": "F32", "shape": [..],
//                                "data_offsets": [begin, end]}, ...,
//                    "__metadata__": {"key": "value", ...}}
//             padded with spaces to a multiple of 8
//   rest      the tensors' bytes, little-endian; offsets are relative to here
//
// Saving is atomic: the file is written beside the target, synced and
// renamed over it, so an interrupted save leaves the previous checkpoint.
// Only F32 tensors are read and written; every problem with a file is a
// CheckpointError naming the path.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_RUNTIME_CHECKPOINT_H
#define AENET_RUNTIME_CHECKPOINT_H

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace aenet::rt {

/// A float tensor with its name, e.g. "encoder.dense_1.kernel".
struct NamedTensor {
  std::string name;
  /// The dimensions; empty for a scalar.
  std::vector<int64_t> shape;
  /// The product of |shape| values, row-major.
  std::vector<float> data;
};

/// The contents of a safetensors file.
struct Checkpoint {
  /// The tensors in the order of their data in the file.
  std::vector<NamedTensor> tensors;
  /// The string pairs of the header's "__metadata__".
  std::map<std::string, std::string> metadata;

  /// The tensor called |name|, or null.
  const NamedTensor *find(const std::string &name) const;
};

/// Writes |tensors| and |metadata| to |path| atomically, tensors in the
/// given order. Throws CheckpointError (and leaves |path| untouched) if a
/// name is empty, repeated or "__metadata__", a tensor's data does not match
/// its shape, or the file cannot be written.
void saveSafetensors(const std::string &path,
                     const std::vector<NamedTensor> &tensors,
                     const std::map<std::string, std::string> &metadata);

/// Reads the safetensors file at |path|. Throws CheckpointError if the file
/// is missing or too short, the header length exceeds the file, the header
/// is not valid JSON of the expected form, a dtype is unknown or not F32,
/// data offsets are out of range or overlap, or a tensor's byte count does
/// not match its shape.
Checkpoint loadSafetensors(const std::string &path);

/// The safetensors file whose bytes are |bytes| (a file embedded in a
/// program), checked as loadSafetensors checks one; errors name |source|.
Checkpoint parseSafetensors(std::string_view bytes, const std::string &source);

/// The "__metadata__" of the safetensors file at |path|, read from its
/// header alone (the tensors are not read). Throws CheckpointError for a
/// header loadSafetensors refuses.
std::map<std::string, std::string>
loadSafetensorsMetadata(const std::string &path);

} // namespace aenet::rt

#endif // AENET_RUNTIME_CHECKPOINT_H
