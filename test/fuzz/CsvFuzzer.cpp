//===- CsvFuzzer.cpp - libFuzzer target for CSV files ---------------------===//
//
// Feeds arbitrary bytes to readCsv(), the reader of every `csv()` data
// source, with the options the language lets a source give, in turn:
// with and without a header; rows of every column, of listed columns (out
// of order, repeated, out of range); sequences grouped by a column, padded
// to a fixed length (exact, as for f32[T, F]) and to the longest sequence
// (as for f32[?, F]); and one row per id, as a targets file with the ids of
// its sequences, whose ids must match the grouped reading's. A DataError is
// the expected answer to a bad file; any other exception, crash, leak or
// undefined behaviour is a finding, and so is data that breaks what Csv.h
// promises about the samples and their padding. Built only when
// AEC_FUZZ_ONLY=ON (see test/fuzz/CMakeLists.txt, .ci/fuzz).
//
//===----------------------------------------------------------------------===//

#include "FuzzFile.h"

#include "aenet/Runtime/Csv.h"
#include "aenet/Runtime/Errors.h"

#include <cstdlib>
#include <numeric>

using namespace aenet::rt;

namespace {

/// Aborts unless |data| is consistent: one line and a positive length per
/// sample, an id per sample exactly when there is a sequence column, and
/// as many values as the samples' rows times the features.
void checkData(const CsvData &data, const CsvOptions &options) {
  int64_t rows = std::accumulate(data.lengths.begin(), data.lengths.end(),
                                 int64_t(0));
  bool grouped = options.sequence >= 0;
  if (data.samples() == 0 || data.features < 0 ||
      data.firstLines.size() != data.lengths.size() ||
      data.ids.size() != (grouped ? data.lengths.size() : 0) ||
      static_cast<int64_t>(data.values.size()) != rows * data.features)
    std::abort();
  if (!options.columns.empty() &&
      data.features != static_cast<int64_t>(options.columns.size()))
    std::abort();
  for (size_t s = 0; s < data.lengths.size(); ++s)
    if (data.lengths[s] < 1 ||
        ((!grouped || options.oneRowPerId) && data.lengths[s] != 1) ||
        data.firstLines[s] < 1 ||
        (s > 0 && data.firstLines[s] <= data.firstLines[s - 1]))
      std::abort();
}

/// Pads |data| to |steps| as csvSequences does for an input of that length
/// (|exact|) or of a `?` length, and aborts unless each sequence's values
/// and then zeros fill its steps and its length is recorded. A sequence of
/// another length may be refused with a DataError when |exact|.
void checkSequences(const CsvData &data, int64_t steps, bool exact) {
  std::pair<Array, Array> padded;
  try {
    padded = csvSequences(data, steps, exact, 0.5, "x", "x.lengths", "f.csv");
  } catch (const DataError &) {
    if (!exact)
      std::abort(); // steps is the longest sequence: every one fits
    return;
  }
  const Array &values = padded.first, &lengths = padded.second;
  int64_t width = steps * data.features;
  if (values.sampleShape != std::vector<int64_t>{steps, data.features} ||
      static_cast<int64_t>(values.data.size()) != data.samples() * width ||
      static_cast<int64_t>(lengths.data.size()) != data.samples())
    std::abort();
  const float *row = data.values.data();
  for (int64_t s = 0; s < data.samples(); ++s) {
    int64_t length = data.lengths[s];
    if (lengths.data[s] != static_cast<float>(length))
      std::abort();
    const float *out = values.data.data() + s * width;
    for (int64_t i = 0; i < width; ++i)
      if (out[i] != (i < length * data.features
                         ? static_cast<float>(row[i] * 0.5)
                         : 0.0f))
        std::abort();
    row += length * data.features;
  }
}

/// Reads |path| with |options|; true if it read (then checked).
bool readAndCheck(const std::string &path, const CsvOptions &options,
                  CsvData &data) {
  try {
    data = readCsv(path, options);
  } catch (const DataError &) {
    return false;
  }
  checkData(data, options);
  return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const std::string input = aenet::fuzz::scratchPath("in.csv");
  aenet::fuzz::writeInput(input, data, size);
  // Rows of `columns = [...]`: none (all), reordered, repeated, and one
  // past any small file. Sequences grouped by the first, second or third
  // column, reading the others, the ones around it, or itself as well.
  const std::vector<std::vector<int64_t>> rowColumns = {
      {}, {1, 0}, {0, 0}, {int64_t(1) << 40}};
  const std::pair<int64_t, std::vector<int64_t>> sequenceColumns[] = {
      {0, {}}, {1, {0, 2}}, {2, {2, 1}}};
  for (bool header : {false, true}) {
    for (const std::vector<int64_t> &columns : rowColumns) {
      CsvData rows;
      if (readAndCheck(input, {columns, -1, header}, rows)) {
        Array array = csvRows(rows, 1.0 / 255, "x", input);
        if (array.sampleShape != std::vector<int64_t>{rows.features} ||
            array.data.size() != rows.values.size())
          std::abort();
      }
    }
    CsvData first;
    bool haveFirst = false;
    for (const auto &[sequence, columns] : sequenceColumns) {
      CsvData sequences;
      if (!readAndCheck(input, {columns, sequence, header}, sequences))
        continue;
      if (sequence == 0) {
        first = sequences;
        haveFirst = true;
      }
      // f32[?, F]: the longest sequence; f32[T, F]: the first one's length,
      // which fits exactly when all are as long; and a short T.
      checkSequences(sequences, sequences.longest(), /*exact=*/false);
      checkSequences(sequences, sequences.lengths[0], /*exact=*/true);
      checkSequences(sequences, 2, /*exact=*/true);
    }
    // The same file as the targets of its sequences: one row per id. Ids
    // that are all distinct group into one-row sequences with those ids, so
    // the two reads must agree.
    CsvData targets;
    if (readAndCheck(input, {{1}, 0, header, /*oneRowPerId=*/true}, targets) &&
        haveFirst) {
      if (targets.samples() != first.samples())
        std::abort();
      checkSameIds(first, input, targets, input); // any DataError is a finding
    }
  }
  return 0;
}
