//===- GradientCheck.h - Gradient checks through the JIT --------*- C++ -*-===//
//
// A harness for op-level numeric tests of the whole compiler: a test gives
// the arguments (inputs, parameters, a seed) and a body of aenet ops in f64
// that defines `%loss`; the harness builds a module with that body twice —
// `@train_loss` (differentiated; `train_step` comes from aenet-autodiff) and
// `@evaluate` (the same loss, not differentiated) — and JIT-compiles it with
// CompiledModel::compileText. It then compares the gradient of every
// parameter that `train_step` applies with SGD at lr 1 (g = p - p') against
// central finite differences of `evaluate`'s loss. Optimizer tests use the
// same module with another `aenet.optimizer` and run `train_step` for a few
// steps, reading back parameters and states.
//
// Only CompiledModel.h from the compiler: no MLIR headers here.
//
//===----------------------------------------------------------------------===//

#ifndef AEC_TEST_UNIT_COMPILER_GRADIENTCHECK_H
#define AEC_TEST_UNIT_COMPILER_GRADIENTCHECK_H

#include "aenet/Pipeline/CompiledModel.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <deque>
#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

namespace aenet::test {

using Shape = std::vector<int64_t>;

/// `tensor<3x4xf64>` for |shape| ({} gives `tensor<f64>`).
std::string f64Type(const Shape &shape);

/// A deterministic generator of test data (splitmix64, so the values are
/// the same with every standard library).
class Random {
public:
  explicit Random(uint64_t seed) : state_(seed) {}
  /// Uniform in [0, 1).
  double uniform();
  /// |n| values uniform in [lo, hi), none closer than |margin| to any of
  /// |kinks|: finite differences across a kink (relu at 0, a clip bound)
  /// measure neither one-sided derivative.
  std::vector<double> uniform(int64_t n, double lo, double hi,
                              std::initializer_list<double> kinks = {},
                              double margin = 0.05);
  /// |rows| one-hot rows of |classes| elements.
  std::vector<double> oneHot(int64_t rows, int64_t classes);

private:
  uint64_t next();
  uint64_t state_;
};

class GradientCheck {
public:
  GradientCheck();
  ~GradientCheck();

  /// Declares a data argument `%name` (`aenet.input`).
  void input(const std::string &name, const Shape &shape,
             std::vector<double> values);
  /// Declares a trainable parameter `%name` (`aenet.param`).
  void param(const std::string &name, const Shape &shape,
             std::vector<double> values);
  /// Declares a hyperparameter argument `%name` (`aenet.hyperparameter`), a
  /// scalar bound to |value|, as the runtime binds a noise's deviation.
  void hyperparameter(const std::string &name, double value);
  /// Declares the seed argument `%seed` (`aenet.seed`), passed with the same
  /// value to train_step and evaluate so random ops draw the same numbers.
  void seed(int64_t value);
  /// The ops of the loss, as MLIR text over the declared arguments; they
  /// must define the scalar `%loss : tensor<f64>`.
  void body(const std::string &ops);
  /// The `aenet.optimizer`, an `#aenet.optimizer<...>`; SGD at lr 1 unless
  /// set.
  void optimizer(const std::string &optimizer);

  /// The module the harness compiles.
  std::string moduleText() const;
  /// Compiles the module and binds both entry points; fails with the
  /// module text when the compiler refuses it.
  ::testing::AssertionResult compile();

  /// evaluate's loss at the current parameter values.
  double evaluate();
  /// The current (initial) values of parameter |name|; tests may edit them.
  std::vector<double> &values(const std::string &name);

  /// Sets train_step's parameter buffers to the current values and its
  /// optimizer states to their `aenet.state_init`.
  void resetTraining();
  /// Runs train_step once with step count |step|; returns its loss.
  double trainStep(double step);
  /// Parameter |name| as train_step left it.
  const std::vector<double> &trained(const std::string &name) const;
  /// Optimizer state |name| (e.g. `k/m`) as train_step left it.
  const std::vector<double> &state(const std::string &name) const;
  /// The names of train_step's optimizer states, in slot order.
  std::vector<std::string> stateNames() const;

  /// dL/d|name| from one train_step at SGD lr 1: p - p'.
  std::vector<double> analyticGradient(const std::string &name);
  /// dL/d|name| by central differences of evaluate's loss.
  std::vector<double> numericGradient(const std::string &name);
  /// Checks every parameter's analytic gradient against the numeric one,
  /// that the check has power (some gradient element is not small), and
  /// that train_step and evaluate compute the same loss.
  ::testing::AssertionResult checkGradients();

private:
  struct Arg;
  Arg &find(const std::string &name);
  const Arg &find(const std::string &name) const;
  std::string signature() const;
  ::testing::AssertionResult bind(const std::string &entry,
                                  CompiledModel::Call &call, bool training);

  std::vector<std::unique_ptr<Arg>> args_;
  std::vector<std::pair<std::string, double>> hyperparameterArgs_;
  int64_t seed_ = 0;
  bool hasSeed_ = false;
  std::string body_;
  std::string optimizer_ =
      "#aenet.optimizer<sgd, lr = 1.0, momentum = 0.0, nesterov = false>";

  std::unique_ptr<CompiledModel> model_;
  CompiledModel::Call evaluateCall_, trainCall_;
  std::vector<double> evaluateScalars_, trainScalars_;
  int evaluateLoss_ = -1, trainLoss_ = -1;
  double step_ = 1;
  /// The values the module was built with (the slots' init); a deque, as
  /// bound addresses must not move.
  std::deque<double> hyperparameters_;
  struct State {
    std::string name;
    double init;
    std::vector<double> values;
  };
  std::vector<std::unique_ptr<State>> states_;
  std::vector<std::unique_ptr<std::vector<double>>> outputs_;
};

} // namespace aenet::test

#endif // AEC_TEST_UNIT_COMPILER_GRADIENTCHECK_H
