//===- Csv.cpp - Samples and sequences from CSV files ---------------------===//
//
// One pass over the file's text: the first row fixes the number of cells
// (and, with a header, the column names the messages use), every later row
// must have as many. Only the columns read and the sequence column are
// looked at, so a file may carry text columns (names, dates) it does not
// feed. Sequence ids are compared as text, so "7" and "07" are two ids, and
// ids need not be numbers. A file of one row per sequence (the targets) may
// carry the ids too, so that a run checks they are the sequences' own
// instead of trusting that two files agree on their order.
//
//===----------------------------------------------------------------------===//

#include "aenet/Runtime/Csv.h"

#include "aenet/Runtime/Errors.h"
#include "aenet/Runtime/InputFile.h"

#include <algorithm>
#include <cerrno>
#include <cfloat>
#include <cmath>
#include <cstdlib>
#include <string_view>
#include <unordered_map>

namespace aenet::rt {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

/// The cells of |line|, each trimmed; a quoted cell may hold commas, and ""
/// inside quotes is one quote.
std::vector<std::string> splitCells(std::string_view line) {
  std::vector<std::string> cells;
  std::string cell;
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c != '"')
        cell += c;
      else if (i + 1 < line.size() && line[i + 1] == '"')
        cell += line[++i];
      else
        quoted = false;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      cells.emplace_back(trim(cell));
      cell.clear();
    } else {
      cell += c;
    }
  }
  cells.emplace_back(trim(cell));
  return cells;
}

/// Why |cell| is not a number a float holds, or empty when it is one (then
/// stored in |out|).
std::string readNumber(const std::string &cell, float &out) {
  if (cell.empty())
    return "is empty, not a number";
  errno = 0;
  char *end = nullptr;
  double value = std::strtod(cell.c_str(), &end);
  if (end != cell.c_str() + cell.size())
    return "'" + cell + "' is not a number";
  if (!std::isfinite(value))
    return "'" + cell + "' is not a finite number";
  if (std::fabs(value) > FLT_MAX)
    return "'" + cell + "' is beyond the range of a 32-bit float";
  out = static_cast<float>(value);
  return {};
}

/// Reads the rows of one file into a CsvData.
class CsvReader {
public:
  CsvReader(const std::string &path, const CsvOptions &options)
      : path_(path), options_(options) {}

  CsvData read();

private:
  [[noreturn]] void fail(int64_t line, const std::string &problem) {
    throw DataError(path_, "line " + std::to_string(line) + ": " + problem);
  }
  /// "column 3 ('ax')" with a header, else "column 3".
  std::string columnName(int64_t column) const;
  /// Fixes the row width and the columns to read from the first row.
  void setWidth(const std::vector<std::string> &cells, int64_t line);
  void addRow(const std::vector<std::string> &cells, int64_t line);
  /// Whether the row of |id| on |line| starts a new sample; throws when the
  /// id cannot come back there.
  bool startsSample(const std::string &id, int64_t line);

  const std::string &path_;
  const CsvOptions &options_;
  std::vector<std::string> names_;
  std::vector<int64_t> columns_;
  int64_t width_ = -1, widthLine_ = 0;
  /// The line each finished sequence id was last seen on (with
  /// `oneRowPerId`, the line of every id seen).
  std::unordered_map<std::string, int64_t> finished_;
  int64_t lastLine_ = 0;
  CsvData data_;
};

std::string CsvReader::columnName(int64_t column) const {
  std::string text = "column " + std::to_string(column);
  if (column < static_cast<int64_t>(names_.size()) && !names_[column].empty())
    text += " ('" + names_[column] + "')";
  return text;
}

void CsvReader::setWidth(const std::vector<std::string> &cells, int64_t line) {
  width_ = static_cast<int64_t>(cells.size());
  widthLine_ = line;
  auto check = [&](int64_t column, const char *what) {
    if (column >= width_)
      fail(line, std::string(what) + " " + std::to_string(column) +
                     " is out of range: the row has " +
                     std::to_string(width_) + " cells (columns 0 to " +
                     std::to_string(width_ - 1) + ")");
  };
  if (options_.sequence >= 0)
    check(options_.sequence, "sequence column");
  for (int64_t column : options_.columns)
    check(column, "column");
  columns_ = options_.columns;
  if (columns_.empty())
    for (int64_t c = 0; c < width_; ++c)
      if (c != options_.sequence)
        columns_.push_back(c);
  data_.features = static_cast<int64_t>(columns_.size());
}

void CsvReader::addRow(const std::vector<std::string> &cells, int64_t line) {
  if (static_cast<int64_t>(cells.size()) != width_)
    fail(line, "has " + std::to_string(cells.size()) + " cells, but line " +
                   std::to_string(widthLine_) +
                   (options_.header ? " (the header)" : "") + " has " +
                   std::to_string(width_));
  for (int64_t column : columns_) {
    float value = 0;
    std::string problem = readNumber(cells[column], value);
    if (!problem.empty())
      fail(line, columnName(column) + ": " + problem);
    data_.values.push_back(value);
  }
  bool starts = options_.sequence < 0 ||
                startsSample(cells[options_.sequence], line);
  if (starts) {
    data_.lengths.push_back(1);
    data_.firstLines.push_back(line);
  } else {
    ++data_.lengths.back();
  }
  lastLine_ = line;
}

bool CsvReader::startsSample(const std::string &id, int64_t line) {
  if (options_.oneRowPerId) {
    auto [seen, added] = finished_.emplace(id, line);
    if (!added)
      fail(line, "sequence id '" + id + "' has a second row (its first is "
                 "line " + std::to_string(seen->second) +
                     "); a sample that is not a sequence has one row per id");
    data_.ids.push_back(id);
    return true;
  }
  if (!data_.ids.empty() && data_.ids.back() == id)
    return false;
  if (!data_.ids.empty())
    finished_[data_.ids.back()] = lastLine_;
  auto seen = finished_.find(id);
  if (seen != finished_.end())
    fail(line, "sequence id '" + id + "' appears again after other "
               "ids (it was last on line " +
                   std::to_string(seen->second) +
                   "); the rows of a sequence must be consecutive");
  data_.ids.push_back(id);
  return true;
}

CsvData CsvReader::read() {
  std::string text = readDataFile(path_);
  std::string_view rest = text;
  bool headerPending = options_.header;
  for (int64_t line = 1; !rest.empty(); ++line) {
    size_t end = rest.find('\n');
    std::string_view row = rest.substr(0, end);
    rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
    if (!row.empty() && row.back() == '\r')
      row.remove_suffix(1);
    if (trim(row).empty())
      continue;
    std::vector<std::string> cells = splitCells(row);
    if (headerPending) {
      names_ = cells;
      setWidth(cells, line);
      headerPending = false;
      continue;
    }
    if (width_ < 0)
      setWidth(cells, line);
    addRow(cells, line);
  }
  if (data_.lengths.empty())
    throw DataError(path_, width_ < 0 ? "is empty: no rows to read"
                                      : "has a header but no data rows");
  return std::move(data_);
}

} // namespace

int64_t CsvData::longest() const {
  int64_t most = 0;
  for (int64_t n : lengths)
    most = std::max(most, n);
  return most;
}

CsvData readCsv(const std::string &path, const CsvOptions &options) {
  return CsvReader(path, options).read();
}

void checkSameIds(const CsvData &reference, const std::string &referencePath,
                  const CsvData &other, const std::string &otherPath) {
  size_t common = std::min(reference.ids.size(), other.ids.size());
  for (size_t s = 0; s < common; ++s)
    if (other.ids[s] != reference.ids[s])
      throw DataError(otherPath,
                      "line " + std::to_string(other.firstLines[s]) +
                          ": sequence id '" + other.ids[s] + "' where " +
                          referencePath + " has '" + reference.ids[s] +
                          "' (its line " +
                          std::to_string(reference.firstLines[s]) +
                          "); the two files must list the same sequences "
                          "in the same order");
}

Array csvRows(const CsvData &data, double scale, const std::string &name,
              const std::string &source) {
  Array array{name, {data.features}, {}, source};
  array.data.reserve(data.values.size());
  for (float v : data.values)
    array.data.push_back(static_cast<float>(v * scale));
  return array;
}

std::pair<Array, Array> csvSequences(const CsvData &data, int64_t steps,
                                     bool exact, double scale,
                                     const std::string &name,
                                     const std::string &lengthsName,
                                     const std::string &source) {
  Array values{name, {steps, data.features}, {}, source};
  Array lengths{lengthsName, {}, {}, source};
  values.data.assign(
      static_cast<size_t>(data.samples() * steps * data.features), 0.0f);
  lengths.data.reserve(static_cast<size_t>(data.samples()));
  const float *row = data.values.data();
  for (int64_t s = 0; s < data.samples(); ++s) {
    int64_t length = data.lengths[s];
    if (length > steps || (exact && length < steps))
      throw DataError(
          source, "line " + std::to_string(data.firstLines[s]) +
                      ": sequence '" + data.ids[s] + "' has " +
                      std::to_string(length) + " rows, but '" + name +
                      "' takes " + (exact ? "exactly " : "at most ") +
                      std::to_string(steps) + " steps" +
                      (exact ? " (declare its length '?' for sequences of "
                               "any length)"
                             : ""));
    float *out = values.data.data() + s * steps * data.features;
    for (int64_t i = 0; i < length * data.features; ++i)
      out[i] = static_cast<float>(row[i] * scale);
    row += length * data.features;
    lengths.data.push_back(static_cast<float>(length));
  }
  return {std::move(values), std::move(lengths)};
}

} // namespace aenet::rt
