//===- Csv.h - Samples and sequences from CSV files -------------*- C++ -*-===//
//
// A CSV source yields one sample per row, or, with a sequence column, one
// sample per run of consecutive rows that share that column's value (a
// sensor recording of variable length). Sequences of different lengths are
// stored padded with zeros to a common number of steps, beside an array of
// their real lengths, so that batching, shuffling and splitting keep the two
// aligned like any other pair of arrays.
//
// Cells are separated by commas; a cell may be quoted ("a, b", "" for a
// quote). Numbers are read by strtod in the C locale (1e-3, -0.5, spaces
// around them allowed). Lines end in "\n" or "\r\n"; the last one may lack
// its end; blank lines are skipped. Every problem is a DataError naming the
// file and the 1-based line.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_RUNTIME_CSV_H
#define AENET_RUNTIME_CSV_H

#include "aenet/Runtime/Dataset.h"

#include <cstdint>
#include <string>
#include <vector>

namespace aenet::rt {

/// What to read from a CSV file.
struct CsvOptions {
  /// The 0-based columns to read, in this order; empty reads every column
  /// but the sequence column.
  std::vector<int64_t> columns;
  /// The column whose value groups consecutive rows into one sample, or -1
  /// for one sample per row. Its cells are compared as text.
  int64_t sequence = -1;
  /// Whether the first row names the columns instead of holding data.
  bool header = false;
  /// With a sequence column: each row is a sample of its own (the target of
  /// one sequence), so an id may have one row only.
  bool oneRowPerId = false;
};

/// The samples of a CSV file before any padding.
struct CsvData {
  /// Numbers read per row: the number of columns read.
  int64_t features = 0;
  /// Every data row's numbers, row after row.
  std::vector<float> values;
  /// The number of rows of each sample (all 1 without a sequence column).
  std::vector<int64_t> lengths;
  /// The 1-based line of each sample's first row.
  std::vector<int64_t> firstLines;
  /// Each sample's sequence id (empty without a sequence column).
  std::vector<std::string> ids;

  int64_t samples() const { return static_cast<int64_t>(lengths.size()); }
  /// The most rows of any sample (0 without samples).
  int64_t longest() const;
};

/// Reads |path|. Throws DataError naming the file and the line of the
/// problem: an empty file, a row with another number of cells than the
/// first, a column out of range, a cell that is not a finite number in
/// float's range (naming its column), a sequence id that comes back after
/// other ids, or, with `oneRowPerId`, an id's second row (naming both
/// lines).
CsvData readCsv(const std::string &path, const CsvOptions &options);

/// Throws DataError naming |otherPath| and the line of the first sample of
/// |other| whose sequence id is not the id of |reference|'s sample at the
/// same position (and that id and its line in |referencePath|): two files
/// of one data set, such as sequences and their targets, must list the same
/// sequences in the same order. Only the samples both have are compared;
/// different counts are the caller's to report.
void checkSameIds(const CsvData &reference, const std::string &referencePath,
                  const CsvData &other, const std::string &otherPath);

/// One sample of shape {features} per row of |data|, times |scale|.
Array csvRows(const CsvData &data, double scale, const std::string &name,
              const std::string &source);

/// The samples of |data| as sequences of |steps| rows of `features` values,
/// times |scale|, zeros after each sequence's end; and their lengths, one
/// float per sample, as the array |lengthsName|. Throws DataError naming
/// |source| and the sequence's first line when a sequence has more rows than
/// |steps| or, if |exact|, fewer.
std::pair<Array, Array> csvSequences(const CsvData &data, int64_t steps,
                                     bool exact, double scale,
                                     const std::string &name,
                                     const std::string &lengthsName,
                                     const std::string &source);

} // namespace aenet::rt

#endif // AENET_RUNTIME_CSV_H
