//===- Dataset.h - Arrays of samples, shuffling and batching ----*- C++ -*-===//
//
// A data set is a few arrays with the same number of samples: the images, the
// labels, a target sequence. An array holds its samples either contiguously
// as floats (IDX bytes times a scale, or one-hot labels), or as windows of a
// shared sequence of symbol indices (a text), expanded one-hot only when a
// batch is gathered: a word list of a million characters cut into windows of
// 40 at every character would otherwise take 40 x V floats per character.
// The host loop asks for an epoch's order, a permutation that depends only
// on (seed, epoch), and gathers each batch of that order into a contiguous
// buffer; the last batch of an epoch may be partial, as in Keras.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_RUNTIME_DATASET_H
#define AENET_RUNTIME_DATASET_H

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace aenet::rt {

struct IdxArray;

/// Samples of one shape: stored one after another in |data|, or, when
/// |symbols| is set, one-hot windows of a shared symbol sequence.
struct Array {
  Array() = default;
  /// Samples stored in |data|, as `Array{name, shape, data, source}`.
  Array(std::string name, std::vector<int64_t> sampleShape,
        std::vector<float> data = {}, std::string source = {})
      : name(std::move(name)), sampleShape(std::move(sampleShape)),
        data(std::move(data)), source(std::move(source)) {}

  /// The name the model knows it by, e.g. "x".
  std::string name;
  /// The shape of one sample, e.g. {1, 28, 28}; empty for scalars.
  std::vector<int64_t> sampleShape;
  /// count() * sampleSize() values (empty for windows).
  std::vector<float> data;
  /// Where the samples came from (a file path), for messages; may be empty.
  std::string source;
  /// Windows only: the symbol indices, shared by every array cut from them.
  std::shared_ptr<const std::vector<int32_t>> symbols;
  /// Windows only: sample i is the one-hot rows (of sampleShape.back()
  /// values) of symbols[starts[i]], ... symbols[starts[i] + rows - 1], with
  /// rows = sampleSize() / sampleShape.back().
  std::vector<int64_t> starts;

  /// The number of values in one sample: the product of |sampleShape|.
  int64_t sampleSize() const;
  /// The number of samples.
  int64_t count() const;
  /// Whether the samples are windows of |symbols|.
  bool isWindows() const { return symbols != nullptr; }
  /// The samples [begin, end), under the same name and source (windows
  /// share the symbols).
  Array slice(int64_t begin, int64_t end) const;
};

/// The images of |idx| times |scale|: dims[0] samples of shape dims[1..].
Array fromIdxImages(const IdxArray &idx, double scale, const std::string &name,
                    const std::string &source = "");

/// The labels of the 1-D |idx| as one-hot rows of |classes| values. Throws
/// DataError naming |source| and the sample index if a label is not below
/// |classes|.
Array fromIdxLabelsOneHot(const IdxArray &idx, int64_t classes,
                          const std::string &name, const std::string &source);

/// Windows of |symbols| one-hot over |slots| values: sample i is the
/// |rows| symbols from |starts|[i], shaped |sampleShape| (whose last extent
/// is |slots| and whose size is rows * slots). Throws DataError naming
/// |source| if a window reaches past the symbols or a symbol is not below
/// |slots|.
Array oneHotWindows(std::shared_ptr<const std::vector<int32_t>> symbols,
                    std::vector<int64_t> starts,
                    std::vector<int64_t> sampleShape, const std::string &name,
                    const std::string &source);

/// Arrays of the same sample count, with epoch orders and batch gathering.
class Dataset {
public:
  /// Adds |array|; throws DataError naming both arrays if its sample count
  /// differs from the arrays already added.
  void add(Array array);

  /// The number of samples (0 if there are no arrays).
  int64_t size() const;
  /// The arrays, in the order they were added.
  const std::vector<Array> &arrays() const { return members; }
  /// The index of the array called |name|, or -1.
  int findArray(const std::string &name) const;

  /// Splits off the last |fraction| of the samples, as Keras's
  /// validation_split does: the first floor(size * (1 - fraction)) samples
  /// form the first part, the rest the second.
  std::pair<Dataset, Dataset> split(double fraction) const;

  /// The order of the samples in epoch |epoch|: the identity if !|shuffle|,
  /// otherwise a Fisher-Yates permutation drawn from Rng(mixSeed(seed,
  /// epoch)), identical on every platform.
  std::vector<int64_t> epochOrder(bool shuffle, uint64_t seed,
                                  int64_t epoch) const;

  /// Copies the samples order[begin..end) of array |arrayIndex| to |dst|,
  /// one after another; |dst| holds (end - begin) * sampleSize() floats.
  void gatherBatch(const std::vector<int64_t> &order, int64_t begin,
                   int64_t end, int arrayIndex, float *dst) const;

  /// The number of batches of |batchSize| in an epoch, counting the last,
  /// partial one.
  int64_t batchCount(int64_t batchSize) const;

private:
  std::vector<Array> members;
};

} // namespace aenet::rt

#endif // AENET_RUNTIME_DATASET_H
