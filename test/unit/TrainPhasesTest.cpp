//===- TrainPhasesTest.cpp - What Sema makes of train phases --------------===//
//
// A train block's phases start from the block's own settings: a phase that
// names no optimizer or epochs takes the block's, and its frozen set is the
// block's plus its own. The plan's top-level settings are the first phase's
// (what `aec compile` shows), its epochs the sum; phaseAtEpoch tells resume
// which phase an epoch belongs to.
//
//===----------------------------------------------------------------------===//

#include "aenet/Lang/Parser.h"
#include "aenet/Lang/Sema.h"

#include <gtest/gtest.h>

using namespace aenet;

namespace {

const char *kModel = R"(
model m {
  input x: f32[4]
  encoder { dense(8, relu) -> h   dense(8, relu) -> h2 }
  decoder { dense(4) -> out }
  loss out: mse(x)
}
train m {
  data idx("x.gz") as x
  optimizer sgd(0.5)
  epochs 3
  freeze h
  phase warm { freeze encoder  optimizer adam(lr = 1e-4)  epochs 2 }
  phase rest { }
}
)";

/// Checks |text|, which must have no errors.
CheckedProgram check(const std::string &text) {
  SourceFile file("m.aenet", text);
  DiagnosticEngine diags(file);
  ast::Program ast = parseProgram(file, diags);
  CheckedProgram program = checkProgram(ast, file, diags);
  EXPECT_FALSE(diags.hasErrors());
  return program;
}

TEST(TrainPhases, PhasesStartFromTheBlockSettings) {
  CheckedProgram program = check(kModel);
  const TrainPlan &plan = *program.trainFor("m");
  ASSERT_EQ(plan.phases.size(), 2u);
  const PhasePlan &warm = plan.phases[0], &rest = plan.phases[1];
  EXPECT_EQ(warm.name, "warm");
  EXPECT_EQ(warm.optimizer.kind, OptimizerKind::Adam);
  EXPECT_DOUBLE_EQ(warm.optimizer.learningRate, 1e-4);
  EXPECT_EQ(warm.epochs, 2);
  EXPECT_EQ(warm.frozen, (std::vector<std::string>{"h", "encoder"}));
  EXPECT_EQ(rest.optimizer.kind, OptimizerKind::SGD);
  EXPECT_DOUBLE_EQ(rest.optimizer.learningRate, 0.5);
  EXPECT_EQ(rest.epochs, 3);
  EXPECT_EQ(rest.frozen, (std::vector<std::string>{"h"}));
  // The plan as `aec compile` sees it: the first phase, all epochs.
  EXPECT_EQ(plan.optimizer.kind, OptimizerKind::Adam);
  EXPECT_EQ(plan.frozen, warm.frozen);
  EXPECT_EQ(plan.epochs, 5);
  EXPECT_EQ(planOfPhase(plan, 1).optimizer.kind, OptimizerKind::SGD);
  EXPECT_EQ(planOfPhase(plan, 1).epochs, 3);
}

TEST(TrainPhases, FrozenParametersPerPhase) {
  CheckedProgram program = check(kModel);
  // h: 4*8+8 = 40, h2: 8*8+8 = 72, out: 8*4+4 = 36.
  EXPECT_EQ(program.models[0].paramCount(), 148);
  EXPECT_EQ(program.frozenParamCount(0, 0), 112); // the encoder, h once
  EXPECT_EQ(program.frozenParamCount(0, 1), 40);
}

TEST(TrainPhases, EpochsBelongToPhases) {
  CheckedProgram program = check(kModel);
  const TrainPlan &plan = *program.trainFor("m");
  using Phase = std::pair<size_t, int64_t>;
  EXPECT_EQ(phaseAtEpoch(plan, 0), Phase(0, 0));
  EXPECT_EQ(phaseAtEpoch(plan, 1), Phase(0, 0));
  EXPECT_EQ(phaseAtEpoch(plan, 2), Phase(1, 2));
  EXPECT_EQ(phaseAtEpoch(plan, 4), Phase(1, 2));
  // A finished run stays in its last phase.
  EXPECT_EQ(phaseAtEpoch(plan, 5), Phase(1, 2));
}

TEST(TrainPhases, NoPhasesIsOnePhase) {
  CheckedProgram program =
      check("model m { input x: f32[4] dense(4) -> out loss out: mse(x) }\n"
            "train m { data idx(\"x.gz\") as x epochs 7 }\n");
  const TrainPlan &plan = *program.trainFor("m");
  EXPECT_TRUE(plan.phases.empty());
  EXPECT_EQ(planOfPhase(plan, 0).epochs, 7);
  EXPECT_EQ(phaseAtEpoch(plan, 3), (std::pair<size_t, int64_t>(0, 0)));
}

} // namespace
