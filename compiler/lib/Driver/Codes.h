//===- Codes.h - A trained model's codes of a data set ----------*- C++ -*-===//
//
// What an autoencoder is trained for: the code of each sample, the value
// its `encoder` block ends with (or any value named with `--value`). `aec
// encode` writes them, `aec probe` trains a linear SVM on them. An Encoder
// compiles only the layers from the inputs to that value (SubModel.h), so
// no loss, decoder or head runs; a VAE's `sample_normal` gives its mean in
// inference, so a VAE's codes are mu (draws of z with `--sample`).
//
// Typical use (prepareData loads the model's data without compiling it):
//
//   RunSetup setup;
//   if (!prepareData(file, program, options, setup)) return 1;
//   auto encoder = Encoder::create(file, setup, options, valueName);
//   if (!encoder) return 1;
//   Codes train = encoder->encode(setup.data.train);  // throws rt::FileError
//
//===----------------------------------------------------------------------===//

#ifndef AENET_LIB_DRIVER_CODES_H
#define AENET_LIB_DRIVER_CODES_H

#include "SubModel.h"

#include <optional>

namespace aenet {

/// The codes of the samples of a data set, in data order.
struct Codes {
  /// [N, code shape], named as the value (e.g. `code`).
  rt::NamedTensor values;
  /// Per sample, its class (0 .. classes - 1), when the data has labels: a
  /// `class[N]` input of the model that the codes are not made from (the
  /// first such). Empty otherwise.
  std::vector<int64_t> labels;
  std::string labelName; ///< that input's name, or empty
  int64_t classes = 0;   ///< its number of classes, or 0
};

class Encoder {
public:
  /// The encoder of |setup|'s model (prepared by prepareData or
  /// prepareWithoutData), weights from |options.weights|, making the value
  /// |value|: empty for the value the model's `encoder` block ends with.
  /// Prints `aec: error: FILE: ...` and returns null when the model has no
  /// encoder block, names no such value (or an input), the weights do not
  /// load, or |options.sample| asks for draws where no `sample_normal`
  /// layer makes the value. |setup| must outlive it.
  static std::unique_ptr<Encoder> create(const SourceFile &file,
                                         const RunSetup &setup,
                                         const RunOptions &options,
                                         const std::string &value = "");

  /// The codes of every sample of |data| (arrays named as the model's
  /// inputs, as setup.data's are). Throws rt::FileError.
  Codes encode(const rt::Dataset &data);

  /// The value the codes are (an index into the model's values).
  int value() const { return value_; }
  const std::string &valueName() const;

private:
  std::unique_ptr<SubModel> sub_;
  int value_ = -1;
};

/// The inputs of |graph| that the layers making value |v| read, in the
/// order the model declares them.
std::vector<int> inputsRead(const ModelGraph &graph, int v);

/// The labels of |data| as Codes holds them (labels, labelName, classes):
/// the classes of the first `class[N]` input of |graph| that |data| holds
/// and that is not in |exclude|. Leaves |codes|' labels empty without one.
void readLabels(const ModelGraph &graph, const rt::Dataset &data,
                const std::vector<int> &exclude, Codes &codes);

} // namespace aenet

#endif // AENET_LIB_DRIVER_CODES_H
