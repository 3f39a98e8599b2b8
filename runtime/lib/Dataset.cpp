//===- Dataset.cpp - Arrays of samples, shuffling and batching ------------===//
//
// Conversions from IDX arrays, one-hot windows of symbol sequences, the
// sample-count invariant, Keras-style validation splits, per-epoch
// permutations and batch gathering.
//
//===----------------------------------------------------------------------===//

#include "aenet/Runtime/Dataset.h"

#include "aenet/Runtime/Errors.h"
#include "aenet/Runtime/Idx.h"
#include "aenet/Runtime/Random.h"

#include <cassert>
#include <cmath>
#include <algorithm>
#include <cstring>
#include <numeric>

namespace aenet::rt {

namespace {

/// The messages' name for |array|: "'x' (from /d/train.gz)".
std::string label(const Array &array) {
  std::string text = "'" + array.name + "'";
  if (!array.source.empty())
    text += " (from " + array.source + ")";
  return text;
}

/// The message's name of |array|'s file, or of the array.
const std::string &origin(const Array &array) {
  return array.source.empty() ? array.name : array.source;
}

} // namespace

Array Array::slice(int64_t begin, int64_t end) const {
  assert(begin >= 0 && begin <= end && end <= count() && "not a slice");
  Array part{name, sampleShape, {}, source};
  part.symbols = symbols;
  if (isWindows()) {
    part.starts.assign(starts.begin() + begin, starts.begin() + end);
    return part;
  }
  int64_t size = sampleSize();
  part.data.assign(data.begin() + begin * size, data.begin() + end * size);
  return part;
}

int64_t Array::sampleSize() const {
  return std::accumulate(sampleShape.begin(), sampleShape.end(), int64_t(1),
                         [](int64_t a, int64_t b) { return a * b; });
}

int64_t Array::count() const {
  if (isWindows())
    return static_cast<int64_t>(starts.size());
  int64_t size = sampleSize();
  return size == 0 ? 0 : static_cast<int64_t>(data.size()) / size;
}

Array fromIdxImages(const IdxArray &idx, double scale, const std::string &name,
                    const std::string &source) {
  assert(!idx.dims.empty() && "readIdx never returns a rank-0 array");
  Array array{name, {idx.dims.begin() + 1, idx.dims.end()}, {}, source};
  array.data.resize(idx.data.size());
  for (size_t i = 0; i < idx.data.size(); ++i)
    array.data[i] = static_cast<float>(idx.data[i] * scale);
  return array;
}

Array fromIdxLabelsOneHot(const IdxArray &idx, int64_t classes,
                          const std::string &name, const std::string &source) {
  if (idx.dims.size() != 1)
    throw DataError(source, "labels must be 1-D, but the file has " +
                                std::to_string(idx.dims.size()) +
                                " dimensions");
  Array array{name, {classes}, {}, source};
  array.data.assign(idx.data.size() * static_cast<size_t>(classes), 0.0f);
  for (size_t i = 0; i < idx.data.size(); ++i) {
    if (idx.data[i] >= classes)
      throw DataError(source, "label " + std::to_string(idx.data[i]) +
                                  " of sample " + std::to_string(i) +
                                  " is not below the " +
                                  std::to_string(classes) + " classes of '" +
                                  name + "'");
    array.data[i * classes + idx.data[i]] = 1.0f;
  }
  return array;
}

Array oneHotWindows(std::shared_ptr<const std::vector<int32_t>> symbols,
                    std::vector<int64_t> starts,
                    std::vector<int64_t> sampleShape, const std::string &name,
                    const std::string &source) {
  assert(symbols && !sampleShape.empty() && sampleShape.back() > 0 &&
         "windows need symbols and a one-hot width");
  Array array{name, std::move(sampleShape), {}, source};
  array.symbols = std::move(symbols);
  array.starts = std::move(starts);
  int64_t slots = array.sampleShape.back();
  int64_t rows = array.sampleSize() / slots;
  auto length = static_cast<int64_t>(array.symbols->size());
  for (int64_t start : array.starts)
    if (start < 0 || start > length - rows)
      throw DataError(source, "a window of " + std::to_string(rows) +
                                  " characters at " + std::to_string(start) +
                                  " reaches past the " +
                                  std::to_string(length) + " characters");
  for (int32_t symbol : *array.symbols)
    if (symbol < 0 || symbol >= slots)
      throw DataError(source, "symbol " + std::to_string(symbol) +
                                  " is not below the " +
                                  std::to_string(slots) + " slots of '" +
                                  name + "'");
  return array;
}

void Dataset::add(Array array) {
  if (!array.isWindows() && array.sampleSize() > 0 &&
      array.data.size() % static_cast<size_t>(array.sampleSize()) != 0)
    throw DataError(origin(array),
                    "array " + label(array) + " has " +
                        std::to_string(array.data.size()) +
                        " values, not a whole number of samples");
  if (!members.empty() && array.count() != size())
    throw DataError(origin(array),
                    "array " + label(array) + " has " +
                        std::to_string(array.count()) + " samples but " +
                        label(members.front()) + " has " +
                        std::to_string(size()));
  members.push_back(std::move(array));
}

int64_t Dataset::size() const {
  return members.empty() ? 0 : members.front().count();
}

int Dataset::findArray(const std::string &name) const {
  for (size_t i = 0; i < members.size(); ++i)
    if (members[i].name == name)
      return static_cast<int>(i);
  return -1;
}

std::pair<Dataset, Dataset> Dataset::split(double fraction) const {
  assert(fraction >= 0.0 && fraction <= 1.0 && "not a fraction");
  auto at = static_cast<int64_t>(
      std::floor(static_cast<double>(size()) * (1.0 - fraction)));
  std::pair<Dataset, Dataset> parts;
  for (const Array &array : members) {
    parts.first.members.push_back(array.slice(0, at));
    parts.second.members.push_back(array.slice(at, size()));
  }
  return parts;
}

std::vector<int64_t> Dataset::epochOrder(bool shuffle, uint64_t seed,
                                         int64_t epoch) const {
  std::vector<int64_t> order(static_cast<size_t>(size()));
  std::iota(order.begin(), order.end(), int64_t(0));
  if (!shuffle)
    return order;
  Rng rng(mixSeed(seed, static_cast<uint64_t>(epoch)));
  for (size_t i = order.size(); i > 1; --i)
    std::swap(order[i - 1], order[rng.below(i)]);
  return order;
}

void Dataset::gatherBatch(const std::vector<int64_t> &order, int64_t begin,
                          int64_t end, int arrayIndex, float *dst) const {
  assert(arrayIndex >= 0 && arrayIndex < static_cast<int>(members.size()));
  assert(begin >= 0 && begin <= end &&
         end <= static_cast<int64_t>(order.size()) && "batch out of range");
  const Array &array = members[static_cast<size_t>(arrayIndex)];
  int64_t size = array.sampleSize();
  if (array.isWindows()) {
    // One-hot rows, set here so that only a batch is ever expanded.
    int64_t slots = array.sampleShape.back();
    int64_t rows = size / slots;
    std::fill(dst, dst + (end - begin) * size, 0.0f);
    for (int64_t i = begin; i < end; ++i) {
      int64_t sample = order[static_cast<size_t>(i)];
      assert(sample >= 0 && sample < array.count() && "sample out of range");
      const int32_t *window = array.symbols->data() + array.starts[sample];
      float *rowsOut = dst + (i - begin) * size;
      for (int64_t r = 0; r < rows; ++r)
        rowsOut[r * slots + window[r]] = 1.0f;
    }
    return;
  }
  for (int64_t i = begin; i < end; ++i) {
    int64_t sample = order[static_cast<size_t>(i)];
    assert(sample >= 0 && sample < array.count() && "sample out of range");
    std::memcpy(dst + (i - begin) * size, array.data.data() + sample * size,
                static_cast<size_t>(size) * sizeof(float));
  }
}

int64_t Dataset::batchCount(int64_t batchSize) const {
  assert(batchSize > 0 && "empty batches");
  return (size() + batchSize - 1) / batchSize;
}

} // namespace aenet::rt
