//===- TextTest.cpp - UTF-8 texts, vocabularies and their checkpoints -----===//
//
// The reader's vocabulary order and indices, multibyte characters, every
// kind of invalid UTF-8 with its byte offset, the file errors, and the
// vocabulary's round trip through a checkpoint's metadata.
//
//===----------------------------------------------------------------------===//

#include "aenet/Runtime/Checkpoint.h"
#include "aenet/Runtime/Errors.h"
#include "aenet/Runtime/Text.h"

#include "TempDir.h"

#include <gtest/gtest.h>

using namespace aenet::rt;
using aenet::test::messageOf;
using aenet::test::TempDir;
using aenet::test::writeFile;

namespace {

/// The indices of |text| as a plain vector.
std::vector<int32_t> indices(const IndexedText &text) {
  return *text.symbols;
}

TEST(TextTest, VocabularyIsTheSortedDistinctCharacters) {
  TempDir dir;
  writeFile(dir.file("t.txt"), "cab\nba");
  IndexedText text = readText(dir.file("t.txt"), 8);
  ASSERT_EQ(text.vocabulary.size(), 4);
  EXPECT_EQ(text.vocabulary.at(0), U'\n');
  EXPECT_EQ(text.vocabulary.at(1), U'a');
  EXPECT_EQ(text.vocabulary.at(2), U'b');
  EXPECT_EQ(text.vocabulary.at(3), U'c');
  EXPECT_EQ(indices(text), (std::vector<int32_t>{3, 1, 2, 0, 2, 1}));
  EXPECT_EQ(text.vocabulary.indexOf(U'b'), 2);
  EXPECT_EQ(text.vocabulary.indexOf(U'z'), -1);
}

TEST(TextTest, MultibyteCharactersAreOneSymbolEach) {
  TempDir dir;
  // é (2 bytes), € (3 bytes), 😀 (4 bytes), then ASCII.
  writeFile(dir.file("t.txt"), "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80z\xC3\xA9");
  IndexedText text = readText(dir.file("t.txt"), 4);
  ASSERT_EQ(text.vocabulary.size(), 4);
  EXPECT_EQ(text.vocabulary.at(0), U'z');
  EXPECT_EQ(text.vocabulary.at(1), U'\u00E9');
  EXPECT_EQ(text.vocabulary.at(2), U'\u20AC');
  EXPECT_EQ(text.vocabulary.at(3), U'\U0001F600');
  EXPECT_EQ(indices(text), (std::vector<int32_t>{1, 2, 3, 0, 1}));
  EXPECT_EQ(text.vocabulary.utf8(), "z\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
}

TEST(TextTest, LeadingByteOrderMarkIsSkipped) {
  TempDir dir;
  writeFile(dir.file("t.txt"), "\xEF\xBB\xBF" "ab");
  IndexedText text = readText(dir.file("t.txt"), 2);
  EXPECT_EQ(text.vocabulary.size(), 2);
  EXPECT_EQ(indices(text), (std::vector<int32_t>{0, 1}));
}

TEST(TextTest, InvalidUtf8NamesTheByteOffset) {
  struct Case {
    std::string bytes;
    std::string message;
  } cases[] = {
      {"ab\x80", "invalid UTF-8 at byte offset 2: byte 0x80 cannot start a "
                 "character"},
      {"a\xC0\xAF", "invalid UTF-8 at byte offset 1: byte 0xC0 cannot start "
                    "a character"}, // overlong '/'
      {"\xE0\x80\xAF", "invalid UTF-8 at byte offset 0: byte 0x80 cannot "
                       "follow 0xE0"}, // overlong
      {"x\xED\xA0\x80", "invalid UTF-8 at byte offset 1: byte 0xA0 cannot "
                        "follow 0xED"}, // surrogate U+D800
      {"\xF4\x90\x80\x80", "invalid UTF-8 at byte offset 0: byte 0x90 cannot "
                           "follow 0xF4"}, // above U+10FFFF
      {"abc\xE2\x82", "invalid UTF-8 at byte offset 3: the file ends inside "
                      "a 3-byte character"},
      {"\xE2\x82z", "invalid UTF-8 at byte offset 0: byte 0x7A cannot follow "
                    "0xE2 and the bytes after it"},
  };
  TempDir dir;
  for (const Case &c : cases) {
    writeFile(dir.file("bad.txt"), c.bytes);
    EXPECT_EQ(messageOf<DataError>([&] { readText(dir.file("bad.txt"), 8); }),
              dir.file("bad.txt") + ": " + c.message);
  }
}

TEST(TextTest, TooManyCharactersNamesCountAndSlots) {
  TempDir dir;
  writeFile(dir.file("t.txt"), "abcde");
  EXPECT_EQ(messageOf<DataError>([&] { readText(dir.file("t.txt"), 3); }),
            dir.file("t.txt") +
                ": the text has 5 distinct characters, more than the 3 "
                "symbols of the chars input; make V at least 5");
}

TEST(TextTest, EmptyAndMissingFilesAreErrors) {
  TempDir dir;
  writeFile(dir.file("empty.txt"), "");
  EXPECT_EQ(messageOf<DataError>([&] { readText(dir.file("empty.txt"), 3); }),
            dir.file("empty.txt") +
                ": the text is empty; a character model needs at least one "
                "window and the character after it");
  // A byte order mark alone is empty too.
  writeFile(dir.file("bom.txt"), "\xEF\xBB\xBF");
  EXPECT_NE(messageOf<DataError>([&] { readText(dir.file("bom.txt"), 3); })
                .find("the text is empty"),
            std::string::npos);
  EXPECT_EQ(messageOf<DataError>([&] { readText(dir.file("none.txt"), 3); }),
            dir.file("none.txt") + ": cannot open: No such file or directory");
  EXPECT_EQ(messageOf<DataError>([&] { readText(dir.path(), 3); }),
            dir.path() + ": is a directory");
}

TEST(TextTest, GivenVocabularyRejectsOtherCharacters) {
  TempDir dir;
  writeFile(dir.file("train.txt"), "abc\n");
  writeFile(dir.file("val.txt"), "ab\nc\xC3\xA9");
  Vocabulary vocabulary = readText(dir.file("train.txt"), 8).vocabulary;
  EXPECT_EQ(messageOf<DataError>(
                [&] { readText(dir.file("val.txt"), vocabulary); }),
            dir.file("val.txt") +
                ": line 2 (character offset 4): '\xC3\xA9' is not in the "
                "model's vocabulary of 4 characters");
  writeFile(dir.file("val.txt"), "cab");
  EXPECT_EQ(indices(readText(dir.file("val.txt"), vocabulary)),
            (std::vector<int32_t>{3, 1, 2}));
}

TEST(TextTest, CharactersAreDescribedReadably) {
  EXPECT_EQ(describeCharacter(U'x'), "'x'");
  EXPECT_EQ(describeCharacter(U'\n'), "newline");
  EXPECT_EQ(describeCharacter(U' '), "space");
  EXPECT_EQ(describeCharacter(U'\r'), "U+000D");
  EXPECT_EQ(describeCharacter(U'\u00E9'), "'\xC3\xA9'");
}

TEST(TextTest, VocabularyRoundTripsThroughCheckpointMetadata) {
  TempDir dir;
  Vocabulary vocabulary =
      Vocabulary::of(U"\n\"\\'Aa\u00E9\u20AC\U0001F600\u0001");
  std::string path = dir.file("m.safetensors");
  saveSafetensors(path, {{"w", {1}, {0.5f}}},
                  {{"model", "m"}, {"vocabulary", vocabulary.utf8()}});
  Checkpoint loaded = loadSafetensors(path);
  ASSERT_EQ(loaded.metadata.count("vocabulary"), 1u);
  Vocabulary back = Vocabulary::fromUtf8(loaded.metadata["vocabulary"], path);
  EXPECT_EQ(back, vocabulary);
  EXPECT_EQ(back.size(), 10);
}

TEST(TextTest, BadCheckpointVocabularyIsACheckpointError) {
  EXPECT_EQ(messageOf<CheckpointError>(
                [] { Vocabulary::fromUtf8("ba", "m.safetensors"); }),
            "m.safetensors: metadata 'vocabulary' is not a list of distinct "
            "characters in ascending order");
  EXPECT_EQ(messageOf<CheckpointError>(
                [] { Vocabulary::fromUtf8("a\xFF", "m.safetensors"); }),
            "m.safetensors: metadata 'vocabulary': invalid UTF-8 at byte "
            "offset 1: byte 0xFF cannot start a character");
}

} // namespace
