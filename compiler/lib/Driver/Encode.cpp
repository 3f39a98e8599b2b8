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
#include "SampleFiles.h"

#include "aenet/Runtime/Errors.h"

#include <filesystem>
#include <iostream>

namespace aenet {

int runEncode(const SourceFile &file, const CheckedProgram &program,
              const RunOptions &options) {
  std::string out = options.outFile;
  if (!out.empty() && !checkSampleFormat(out, "the codes"))
    return 1;
  // The samples of --inputs are all encode reads then: the training data
  // need not exist.
  RunSetup setup;
  rt::Dataset given;
  if (options.inputs.empty()) {
    if (!prepareData(file, program, options, setup))
      return 1;
  } else {
    if (!prepareWithoutData(file, program, options, setup))
      return 1;
    try {
      given = readInputs(options.inputs, inputArrays(setup), setup.graph());
    } catch (const rt::FileError &e) {
      std::cerr << "aec: error: " << e.what() << '\n';
      return 1;
    }
    capBatch(setup, given.size());
  }
  std::unique_ptr<Encoder> encoder =
      Encoder::create(file, setup, options, options.value);
  if (!encoder)
    return 1;
  const rt::Dataset &validation =
      setup.data.validation ? *setup.data.validation : setup.data.train;
  try {
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
    writeSamples(out, {codes.values}, codes.labels,
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
