//===- BackendCheck.h - One model on both backends --------------*- C++ -*-===//
//
// A harness for the agreement tests of the loops and oneDNN backends. A test
// declares arguments (inputs, parameters, optionally a seed for the random
// ops, which every compiled module then draws alike) and a body of aenet
// ops over f32 tensors that defines `%loss`; the harness builds the
// two-function module of GradientCheck.h (`@train_loss`, differentiated,
// with SGD at lr 1, and `@evaluate`) and compiles it three times: in f32 on
// the loops backend, in f32 on the oneDNN backend, and with every f32 made
// f64 on the loops backend (the reference, itself checked against finite
// differences by the f64 gradient tests). Values are rounded to f32 once,
// so all three start from the same numbers. Each train_step runs once from
// them; its loss and its gradients (g = p - p' at lr 1) are what is
// compared.
//
// Only CompiledModel.h from the compiler: no MLIR headers here.
//
//===----------------------------------------------------------------------===//

#ifndef AEC_TEST_UNIT_COMPILER_BACKENDCHECK_H
#define AEC_TEST_UNIT_COMPILER_BACKENDCHECK_H

#include "GradientCheck.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace aenet::test {

/// `tensor<3x4xf32>` for |shape|.
std::string f32Type(const Shape &shape);

class BackendCheck {
public:
  BackendCheck();
  ~BackendCheck();

  /// Declares a data argument `%name`; |values| are rounded to f32.
  void input(const std::string &name, const Shape &shape,
             const std::vector<double> &values);
  /// Declares a trainable parameter `%name`; |values| are rounded to f32.
  void param(const std::string &name, const Shape &shape,
             const std::vector<double> &values);
  /// Declares the seed argument `%seed` (`aenet.seed`) with |value|, passed
  /// to every compiled module and entry point alike.
  void seed(int64_t value);
  /// The ops of the loss over f32 tensors; they define `%loss`.
  void body(const std::string &ops);

  /// Compiles the three modules; fails with the module text when one does
  /// not compile.
  ::testing::AssertionResult compile();

  /// Runs train_step once on both f32 backends and compares the losses and
  /// every parameter's gradient to 1e-4 relative.
  ::testing::AssertionResult checkAgreement();
  /// Compares the oneDNN backend's loss and gradients with the f64
  /// reference (1e-4 relative) and, with |finiteDifferences|, with central
  /// differences of its own `evaluate` in f32 (see the tolerance there).
  ::testing::AssertionResult checkGradients(bool finiteDifferences = true);

  /// The gradient of |name| from one train_step on the oneDNN backend.
  std::vector<double> oneDnnGradient(const std::string &name);
  /// The module text, in f32.
  std::string moduleText() const;

  struct Arg;
  template <typename T> struct Compiled;

private:
  std::vector<Arg> args_;
  std::string body_;
  bool hasSeed_ = false;
  int64_t seed_ = 0;
  std::unique_ptr<Compiled<float>> loops_, oneDnn_;
  std::unique_ptr<Compiled<double>> reference_;
};

} // namespace aenet::test

#endif // AEC_TEST_UNIT_COMPILER_BACKENDCHECK_H
