//===- CsvIdsTest.cpp - Sequence ids of targets files ---------------------===//
//
// Tests that a file of one row per sequence (the targets) can carry the
// sequence ids: each row stays a sample of its own, an id's second row is an
// error naming both lines, and two files of one data set whose ids differ at
// some position are an error naming that line in both files. Without ids a
// run could only check that the files have as many samples, and a targets
// file in another order would train silently on the wrong targets.
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

/// Writes |text| to |name| in |dir| and reads it with |options|.
CsvData readFileText(const TempDir &dir, const std::string &name,
                     const std::string &text, const CsvOptions &options) {
  writeFile(dir.file(name), text);
  return readCsv(dir.file(name), options);
}

/// Options of a headed file whose column 0 holds the sequence ids.
CsvOptions withIds(std::vector<int64_t> columns, bool oneRowPerId) {
  CsvOptions options;
  options.columns = std::move(columns);
  options.sequence = 0;
  options.header = true;
  options.oneRowPerId = oneRowPerId;
  return options;
}

/// The message of checking the ids of |targets| (one row per id) against
/// those of |sequences|, written as t.csv and s.csv in |dir|; "" when they
/// agree.
std::string idsError(const TempDir &dir, const std::string &sequences,
                     const std::string &targets) {
  CsvData reference =
      readFileText(dir, "s.csv", sequences, withIds({1}, false));
  CsvData other = readFileText(dir, "t.csv", targets, withIds({1}, true));
  try {
    checkSameIds(reference, dir.file("s.csv"), other, dir.file("t.csv"));
  } catch (const DataError &error) {
    return error.what();
  }
  return "";
}

/// The end of every message about ids that differ.
const std::string kSameOrder =
    "; the two files must list the same sequences in the same order";

TEST(CsvIdsTest, EachRowOfATargetsFileIsOneSampleWithItsId) {
  TempDir dir;
  CsvData data = readFileText(dir, "t.csv", "id,kmh\nd7,5.5\ncar,6\n9,7\n",
                              withIds({1}, true));
  EXPECT_EQ(data.features, 1);
  EXPECT_EQ(data.values, (std::vector<float>{5.5f, 6, 7}));
  EXPECT_EQ(data.lengths, (std::vector<int64_t>{1, 1, 1}));
  EXPECT_EQ(data.ids, (std::vector<std::string>{"d7", "car", "9"}));
  EXPECT_EQ(data.firstLines, (std::vector<int64_t>{2, 3, 4}));
}

TEST(CsvIdsTest, AnIdsSecondRowNamesBothLines) {
  // Consecutive rows of one id would form one sequence in a sequence file;
  // in a targets file they are a duplicate, as are rows far apart.
  TempDir dir;
  auto errorOf = [&](const std::string &text) {
    return messageOf<DataError>(
        [&] { readFileText(dir, "t.csv", text, withIds({1}, true)); });
  };
  const std::string oneRow =
      "; a sample that is not a sequence has one row per id";
  EXPECT_EQ(errorOf("id,kmh\n1,5\n2,6\n2,7\n"),
            dir.file("t.csv") + ": line 4: sequence id '2' has a second row "
                                "(its first is line 3)" +
                oneRow);
  EXPECT_EQ(errorOf("id,kmh\n1,5\n\n2,6\n3,7\n1,8\n"),
            dir.file("t.csv") + ": line 6: sequence id '1' has a second row "
                                "(its first is line 2)" +
                oneRow);
}

TEST(CsvIdsTest, SameIdsInTheSameOrderPass) {
  TempDir dir;
  EXPECT_EQ(idsError(dir, "id,v\na,1\na,2\nb,3\n", "id,y\na,0\nb,1\n"), "");
}

TEST(CsvIdsTest, AnotherIdNamesTheLineInBothFiles) {
  // Sequence 'b' starts on line 4 of s.csv, its target on line 3 of t.csv.
  TempDir dir;
  EXPECT_EQ(idsError(dir, "id,v\na,1\na,2\nb,3\nb,4\nc,5\n",
                     "id,y\na,0\nc,1\nb,2\n"),
            dir.file("t.csv") + ": line 3: sequence id 'c' where " +
                dir.file("s.csv") + " has 'b' (its line 4)" + kSameOrder);
  // Ids compare as text: "01" is not "1".
  EXPECT_EQ(idsError(dir, "id,v\n1,0\n", "id,y\n01,0\n"),
            dir.file("t.csv") + ": line 2: sequence id '01' where " +
                dir.file("s.csv") + " has '1' (its line 2)" + kSameOrder);
}

TEST(CsvIdsTest, OnlyTheSamplesBothFilesHaveAreCompared) {
  // A missing last target is a count mismatch the data set reports with
  // both counts; a wrong id before it is still found here.
  TempDir dir;
  std::string sequences = "id,v\na,1\nb,2\nc,3\n";
  EXPECT_EQ(idsError(dir, sequences, "id,y\na,0\nb,1\n"), "");
  EXPECT_EQ(idsError(dir, sequences, "id,y\na,0\nc,1\n"),
            dir.file("t.csv") + ": line 3: sequence id 'c' where " +
                dir.file("s.csv") + " has 'b' (its line 3)" + kSameOrder);
}

} // namespace
