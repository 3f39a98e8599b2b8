//===- SampleFiles.cpp - Per-sample tensors in the file's format ----------===//
//
// The .npy files are version 1.0 (NumPy reads them with np.load, no
// pickle); a file holds one array, so the tensors besides the first go to
// files named after them beside it. CSV numbers keep 9 significant digits,
// enough to give an f32 back exactly.
//
//===----------------------------------------------------------------------===//

#include "SampleFiles.h"

#include "aenet/Runtime/Errors.h"

#include <fstream>
#include <iostream>
#include <sstream>

namespace aenet {

namespace {

/// Whether |path| ends with |suffix|.
bool endsWith(const std::string &path, const std::string &suffix) {
  return path.size() >= suffix.size() &&
         path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0;
}

/// Writes |bytes| to |path|; throws rt::OutputError.
void writeBytes(const std::string &path, const std::string &bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out)
    throw rt::OutputError(path, "cannot be written");
}

/// The bytes of a version 1.0 .npy file of |values| (float32, or int64
/// with |integers|) of shape |shape|, in C order.
std::string npyBytes(const std::vector<int64_t> &shape, const void *values,
                     size_t bytes, bool integers) {
  std::string dims;
  for (int64_t d : shape)
    dims += std::to_string(d) + ",";
  if (shape.size() > 1)
    dims.pop_back();
  std::string header = std::string("{'descr': '") +
                       (integers ? "<i8" : "<f4") +
                       "', 'fortran_order': False, 'shape': (" + dims +
                       "), }";
  // The magic, version and header length take 10 bytes; the header is
  // padded with spaces to a multiple of 64 and ends in a newline.
  size_t total = (10 + header.size() + 1 + 63) / 64 * 64;
  header.append(total - 10 - header.size() - 1, ' ');
  header += '\n';
  std::string out = "\x93NUMPY";
  out += '\x01';
  out += '\x00';
  out += static_cast<char>(header.size() & 0xff);
  out += static_cast<char>(header.size() >> 8);
  out += header;
  out.append(static_cast<const char *>(values), bytes);
  return out;
}

/// The .npy files: the first value in |path|, the rest beside it.
void writeNpy(const std::string &path,
              const std::vector<rt::NamedTensor> &values,
              const std::vector<int64_t> &labels) {
  std::string stem = path.substr(0, path.size() - 4);
  for (size_t k = 0; k < values.size(); ++k) {
    const rt::NamedTensor &v = values[k];
    writeBytes(k == 0 ? path : stem + "." + v.name + ".npy",
               npyBytes(v.shape, v.data.data(), v.data.size() * sizeof(float),
                        false));
  }
  if (!labels.empty())
    writeBytes(stem + ".labels.npy",
               npyBytes({static_cast<int64_t>(labels.size())}, labels.data(),
                        labels.size() * sizeof(int64_t), true));
}

/// One CSV row per sample: every value's numbers, then the label.
void writeCsv(const std::string &path,
              const std::vector<rt::NamedTensor> &values,
              const std::vector<int64_t> &labels) {
  int64_t n = values.front().shape[0];
  std::vector<int64_t> widths;
  for (const rt::NamedTensor &v : values)
    widths.push_back(n ? static_cast<int64_t>(v.data.size()) / n : 0);
  std::ostringstream csv;
  csv.precision(9);
  const char *separator = "";
  for (size_t k = 0; k < values.size(); ++k)
    for (int64_t j = 0; j < widths[k]; ++j, separator = ",")
      csv << separator << values[k].name << j;
  if (!labels.empty())
    csv << ",label";
  csv << '\n';
  for (int64_t i = 0; i < n; ++i) {
    separator = "";
    for (size_t k = 0; k < values.size(); ++k)
      for (int64_t j = 0; j < widths[k]; ++j, separator = ",")
        csv << separator << values[k].data[i * widths[k] + j];
    if (!labels.empty())
      csv << ',' << labels[i];
    csv << '\n';
  }
  writeBytes(path, csv.str());
}

} // namespace

bool checkSampleFormat(const std::string &path, const std::string &what) {
  if (endsWith(path, ".safetensors") || endsWith(path, ".npy") ||
      endsWith(path, ".csv"))
    return true;
  std::cerr << "aec: error: " << path << ": " << what
            << " are written as .safetensors, .npy or .csv; name the file "
               "with one of those extensions\n";
  return false;
}

void writeSamples(const std::string &path,
                  const std::vector<rt::NamedTensor> &values,
                  const std::vector<int64_t> &labels,
                  const std::map<std::string, std::string> &metadata) {
  if (endsWith(path, ".npy"))
    return writeNpy(path, values, labels);
  if (endsWith(path, ".csv"))
    return writeCsv(path, values, labels);
  std::vector<rt::NamedTensor> tensors = values;
  if (!labels.empty())
    tensors.push_back({"labels",
                       {static_cast<int64_t>(labels.size())},
                       std::vector<float>(labels.begin(), labels.end())});
  rt::saveSafetensors(path, tensors, metadata);
}

} // namespace aenet
