//===- SemaFixedInputsTest.cpp - Checking again with the data's length ----===//
//
// A model on a `?`-length input is checked twice: by `aec check`, where a
// layer that needs the length waits for it instead of failing, and by
// `aec train` once the data fixed the length, where every shape and
// parameter is known and a layer that still does not fit is an error.
//
//===----------------------------------------------------------------------===//

#include "aenet/Lang/Parser.h"
#include "aenet/Lang/Sema.h"

#include <gtest/gtest.h>

using namespace aenet;

namespace {

const char *kModel = R"(
model m {
  input seq: f32[?, 2]
  input y: f32[1]
  flatten()
  dense(1) -> pred
  loss pred: mse(y)
}
)";

/// Checks |text| (with |fixed|); the messages of its errors go to |errors|.
CheckedProgram check(const std::string &text, const FixedInputs *fixed,
                     std::string &errors) {
  SourceFile file("m.aenet", text);
  DiagnosticEngine diags(file);
  ast::Program ast = parseProgram(file, diags);
  CheckedProgram program = checkProgram(ast, file, diags, fixed);
  for (const Diagnostic &d : diags.diagnostics())
    errors += d.message + "\n";
  return program;
}

TEST(SemaFixedInputsTest, LayersWaitForTheLength) {
  std::string errors;
  CheckedProgram program = check(kModel, nullptr, errors);
  EXPECT_EQ(errors, "");
  const ModelGraph &graph = program.models.at(0);
  EXPECT_EQ(graph.inputs[0].shape, (Shape{-1, 2}));
  EXPECT_FALSE(graph.inputs[0].padded);
  for (const LayerNode &layer : graph.layers) {
    EXPECT_TRUE(graph.values[layer.result].awaitsLength) << layer.name;
    EXPECT_TRUE(layer.params.empty()) << layer.name;
  }
  EXPECT_EQ(graph.losses.size(), 1u);
}

TEST(SemaFixedInputsTest, TheDataFixesEveryShape) {
  FixedInputs fixed{"m", {{"seq", Shape{7, 2}}}, {"seq"}};
  std::string errors;
  CheckedProgram program = check(kModel, &fixed, errors);
  EXPECT_EQ(errors, "");
  const ModelGraph &graph = program.models.at(0);
  EXPECT_EQ(graph.inputs[0].shape, (Shape{7, 2}));
  EXPECT_TRUE(graph.inputs[0].padded);
  EXPECT_FALSE(graph.inputs[1].padded);
  const LayerNode &dense = graph.layers.at(1);
  EXPECT_FALSE(graph.values[dense.result].awaitsLength);
  EXPECT_EQ(graph.values[dense.result].shape, (Shape{1}));
  EXPECT_EQ(dense.params.at(0).shape, (std::vector<int64_t>{14, 1}));
  EXPECT_EQ(graph.paramCount(), 15);
}

TEST(SemaFixedInputsTest, OnlyTheNamedModelIsFixed) {
  FixedInputs fixed{"other", {{"seq", Shape{7, 2}}}, {}};
  std::string errors;
  CheckedProgram program = check(kModel, &fixed, errors);
  EXPECT_EQ(program.models.at(0).inputs[0].shape, (Shape{-1, 2}));
}

TEST(SemaFixedInputsTest, ALayerThatStillDoesNotFitIsAnError) {
  std::string text = kModel;
  text.replace(text.find("flatten()"), 9, "reshape([-1, 3]) flatten()");
  std::string errors;
  check(text, nullptr, errors);
  EXPECT_EQ(errors, "");
  FixedInputs fixed{"m", {{"seq", Shape{5, 2}}}, {"seq"}};
  check(text, &fixed, errors);
  EXPECT_NE(errors.find("layer 'reshape': cannot reshape (None, 5, 2)"),
            std::string::npos)
      << errors;
}

TEST(SemaFixedInputsTest, DataOfAnotherShapeIsAnError) {
  FixedInputs fixed{"m", {{"seq", Shape{7, 3}}}, {}};
  std::string errors;
  check(kModel, &fixed, errors);
  EXPECT_NE(errors.find("the data of input 'seq' has samples of (None, 7, 3), "
                        "which do not fit (None, None, 2)"),
            std::string::npos)
      << errors;
}

TEST(SemaFixedInputsTest, ErrorsWithoutAnUnknownLengthStayErrors) {
  std::string errors;
  check("model m { input x: f32[4, 2]  flatten()  conv2d(2, 3x3) "
        "loss conv2d: mse(x) }",
        nullptr, errors);
  EXPECT_NE(errors.find("layer 'conv2d'"), std::string::npos) << errors;
}

} // namespace
