//===- TrainPhasesTest.cpp - What Sema makes of train phases --------------===//
//
// A train block's phases start from the block's own settings: a phase that
// names no optimizer or epochs takes the block's, and its frozen set is the
// block's plus its own. The plan's top-level settings are the first phase's
// (what `aec compile` shows), its epochs the sum; resumePoint tells resume
// which phase goes on from a checkpoint, from the phase it was saved in.
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

/// Where resumePoint says a run goes on from a checkpoint of |phase| saved
/// after |epoch| epochs and |batch| batches: "phase N from E" plus
/// " (parameters only)" where the phase starts a new optimizer, or the error.
std::string resumeAt(const TrainPlan &plan, const std::string &phase,
                     int64_t epoch, int64_t batch = 0) {
  ResumePoint point = resumePoint(plan, phase, epoch, batch);
  if (!point.error.empty())
    return point.error;
  return "phase " + std::to_string(point.phase) + " from " +
         std::to_string(point.phaseStart) +
         (point.optimizerState ? "" : " (parameters only)");
}

/// Checks that |text| begins with |prefix|.
void expectStartsWith(const std::string &text, const std::string &prefix) {
  EXPECT_EQ(text.substr(0, prefix.size()), prefix);
}

TEST(TrainPhases, ResumeGoesOnInTheSavedPhase) {
  CheckedProgram program = check(kModel);
  const TrainPlan &plan = *program.trainFor("m");
  EXPECT_EQ(phaseStart(plan, 0), 0);
  EXPECT_EQ(phaseStart(plan, 1), 2);
  EXPECT_EQ(resumeAt(plan, "warm", 0), "phase 0 from 0");
  // Nothing trained yet (--epochs 0 ends in the last phase): all phases run.
  EXPECT_EQ(resumeAt(plan, "rest", 0), "phase 0 from 0 (parameters only)");
  EXPECT_EQ(resumeAt(plan, "", 0), "phase 0 from 0 (parameters only)");
  EXPECT_EQ(resumeAt(plan, "warm", 1, 1), "phase 0 from 0");
  // warm ended: rest starts its own optimizer, so only the parameters and
  // only phase 1 (compiled alone) are taken on.
  EXPECT_EQ(resumeAt(plan, "warm", 2), "phase 1 from 2 (parameters only)");
  EXPECT_EQ(resumeAt(plan, "rest", 2, 1), "phase 1 from 2");
  EXPECT_EQ(resumeAt(plan, "rest", 4), "phase 1 from 2");
  // A finished run stays in its last phase.
  EXPECT_EQ(resumeAt(plan, "rest", 5), "phase 1 from 2");
}

TEST(TrainPhases, ResumeRefusesAPhaseEditedAway) {
  CheckedProgram program = check(kModel);
  const TrainPlan &plan = *program.trainFor("m");
  // warm was longer when saved: epoch 3 is rest's now.
  EXPECT_EQ(resumeAt(plan, "warm", 3),
            "was saved in phase 'warm' after epoch 3, but in the train block "
            "phase 'warm' is now epochs 1 to 2 of 5; its optimizer state "
            "belongs to no phase of the block now: resume with the phases it "
            "was trained with, or start again with --overwrite");
  expectStartsWith(resumeAt(plan, "warm", 2, 1),
                   "was saved in phase 'warm' in epoch 3 after 1 batches, "
                   "but in the train block ");
  // warm was shorter when saved: epoch 1 is warm's now.
  expectStartsWith(resumeAt(plan, "rest", 1),
                   "was saved in phase 'rest' after epoch 1, but in the "
                   "train block phase 'rest' is now epochs 3 to 5 of 5;");
  expectStartsWith(resumeAt(plan, "cold", 1),
                   "was saved in phase 'cold' after epoch 1, but the train "
                   "block has no phase 'cold' now (its phases are 'warm', "
                   "'rest')");
  expectStartsWith(resumeAt(plan, "", 1),
                   "was saved after epoch 1 by a train block without "
                   "phases, but the block now has phases 'warm', 'rest';");
}

TEST(TrainPhases, NoPhasesIsOnePhase) {
  CheckedProgram program =
      check("model m { input x: f32[4] dense(4) -> out loss out: mse(x) }\n"
            "train m { data idx(\"x.gz\") as x epochs 7 }\n");
  const TrainPlan &plan = *program.trainFor("m");
  EXPECT_TRUE(plan.phases.empty());
  EXPECT_EQ(planOfPhase(plan, 0).epochs, 7);
  EXPECT_EQ(resumeAt(plan, "", 3), "phase 0 from 0");
  expectStartsWith(resumeAt(plan, "warm", 3),
                   "was saved in phase 'warm' after epoch 3, but the train "
                   "block now has no phases;");
}

} // namespace
