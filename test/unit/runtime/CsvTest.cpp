//===- CsvTest.cpp - Samples and sequences from CSV files -----------------===//
//
// Tests of the CSV reader on small files written here: what a row and a
// sequence become, the number syntax and line ends it accepts, padding and
// lengths, and the message of every kind of bad file (which must name the
// file and the line).
//
//===----------------------------------------------------------------------===//

#include "aenet/Runtime/Csv.h"
#include "aenet/Runtime/Errors.h"

#include "TempDir.h"

#include <gtest/gtest.h>

using namespace aenet::rt;
using aenet::test::messageOf;
using aenet::test::TempDir;
using aenet::test::writeFile;

namespace {

/// Writes |text| to a file in |dir| and reads it with |options|.
CsvData readText(const TempDir &dir, const std::string &text,
                 const CsvOptions &options) {
  writeFile(dir.file("data.csv"), text);
  return readCsv(dir.file("data.csv"), options);
}

/// The DataError message of reading |text| with |options|.
std::string errorOf(const TempDir &dir, const std::string &text,
                    const CsvOptions &options) {
  return messageOf<DataError>([&] { readText(dir, text, options); });
}

CsvOptions sequences(std::vector<int64_t> columns, int64_t sequence = 0) {
  CsvOptions options;
  options.columns = std::move(columns);
  options.sequence = sequence;
  options.header = true;
  return options;
}

TEST(CsvTest, RowsAreSamplesOfTheListedColumns) {
  TempDir dir;
  CsvOptions options;
  options.columns = {2, 0};
  CsvData data = readText(dir, "1,2,3\n4,5,6\n", options);
  EXPECT_EQ(data.features, 2);
  EXPECT_EQ(data.samples(), 2);
  EXPECT_EQ(data.values, (std::vector<float>{3, 1, 6, 4}));
  EXPECT_EQ(data.firstLines, (std::vector<int64_t>{1, 2}));
  Array rows = csvRows(data, 0.5, "x", "f.csv");
  EXPECT_EQ(rows.sampleShape, (std::vector<int64_t>{2}));
  EXPECT_EQ(rows.data, (std::vector<float>{1.5f, 0.5f, 3, 2}));
}

TEST(CsvTest, OmittedColumnsReadAllButTheSequenceColumn) {
  TempDir dir;
  CsvOptions options;
  EXPECT_EQ(readText(dir, "1,2,3\n", options).values,
            (std::vector<float>{1, 2, 3}));
  options.sequence = 1;
  EXPECT_EQ(readText(dir, "1,2,3\n", options).values,
            (std::vector<float>{1, 3}));
}

TEST(CsvTest, NumbersAsStrtodReadsThem) {
  TempDir dir;
  CsvOptions options;
  CsvData data =
      readText(dir, " 1e-3 ,-0.5,\t+2.25 ,\"7\",0x10,1e-50\n", options);
  EXPECT_EQ(data.values,
            (std::vector<float>{1e-3f, -0.5f, 2.25f, 7, 16, 0}));
}

TEST(CsvTest, CrlfHeaderBlankLinesAndNoFinalNewline) {
  TempDir dir;
  CsvOptions options;
  options.header = true;
  CsvData data = readText(dir, "a,b\r\n1,2\r\n\r\n3,4", options);
  EXPECT_EQ(data.values, (std::vector<float>{1, 2, 3, 4}));
  EXPECT_EQ(data.firstLines, (std::vector<int64_t>{2, 4}));
}

TEST(CsvTest, QuotedCellsMayHoldCommas) {
  TempDir dir;
  CsvOptions options;
  options.header = true;
  options.columns = {1};
  CsvData data =
      readText(dir, "\"name, full\",v\n\"Smith, \"\"J\"\"\",5\n", options);
  EXPECT_EQ(data.values, (std::vector<float>{5}));
}

TEST(CsvTest, ConsecutiveRowsOfOneIdFormASequence) {
  TempDir dir;
  CsvData data = readText(dir,
                          "id,t,v\n"
                          "7,0,1\n7,1,2\n7,2,3\n"
                          "car,0,4\n"
                          "9,0,5\n9,1,6\n",
                          sequences({2}));
  EXPECT_EQ(data.lengths, (std::vector<int64_t>{3, 1, 2}));
  EXPECT_EQ(data.ids, (std::vector<std::string>{"7", "car", "9"}));
  EXPECT_EQ(data.firstLines, (std::vector<int64_t>{2, 5, 6}));
  EXPECT_EQ(data.longest(), 3);
}

TEST(CsvTest, SequencesArePaddedWithZerosBesideTheirLengths) {
  TempDir dir;
  CsvData data = readText(dir, "id,a,b\n1,1,2\n1,3,4\n2,5,6\n",
                          sequences({1, 2}));
  auto [values, lengths] =
      csvSequences(data, 3, false, 1.0, "imu", "imu#length", "f.csv");
  EXPECT_EQ(values.sampleShape, (std::vector<int64_t>{3, 2}));
  EXPECT_EQ(values.data, (std::vector<float>{1, 2, 3, 4, 0, 0, //
                                             5, 6, 0, 0, 0, 0}));
  EXPECT_EQ(lengths.name, "imu#length");
  EXPECT_TRUE(lengths.sampleShape.empty());
  EXPECT_EQ(lengths.data, (std::vector<float>{2, 1}));
  EXPECT_EQ(lengths.count(), values.count());
}

TEST(CsvTest, LengthsStayWithTheirSequencesWhenShuffledAndSplit) {
  // Sequence i has i + 1 rows of the value i + 1, so a gathered sample shows
  // which sequence it is, and its length must be i + 1.
  TempDir dir;
  std::string text = "id,v\n";
  for (int i = 0; i < 9; ++i)
    for (int r = 0; r <= i; ++r)
      text += std::to_string(i) + "," + std::to_string(i + 1) + "\n";
  CsvData data = readText(dir, text, sequences({1}));
  auto [values, lengths] =
      csvSequences(data, 9, false, 1.0, "x", "x#length", "f.csv");
  Dataset set;
  set.add(std::move(values));
  set.add(std::move(lengths));
  Dataset part = set.split(0.3).first;
  std::vector<int64_t> order = part.epochOrder(true, 5, 1);
  std::vector<float> x(order.size() * 9), length(order.size());
  part.gatherBatch(order, 0, order.size(), 0, x.data());
  part.gatherBatch(order, 0, order.size(), 1, length.data());
  for (size_t i = 0; i < order.size(); ++i) {
    float id = x[i * 9];
    EXPECT_EQ(length[i], id) << "sample " << i;
    for (int t = 0; t < 9; ++t)
      EXPECT_EQ(x[i * 9 + t], t < id ? id : 0.0f) << "sample " << i;
  }
}

TEST(CsvTest, AFixedLengthNeedsEverySequenceToHaveIt) {
  TempDir dir;
  CsvData data = readText(dir, "id,a\n1,1\n1,2\n2,3\n2,4\n2,5\n",
                          sequences({1}));
  EXPECT_EQ(csvSequences(data, 3, false, 1.0, "x", "x#length", "f.csv")
                .first.count(),
            2);
  EXPECT_EQ(messageOf<DataError>([&] {
              csvSequences(data, 2, true, 1.0, "x", "x#length", "f.csv");
            }),
            "f.csv: line 4: sequence '2' has 3 rows, but 'x' takes exactly "
            "2 steps (declare its length '?' for sequences of any length)");
  EXPECT_EQ(messageOf<DataError>([&] {
              csvSequences(data, 3, true, 1.0, "x", "x#length", "f.csv");
            }),
            "f.csv: line 2: sequence '1' has 2 rows, but 'x' takes exactly "
            "3 steps (declare its length '?' for sequences of any length)");
}

TEST(CsvTest, RaggedRowNamesItsLine) {
  TempDir dir;
  CsvOptions options;
  options.header = true;
  EXPECT_EQ(errorOf(dir, "a,b,c\n1,2,3\n1,2\n", options),
            dir.file("data.csv") +
                ": line 3: has 2 cells, but line 1 (the header) has 3");
  options.header = false;
  EXPECT_EQ(errorOf(dir, "\n1,2,3\n1,2,3,4\n", options),
            dir.file("data.csv") + ": line 3: has 4 cells, but line 2 has 3");
}

TEST(CsvTest, NonNumericCellNamesItsColumn) {
  TempDir dir;
  EXPECT_EQ(errorOf(dir, "id,ax\n1,0.5\n1,fast\n", sequences({1})),
            dir.file("data.csv") +
                ": line 3: column 1 ('ax'): 'fast' is not a number");
  CsvOptions options;
  EXPECT_EQ(errorOf(dir, "1,,3\n", options),
            dir.file("data.csv") + ": line 1: column 1: is empty, not a "
                                   "number");
  EXPECT_EQ(errorOf(dir, "1,nan\n", options),
            dir.file("data.csv") +
                ": line 1: column 1: 'nan' is not a finite number");
  EXPECT_EQ(errorOf(dir, "1e39\n", options),
            dir.file("data.csv") + ": line 1: column 0: '1e39' is beyond the "
                                   "range of a 32-bit float");
}

TEST(CsvTest, ColumnOutOfRange) {
  TempDir dir;
  EXPECT_EQ(errorOf(dir, "id,a,b\n1,2,3\n", sequences({1, 3})),
            dir.file("data.csv") + ": line 1: column 3 is out of range: the "
                                   "row has 3 cells (columns 0 to 2)");
  EXPECT_EQ(errorOf(dir, "id,a,b\n1,2,3\n", sequences({1}, 5)),
            dir.file("data.csv") + ": line 1: sequence column 5 is out of "
                                   "range: the row has 3 cells (columns 0 "
                                   "to 2)");
}

TEST(CsvTest, SequenceIdThatComesBackNamesBothLines) {
  TempDir dir;
  EXPECT_EQ(errorOf(dir, "id,a\n7,1\n7,2\n8,3\n7,4\n", sequences({1})),
            dir.file("data.csv") +
                ": line 5: sequence id '7' appears again after other ids (it "
                "was last on line 3); the rows of a sequence must be "
                "consecutive");
}

TEST(CsvTest, EmptyFiles) {
  TempDir dir;
  CsvOptions options;
  EXPECT_EQ(errorOf(dir, "", options),
            dir.file("data.csv") + ": is empty: no rows to read");
  EXPECT_EQ(errorOf(dir, "\n \r\n", options),
            dir.file("data.csv") + ": is empty: no rows to read");
  options.header = true;
  EXPECT_EQ(errorOf(dir, "a,b\n", options),
            dir.file("data.csv") + ": has a header but no data rows");
}

TEST(CsvTest, GarbageIsADataErrorOrConsistentData) {
  // Fixed-seed random files over the characters that matter to the reader:
  // anything but a DataError escaping, or data whose sizes disagree, fails.
  TempDir dir;
  const std::string alphabet = "0123456789,,,\n\n\r\"\" .-+eE x";
  uint64_t state = 12345;
  auto next = [&] {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<size_t>(state >> 33);
  };
  for (int round = 0; round < 2000; ++round) {
    std::string text(next() % 60, ' ');
    for (char &c : text)
      c = alphabet[next() % alphabet.size()];
    CsvOptions options;
    options.header = next() % 2;
    options.sequence = static_cast<int64_t>(next() % 3) - 1;
    options.oneRowPerId = next() % 2;
    if (next() % 2)
      options.columns = {static_cast<int64_t>(next() % 3)};
    try {
      CsvData data = readText(dir, text, options);
      int64_t rows = 0;
      for (int64_t n : data.lengths) {
        ASSERT_GT(n, 0) << text;
        rows += n;
      }
      ASSERT_EQ(static_cast<int64_t>(data.values.size()),
                rows * data.features)
          << text;
      ASSERT_EQ(data.firstLines.size(), data.lengths.size()) << text;
      if (options.sequence >= 0)
        ASSERT_EQ(data.ids.size(), data.lengths.size()) << text;
      if (options.sequence >= 0 && options.oneRowPerId)
        ASSERT_EQ(rows, data.samples()) << text;
    } catch (const DataError &) {
    }
  }
}

TEST(CsvTest, MissingFile) {
  TempDir dir;
  EXPECT_EQ(messageOf<DataError>(
                [&] { readCsv(dir.file("none.csv"), CsvOptions()); }),
            dir.file("none.csv") + ": cannot open: No such file or directory");
}

} // namespace
