//===- TextSamplesTest.cpp - Windows of a text, gathered one-hot ----------===//
//
// Where the windows start for a step, the one-hot rows a batch gathers for
// windows, next characters and shifted windows, the vocabulary's padding
// slots, and that splits, limits and shuffled orders keep working on arrays
// that are views of one shared text.
//
//===----------------------------------------------------------------------===//

#include "aenet/Runtime/Errors.h"
#include "aenet/Runtime/TextSamples.h"

#include "TempDir.h"

#include <gtest/gtest.h>

using namespace aenet::rt;
using aenet::test::messageOf;
using aenet::test::TempDir;
using aenet::test::writeFile;

namespace {

/// The text |content| read from a file in |dir| with |slots| slots.
IndexedText textOf(const TempDir &dir, const std::string &content,
                   int64_t slots) {
  writeFile(dir.file("t.txt"), content);
  return readText(dir.file("t.txt"), slots);
}

/// The one-hot position of each row of the gathered |values|, with rows of
/// |slots| values; -2 for a row that is not one-hot.
std::vector<int> hotPositions(const std::vector<float> &values,
                              int64_t slots) {
  std::vector<int> positions;
  for (size_t row = 0; row * slots < values.size(); ++row) {
    int hot = -1;
    for (int64_t s = 0; s < slots; ++s) {
      float v = values[row * slots + s];
      if (v == 1.0f)
        hot = hot == -1 ? static_cast<int>(s) : -2;
      else if (v != 0.0f)
        hot = -2;
    }
    positions.push_back(hot);
  }
  return positions;
}

/// Gathers samples |order| of array |index| of |data|.
std::vector<float> gather(const Dataset &data, std::vector<int64_t> order,
                          int index) {
  const Array &array = data.arrays()[index];
  std::vector<float> out(order.size() * array.sampleSize(), -1.0f);
  data.gatherBatch(order, 0, static_cast<int64_t>(order.size()), index,
                   out.data());
  return out;
}

TEST(TextSamplesTest, WindowsStartEveryStepWhileACharacterFollows) {
  TempDir dir;
  IndexedText text = textOf(dir, "abcdefgh", 8); // 8 characters
  EXPECT_EQ(windowStarts(text, 3, 1),
            (std::vector<int64_t>{0, 1, 2, 3, 4}));
  EXPECT_EQ(windowStarts(text, 3, 2), (std::vector<int64_t>{0, 2, 4}));
  EXPECT_EQ(windowStarts(text, 3, 3), (std::vector<int64_t>{0, 3}));
  EXPECT_EQ(windowStarts(text, 7, 5), (std::vector<int64_t>{0}));
}

TEST(TextSamplesTest, TextShorterThanAWindowAndItsNextIsAnError) {
  TempDir dir;
  IndexedText text = textOf(dir, "abcd", 8);
  EXPECT_EQ(messageOf<DataError>([&] { windowStarts(text, 4, 1); }),
            dir.file("t.txt") +
                ": the text has 4 characters, too short for one window of 4 "
                "and the character after it (5 characters)");
  IndexedText one = textOf(dir, "a", 8);
  EXPECT_NE(messageOf<DataError>([&] { windowStarts(one, 2, 1); })
                .find("the text has 1 character, too short"),
            std::string::npos);
}

TEST(TextSamplesTest, ManyToOneGathersWindowsAndNextCharactersOneHot) {
  TempDir dir;
  // Vocabulary: a=0 b=1 c=2 d=3, padded to 6 slots.
  IndexedText text = textOf(dir, "abcdcba", 6);
  std::vector<int64_t> starts = windowStarts(text, 3, 2); // 0, 2
  Dataset data;
  data.add(textWindows(text, starts, 3, 6, "window"));
  data.add(nextCharacters(text, starts, 3, 6, "next"));
  ASSERT_EQ(data.size(), 2);
  EXPECT_EQ(data.arrays()[0].sampleShape, (std::vector<int64_t>{3, 6}));
  EXPECT_EQ(data.arrays()[1].sampleShape, (std::vector<int64_t>{6}));
  // Gathered in reverse order: sample 1 ("cdc" -> 'b'), then 0 ("abc" -> 'd').
  EXPECT_EQ(hotPositions(gather(data, {1, 0}, 0), 6),
            (std::vector<int>{2, 3, 2, 0, 1, 2}));
  EXPECT_EQ(hotPositions(gather(data, {1, 0}, 1), 6),
            (std::vector<int>{1, 3}));
}

TEST(TextSamplesTest, ManyToManyTargetIsTheWindowShiftedByOne) {
  TempDir dir;
  IndexedText text = textOf(dir, "abcde", 5);
  std::vector<int64_t> starts = windowStarts(text, 2, 1); // 0, 1, 2
  Dataset data;
  data.add(textWindows(text, starts, 2, 5, "window"));
  data.add(shiftedWindows(text, starts, 2, 5, "shifted"));
  EXPECT_EQ(hotPositions(gather(data, {0, 1, 2}, 0), 5),
            (std::vector<int>{0, 1, 1, 2, 2, 3}));
  EXPECT_EQ(hotPositions(gather(data, {0, 1, 2}, 1), 5),
            (std::vector<int>{1, 2, 2, 3, 3, 4}));
}

TEST(TextSamplesTest, MultibyteCharactersAreOneRowEach) {
  TempDir dir;
  // "é€é" then 'a': vocabulary a=0 é=1 €=2.
  IndexedText text = textOf(dir, "\xC3\xA9\xE2\x82\xAC\xC3\xA9" "a", 3);
  std::vector<int64_t> starts = windowStarts(text, 3, 1); // 0
  Dataset data;
  data.add(textWindows(text, starts, 3, 3, "w"));
  data.add(nextCharacters(text, starts, 3, 3, "n"));
  EXPECT_EQ(hotPositions(gather(data, {0}, 0), 3),
            (std::vector<int>{1, 2, 1}));
  EXPECT_EQ(hotPositions(gather(data, {0}, 1), 3), (std::vector<int>{0}));
}

TEST(TextSamplesTest, SplitSliceAndShuffleKeepWindowsAligned) {
  TempDir dir;
  IndexedText text = textOf(dir, "abcdefghij", 10);
  std::vector<int64_t> starts = windowStarts(text, 2, 1); // 0..7: 8 windows
  Dataset data;
  data.add(textWindows(text, starts, 2, 10, "w"));
  data.add(nextCharacters(text, starts, 2, 10, "n"));
  auto [train, validation] = data.split(0.25);
  ASSERT_EQ(train.size(), 6);
  ASSERT_EQ(validation.size(), 2);
  // The validation part is windows 6 and 7: "gh" -> 'i', "hi" -> 'j'.
  EXPECT_EQ(hotPositions(gather(validation, {0, 1}, 0), 10),
            (std::vector<int>{6, 7, 7, 8}));
  EXPECT_EQ(hotPositions(gather(validation, {0, 1}, 1), 10),
            (std::vector<int>{8, 9}));
  EXPECT_EQ(train.arrays()[0].symbols, data.arrays()[0].symbols)
      << "parts share the text instead of copying it";
  Array head = data.arrays()[1].slice(0, 3);
  EXPECT_EQ(head.count(), 3);
  EXPECT_TRUE(head.data.empty());
  // A shuffled epoch gathers each window with its own next character.
  std::vector<int64_t> order = train.epochOrder(true, 7, 1);
  std::vector<int> windows = hotPositions(gather(train, order, 0), 10);
  std::vector<int> next = hotPositions(gather(train, order, 1), 10);
  for (size_t i = 0; i < order.size(); ++i) {
    EXPECT_EQ(windows[2 * i], order[i]);
    EXPECT_EQ(windows[2 * i + 1], order[i] + 1);
    EXPECT_EQ(next[i], order[i] + 2);
  }
}

TEST(TextSamplesTest, WindowsAndDenseArraysMixInOneDataset) {
  TempDir dir;
  IndexedText text = textOf(dir, "abcd", 4);
  std::vector<int64_t> starts = windowStarts(text, 2, 1); // 0, 1
  Dataset data;
  data.add(textWindows(text, starts, 2, 4, "w"));
  Array dense{"x", {1}, {5.0f, 6.0f, 7.0f}, "x.idx"};
  EXPECT_EQ(messageOf<DataError>([&] { data.add(dense); }),
            "x.idx: array 'x' (from x.idx) has 3 samples but 'w' (from " +
                dir.file("t.txt") + ") has 2");
  dense.data.pop_back();
  data.add(dense);
  EXPECT_EQ(gather(data, {1, 0}, 1), (std::vector<float>{6.0f, 5.0f}));
}

TEST(TextSamplesTest, WindowPastTheTextIsAnError) {
  auto symbols = std::make_shared<std::vector<int32_t>>(
      std::vector<int32_t>{0, 1, 2});
  EXPECT_EQ(messageOf<DataError>(
                [&] { oneHotWindows(symbols, {2}, {2, 3}, "w", "t.txt"); }),
            "t.txt: a window of 2 characters at 2 reaches past the 3 "
            "characters");
  EXPECT_EQ(messageOf<DataError>(
                [&] { oneHotWindows(symbols, {0}, {2, 2}, "w", "t.txt"); }),
            "t.txt: symbol 2 is not below the 2 slots of 'w'");
}

} // namespace
