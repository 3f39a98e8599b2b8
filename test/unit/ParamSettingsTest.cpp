//===- ParamSettingsTest.cpp - A checkpoint's parameter values ------------===//
//
// A checkpoint records the values it was trained with as `code=8,act=tanh`
// (settingsText), and eval, predict and the rest read them back
// (parseSettingsText): every setting comes back whole, a value with a comma
// in it included, as long as what follows the comma does not read `NAME=`.
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

TEST(ParamSettingsTest, KeepsCommasInsideAValue) {
  std::vector<ParamSetting> in = {{"path", "a,b,c.gz"}, {"code", "8"},
                                  {"title", "x, y=2"}};
  // ", y=2" follows a comma but " y" is not a name: it stays in the value.
  EXPECT_EQ(roundTrip(in), in);
}

TEST(ParamSettingsTest, ACommaBeforeNameEqualsStartsASetting) {
  std::vector<ParamSetting> out = parseSettingsText("a=1,b=x,2,c_2=y");
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0], (ParamSetting{"a", "1"}));
  EXPECT_EQ(out[1], (ParamSetting{"b", "x,2"}));
  EXPECT_EQ(out[2], (ParamSetting{"c_2", "y"}));
}

TEST(ParamSettingsTest, EmptyTextHasNoSetting) {
  EXPECT_TRUE(parseSettingsText("").empty());
}

} // namespace
