//===- ParamSettingsTest.cpp - A checkpoint's parameter values ------------===//
//
// A checkpoint records the values it was trained with as `code=8,act=tanh`
// (settingsText, commas and backslashes in values escaped), and eval,
// predict and the rest read them back (parseSettingsText): every setting
// comes back whole, whatever its value holds; text that is not NAME=VALUE
// gives no setting rather than an error.
//
//===----------------------------------------------------------------------===//

#include "aenet/Lang/Params.h"

#include <gtest/gtest.h>

using namespace aenet;

namespace {

std::vector<ParamSetting> roundTrip(const std::vector<ParamSetting> &in) {
  return parseSettingsText(settingsText(in));
}

TEST(ParamSettingsTest, WritesNamesAndValuesInOrder) {
  EXPECT_EQ(settingsText({{"code", "8"}, {"act", "tanh"}, {"k", "3x3"}}),
            "code=8,act=tanh,k=3x3");
  EXPECT_EQ(settingsText({}), "");
}

TEST(ParamSettingsTest, ReadsBackWhatItWrote) {
  std::vector<ParamSetting> in = {
      {"code", "8"}, {"lr", "1e-3"}, {"images", "/data/a b/train.gz"}};
  EXPECT_EQ(roundTrip(in), in);
}

TEST(ParamSettingsTest, EscapesCommasAndBackslashes) {
  EXPECT_EQ(settingsText({{"path", "a,b\\c"}, {"code", "8"}}),
            "path=a\\,b\\\\c,code=8");
}

TEST(ParamSettingsTest, KeepsCommasAndNameEqualsInsideAValue) {
  // A sweep's folder names hold ",NAME=": the value must still come back
  // whole.
  std::vector<ParamSetting> in = {
      {"init", "out/m/sweep/code=8,opt=adam/run-1/model.safetensors"},
      {"code", "8"},
      {"title", "x, y=2\\"}};
  EXPECT_EQ(roundTrip(in), in);
}

TEST(ParamSettingsTest, ReadsUnescapedCommasOfOlderCheckpoints) {
  std::vector<ParamSetting> out = parseSettingsText("a=1,b=x,2,c_2=y");
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0], (ParamSetting{"a", "1"}));
  EXPECT_EQ(out[1], (ParamSetting{"b", "x,2"}));
  EXPECT_EQ(out[2], (ParamSetting{"c_2", "y"}));
  EXPECT_FALSE(out[0].given);
}

TEST(ParamSettingsTest, SkipsWhatIsNotNameEqualsValue) {
  EXPECT_TRUE(parseSettingsText("").empty());
  EXPECT_TRUE(parseSettingsText("abc").empty());
  EXPECT_TRUE(parseSettingsText(",,=x,2=y").empty());
  std::vector<ParamSetting> out = parseSettingsText(",abc,a=1");
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0], (ParamSetting{"a", "1"}));
}

} // namespace
