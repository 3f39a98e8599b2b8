//===- SampleFiles.h - Per-sample tensors in the file's format -*- C++ -*-===//
//
// `aec encode` writes codes and `aec decode` the codes decoded: tensors of
// one row per sample, for aec itself (safetensors, which `aec decode
// --codes` reads back), for NumPy (.npy) or for anything else (CSV). The
// output file's extension picks the format, as NumPy and pandas users
// expect; both commands check it before any work, so a misnamed file costs
// no run.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_LIB_DRIVER_SAMPLEFILES_H
#define AENET_LIB_DRIVER_SAMPLEFILES_H

#include "aenet/Runtime/Checkpoint.h"

#include <map>
#include <string>
#include <vector>

namespace aenet {

/// Whether |path| names a format writeSamples writes (.safetensors, .npy,
/// .csv). Prints `aec: error: PATH: |what| are written as ...` and returns
/// false otherwise.
bool checkSampleFormat(const std::string &path, const std::string &what);

/// Writes |values| (each [N, ...], the same N, at least one) and |labels|
/// (N classes, or empty) to |path| in the format of its extension:
///  - .safetensors: the tensors, then a `labels` tensor (F32), with
///    |metadata|;
///  - .npy: values[0] in |path|, each other value in `STEM.NAME.npy`, the
///    labels (int64) in `STEM.labels.npy`;
///  - .csv: a header row, then one row per sample: `NAME0, NAME1, ...` for
///    each value's numbers in order, then a `label` column.
/// Throws rt::OutputError when a file cannot be written.
void writeSamples(const std::string &path,
                  const std::vector<rt::NamedTensor> &values,
                  const std::vector<int64_t> &labels,
                  const std::map<std::string, std::string> &metadata);

} // namespace aenet

#endif // AENET_LIB_DRIVER_SAMPLEFILES_H
