//===- Encode.cpp - aec encode --------------------------------------------===//
//
// Writes the codes of the validation data (or of `--inputs`) in the format
// the output file's extension names: safetensors for aec itself (`aec
// decode --codes` reads it back), .npy for NumPy, .csv for anything else.
// Labels, when the data has them, go beside the codes: a `labels` tensor, a
// second .npy file, or a last `label` column.
//
//===----------------------------------------------------------------------===//

#include "Codes.h"

#include "aenet/Runtime/Errors.h"

#include <filesystem>
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

/// Writes |codes| to |path| in the format of its extension; throws
/// rt::OutputError.
void writeCodes(const std::string &path, const Codes &codes,
                const std::map<std::string, std::string> &metadata) {
  const rt::NamedTensor &v = codes.values;
  if (endsWith(path, ".npy")) {
    writeBytes(path, npyBytes(v.shape, v.data.data(),
                                           v.data.size() * sizeof(float),
                                           false));
    if (!codes.labels.empty())
      writeBytes(
          path.substr(0, path.size() - 4) + ".labels.npy",
          npyBytes({static_cast<int64_t>(codes.labels.size())},
                   codes.labels.data(), codes.labels.size() * sizeof(int64_t),
                   true));
    return;
  }
  if (endsWith(path, ".csv")) {
    int64_t n = v.shape[0], width = n ? v.data.size() / n : 0;
    std::ostringstream csv;
    csv.precision(9);
    for (int64_t j = 0; j < width; ++j)
      csv << (j ? "," : "") << v.name << j;
    if (!codes.labels.empty())
      csv << ",label";
    csv << '\n';
    for (int64_t i = 0; i < n; ++i) {
      for (int64_t j = 0; j < width; ++j)
        csv << (j ? "," : "") << v.data[i * width + j];
      if (!codes.labels.empty())
        csv << ',' << codes.labels[i];
      csv << '\n';
    }
    writeBytes(path, csv.str());
    return;
  }
  std::vector<rt::NamedTensor> tensors = {v};
  if (!codes.labels.empty())
    tensors.push_back({"labels",
                       {static_cast<int64_t>(codes.labels.size())},
                       std::vector<float>(codes.labels.begin(),
                                          codes.labels.end())});
  rt::saveSafetensors(path, tensors, metadata);
}

} // namespace

int runEncode(const SourceFile &file, const CheckedProgram &program,
              const RunOptions &options) {
  std::string out = options.outFile;
  if (!out.empty() && !endsWith(out, ".safetensors") &&
      !endsWith(out, ".npy") && !endsWith(out, ".csv")) {
    std::cerr << "aec: error: " << out
              << ": the codes are written as .safetensors, .npy or .csv; "
                 "name the file with one of those extensions\n";
    return 1;
  }
  RunSetup setup;
  if (!prepareData(file, program, options, setup))
    return 1;
  std::unique_ptr<Encoder> encoder =
      Encoder::create(file, setup, options, options.value);
  if (!encoder)
    return 1;
  const rt::Dataset &validation =
      setup.data.validation ? *setup.data.validation : setup.data.train;
  try {
    rt::Dataset given;
    if (!options.inputs.empty())
      given = readInputs(options.inputs, setup.data.train, setup.graph());
    const rt::Dataset &data = options.inputs.empty() ? validation : given;
    Codes codes = encoder->encode(data);
    // readInputs fills the inputs a file leaves out with zeros: no labels.
    if (!options.inputs.empty() && !codes.labels.empty() &&
        !rt::loadSafetensors(options.inputs).find(codes.labelName))
      codes.labels.clear();
    if (out.empty())
      out = setup.outDir + "/codes.safetensors";
    std::filesystem::path parent = std::filesystem::path(out).parent_path();
    if (!parent.empty())
      std::filesystem::create_directories(parent);
    writeCodes(out, codes,
               {{"model", setup.graph().name}, {"weights", options.weights}});
    std::cout << "Wrote " << out << " (" << thousands(data.size()) << " codes '"
              << encoder->valueName() << "' of "
              << codes.values.data.size() / std::max<int64_t>(1, data.size())
              << " values"
              << (codes.labels.empty()
                      ? std::string()
                      : ", labels from '" + codes.labelName + "'")
              << ")\n";
  } catch (const std::exception &e) {
    // rt::FileError names the file; filesystem_error the folder it could
    // not make.
    std::cerr << "aec: error: " << e.what() << '\n';
    return 1;
  }
  return 0;
}

} // namespace aenet
