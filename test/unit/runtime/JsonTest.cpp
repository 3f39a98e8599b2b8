//===- JsonTest.cpp - Strict JSON for safetensors headers -----------------===//
//
// What the runtime adds to nlohmann-json: repeated keys and deep nesting are
// errors, error texts are short with the offset of the bad byte, and the
// writer's bytes (compact, escapes, key order) are the ones aec has always
// written, so checkpoints stay byte for byte the same.
//
//===----------------------------------------------------------------------===//

#include "aenet/Runtime/Json.h"

#include <gtest/gtest.h>

using namespace aenet::rt;

namespace {

/// The message and offset of the error parsing |text| raises.
std::string errorOf(std::string_view text,
                    std::optional<size_t> *offset = nullptr) {
  try {
    parseJson(text);
  } catch (const JsonError &error) {
    if (offset)
      *offset = error.offset;
    return error.what();
  }
  ADD_FAILURE() << "parsed: " << text;
  return "";
}

TEST(JsonTest, ParsesTheSafetensorsShapeInOrder) {
  Json json = parseJson(R"( {"w": {"dtype": "F32", "shape": [2, 3],
                                    "data_offsets": [0, 24]},
                              "__metadata__": {"epoch": "7"}} )");
  ASSERT_TRUE(json.is_object());
  ASSERT_EQ(json.size(), 2u);
  EXPECT_EQ(json.begin().key(), "w");
  EXPECT_EQ(json["w"]["shape"], Json({2, 3}));
  EXPECT_EQ(json["__metadata__"]["epoch"], "7");
}

TEST(JsonTest, RepeatedKeysAreErrorsAtAnyDepth) {
  EXPECT_EQ(errorOf(R"({"a": 1, "a": 2})"), "duplicate key \"a\"");
  EXPECT_EQ(errorOf(R"({"w": {"shape": [1], "shape": [2]}})"),
            "duplicate key \"shape\"");
  // The same key in two sibling objects is fine.
  Json json = parseJson(R"([{"a": 1}, {"a": 2}, {"b": {"a": 3}, "a": 4}])");
  EXPECT_EQ(json[2]["a"], 4);
}

TEST(JsonTest, DeepNestingIsRejectedBeforeReadingOn) {
  std::string deep = std::string(64, '[') + std::string(64, ']');
  EXPECT_EQ(parseJson(deep).size(), 1u);
  EXPECT_EQ(errorOf(std::string(65, '[')), "JSON nested deeper than 64 levels");
  // A million brackets fail at the same point, without a million values.
  EXPECT_EQ(errorOf(std::string(1000000, '[')),
            "JSON nested deeper than 64 levels");
  std::string objects;
  for (int i = 0; i < 100; ++i)
    objects += "{\"a\":";
  EXPECT_EQ(errorOf(objects), "JSON nested deeper than 64 levels");
}

TEST(JsonTest, ErrorsAreShortAndCarryOffsets) {
  std::optional<size_t> offset;
  EXPECT_EQ(errorOf(R"({"a" 1})", &offset),
            "syntax error while parsing object separator - unexpected number "
            "literal; expected ':'");
  EXPECT_EQ(offset, 5u);
  EXPECT_NE(errorOf("[1, 2", &offset).find("unexpected end of input"),
            std::string::npos);
  EXPECT_NE(errorOf("012").find("expected end of input"), std::string::npos);
  EXPECT_NE(errorOf("\"\\ud83d\"").find("surrogate"), std::string::npos);
  EXPECT_NE(errorOf("\"a\nb\"").find("control character"), std::string::npos);
  EXPECT_EQ(errorOf("1e400", &offset), "number overflow parsing '1e400'");
  EXPECT_EQ(offset, std::nullopt);
}

TEST(JsonTest, KindNamesSayIntegerForWholeNumbers) {
  EXPECT_EQ(jsonKindName(parseJson("3")), "integer");
  EXPECT_EQ(jsonKindName(parseJson("-3")), "integer");
  EXPECT_EQ(jsonKindName(parseJson("1.5")), "number");
  EXPECT_EQ(jsonKindName(parseJson("null")), "null");
  EXPECT_EQ(jsonKindName(parseJson("[]")), "array");
}

TEST(JsonTest, WriterIsCompactKeepsOrderAndEscapesAsBefore) {
  std::string tricky =
      "quote\" back\\ nl\n tab\t bell\x07 bs\b utf8 \xc3\xa9 /";
  Json object = Json::object();
  object["z"] = 1;
  object[tricky] = {-5, ""};
  object["a"] = Json::object();
  EXPECT_EQ(writeJson(object),
            R"({"z":1,"quote\" back\\ nl\n tab\t bell\u0007 bs\b utf8 )"
            "\xc3\xa9"
            R"( /":[-5,""],"a":{}})");
  EXPECT_EQ(writeJson(parseJson(writeJson(object))), writeJson(object));
  EXPECT_EQ(writeJson(parseJson(" [ 1 , [ ] , { } ] ")), "[1,[],{}]");
}

TEST(JsonTest, InvalidUtf8IsWrittenAsReplacementCharacters) {
  // A metadata string such as a file name need not be UTF-8; the header
  // must still be JSON that this reader and Python's accept.
  std::string text = writeJson(Json("a\xff" "b"));
  EXPECT_EQ(text, "\"a\xef\xbf\xbd" "b\"");
  EXPECT_EQ(parseJson(text), "a\xef\xbf\xbd" "b");
}

} // namespace
