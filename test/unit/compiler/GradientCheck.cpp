//===- GradientCheck.cpp - Gradient checks through the JIT ----------------===//
//
// Builds the two-function module of GradientCheck.h, binds the buffers of
// `train_step` and `evaluate` once (the harness owns every buffer and never
// resizes one), and compares gradients.
//
//===----------------------------------------------------------------------===//

#include "GradientCheck.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <stdexcept>

namespace aenet::test {

std::string f64Type(const Shape &shape) {
  std::string s = "tensor<";
  for (int64_t d : shape)
    s += std::to_string(d) + "x";
  return s + "f64>";
}

//===----------------------------------------------------------------------===//
// Random
//===----------------------------------------------------------------------===//

uint64_t Random::next() {
  uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

double Random::uniform() { return std::ldexp(double(next() >> 11), -53); }

std::vector<double> Random::uniform(int64_t n, double lo, double hi,
                                    std::initializer_list<double> kinks,
                                    double margin) {
  std::vector<double> values;
  while (static_cast<int64_t>(values.size()) < n) {
    double v = lo + (hi - lo) * uniform();
    bool nearKink = std::any_of(kinks.begin(), kinks.end(), [&](double k) {
      return std::abs(v - k) < margin;
    });
    if (!nearKink)
      values.push_back(v);
  }
  return values;
}

std::vector<double> Random::oneHot(int64_t rows, int64_t classes) {
  std::vector<double> values(rows * classes, 0.0);
  for (int64_t r = 0; r < rows; ++r)
    values[r * classes + static_cast<int64_t>(uniform() * classes)] = 1.0;
  return values;
}

//===----------------------------------------------------------------------===//
// GradientCheck
//===----------------------------------------------------------------------===//

struct GradientCheck::Arg {
  bool isParam;
  std::string name;
  Shape shape;
  std::vector<double> values;  ///< inputs; parameters as evaluate sees them
  std::vector<double> trained; ///< parameters as train_step updates them
};

GradientCheck::GradientCheck() = default;
GradientCheck::~GradientCheck() = default;

static int64_t numElements(const Shape &shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

void GradientCheck::input(const std::string &name, const Shape &shape,
                          std::vector<double> values) {
  EXPECT_EQ(static_cast<int64_t>(values.size()), numElements(shape)) << name;
  args_.push_back(std::make_unique<Arg>(
      Arg{false, name, shape, std::move(values), {}}));
}

void GradientCheck::param(const std::string &name, const Shape &shape,
                          std::vector<double> values) {
  EXPECT_EQ(static_cast<int64_t>(values.size()), numElements(shape)) << name;
  std::vector<double> trained = values;
  args_.push_back(std::make_unique<Arg>(
      Arg{true, name, shape, std::move(values), std::move(trained)}));
}

void GradientCheck::hyperparameter(const std::string &name, double value) {
  hyperparameterArgs_.push_back({name, value});
}

void GradientCheck::seed(int64_t value) {
  seed_ = value;
  hasSeed_ = true;
}

void GradientCheck::body(const std::string &ops) { body_ = ops; }

void GradientCheck::optimizer(const std::string &optimizer) {
  optimizer_ = optimizer;
}

GradientCheck::Arg &GradientCheck::find(const std::string &name) {
  for (auto &a : args_)
    if (a->name == name)
      return *a;
  throw std::invalid_argument("no argument named " + name);
}

const GradientCheck::Arg &GradientCheck::find(const std::string &name) const {
  return const_cast<GradientCheck *>(this)->find(name);
}

std::string GradientCheck::signature() const {
  std::string s = "(";
  for (size_t i = 0; i < args_.size(); ++i) {
    const Arg &a = *args_[i];
    s += (i ? ", %" : "%") + a.name + ": " + f64Type(a.shape) + " {aenet." +
         (a.isParam ? "param" : "input") + " = \"" + a.name + "\"}";
  }
  std::string separator = args_.empty() ? "" : ", ";
  for (const auto &[name, value] : hyperparameterArgs_) {
    std::ostringstream v;
    v << std::scientific << std::setprecision(17) << value;
    s += separator + "%" + name + ": tensor<f64> {aenet.hyperparameter = " +
         "{name = \"" + name + "\", value = " + v.str() + " : f64}}";
    separator = ", ";
  }
  if (hasSeed_)
    s += separator + "%seed: tensor<i64> {aenet.seed}";
  return s + ") -> (tensor<f64> {aenet.name = \"loss\"})";
}

std::string GradientCheck::moduleText() const {
  std::string tail = " {\n" + body_ + "\n  return %loss : tensor<f64>\n}\n";
  return "func.func @train_loss" + signature() +
         " attributes {aenet.differentiate, aenet.optimizer = " + optimizer_ +
         "}" + tail + "\nfunc.func @evaluate" + signature() + tail;
}

::testing::AssertionResult GradientCheck::bind(const std::string &name,
                                               CompiledModel::Call &call,
                                               bool training) {
  const EntryPoint *entry = model_->entry(name);
  if (!entry)
    return ::testing::AssertionFailure() << "no entry point " << name;
  std::vector<void *> buffers;
  std::vector<double> &scalars = training ? trainScalars_ : evaluateScalars_;
  int &lossIndex = training ? trainLoss_ : evaluateLoss_;
  for (const BufferSlot &slot : entry->slots) {
    switch (slot.kind) {
    case BufferSlot::Kind::Input:
    case BufferSlot::Kind::Param: {
      Arg &a = find(slot.name);
      if (slot.shape != a.shape)
        return ::testing::AssertionFailure()
               << name << ": slot " << slot.name << " has another shape";
      buffers.push_back(training && a.isParam ? a.trained.data()
                                              : a.values.data());
      break;
    }
    case BufferSlot::Kind::State: {
      if (!training)
        return ::testing::AssertionFailure() << name << " has a state slot";
      states_.push_back(std::make_unique<State>(
          State{slot.name, slot.init,
                std::vector<double>(slot.numElements(), slot.init)}));
      buffers.push_back(states_.back()->values.data());
      break;
    }
    case BufferSlot::Kind::LayerState:
      // The harnesses test ops, not stateful layers (test/e2e/stateful.test).
      return ::testing::AssertionFailure()
             << name << ": a stateful layer's state slot " << slot.name;
    case BufferSlot::Kind::Gradient:
      // The harnesses compile whole train steps, not data-parallel ones
      // (SplitStepTest).
      return ::testing::AssertionFailure()
             << name << ": a data-parallel gradient slot " << slot.name;
    case BufferSlot::Kind::Seed:
      buffers.push_back(&seed_);
      break;
    case BufferSlot::Kind::Step:
      // A 0-d tensor of the element type: one double in f64.
      buffers.push_back(&step_);
      break;
    case BufferSlot::Kind::Hyperparameter:
      hyperparameters_.push_back(slot.init);
      buffers.push_back(&hyperparameters_.back());
      break;
    case BufferSlot::Kind::Scalars: {
      scalars.assign(slot.numElements(), 0.0);
      auto it = std::find(slot.scalarNames.begin(), slot.scalarNames.end(),
                          "loss");
      if (it == slot.scalarNames.end())
        return ::testing::AssertionFailure() << name << " returns no loss";
      lossIndex = static_cast<int>(it - slot.scalarNames.begin());
      buffers.push_back(scalars.data());
      break;
    }
    case BufferSlot::Kind::Output:
      outputs_.push_back(
          std::make_unique<std::vector<double>>(slot.numElements()));
      buffers.push_back(outputs_.back()->data());
      break;
    }
  }
  if (lossIndex < 0)
    return ::testing::AssertionFailure() << name << " has no scalars slot";
  call = model_->bind(name, buffers);
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult GradientCheck::compile() {
  std::string text = moduleText();
  model_ = CompiledModel::compileText(text);
  if (!model_)
    return ::testing::AssertionFailure() << "cannot compile:\n" << text;
  if (!model_->useF64())
    return ::testing::AssertionFailure() << "the module is not in f64";
  auto bound = bind("evaluate", evaluateCall_, false);
  if (!bound)
    return bound;
  bound = bind("train_step", trainCall_, true);
  if (!bound)
    return bound;
  return ::testing::AssertionSuccess();
}

double GradientCheck::evaluate() {
  evaluateCall_.run();
  return evaluateScalars_[evaluateLoss_];
}

std::vector<double> &GradientCheck::values(const std::string &name) {
  return find(name).values;
}

void GradientCheck::resetTraining() {
  for (auto &a : args_)
    if (a->isParam)
      a->trained = a->values; // same size: the bound pointer stays valid
  for (auto &s : states_)
    std::fill(s->values.begin(), s->values.end(), s->init);
}

double GradientCheck::trainStep(double step) {
  step_ = step;
  trainCall_.run();
  return trainScalars_[trainLoss_];
}

const std::vector<double> &
GradientCheck::trained(const std::string &name) const {
  return find(name).trained;
}

const std::vector<double> &GradientCheck::state(const std::string &name) const {
  for (auto &s : states_)
    if (s->name == name)
      return s->values;
  throw std::invalid_argument("no state named " + name);
}

std::vector<std::string> GradientCheck::stateNames() const {
  std::vector<std::string> names;
  for (auto &s : states_)
    names.push_back(s->name);
  return names;
}

std::vector<double> GradientCheck::analyticGradient(const std::string &name) {
  // With SGD at lr 1 the update is p' = p - 1 * g, so g = p - p' up to one
  // rounding of p - g.
  resetTraining();
  trainStep(1);
  const Arg &a = find(name);
  std::vector<double> g(a.values.size());
  for (size_t i = 0; i < g.size(); ++i)
    g[i] = a.values[i] - a.trained[i];
  return g;
}

std::vector<double> GradientCheck::numericGradient(const std::string &name) {
  std::vector<double> &p = find(name).values;
  std::vector<double> g(p.size());
  for (size_t i = 0; i < p.size(); ++i) {
    double saved = p[i];
    double h = 1e-6 * std::max(1.0, std::abs(saved));
    double up = saved + h, down = saved - h;
    p[i] = up;
    double lossUp = evaluate();
    p[i] = down;
    double lossDown = evaluate();
    p[i] = saved;
    // Divide by the step actually taken (up - down is exact here).
    g[i] = (lossUp - lossDown) / (up - down);
  }
  return g;
}

::testing::AssertionResult GradientCheck::checkGradients() {
  // Tolerance. Central differences with h = 1e-6 max(1, |p|) have a
  // truncation error of h^2 |L'''| / 6 ~ 1e-13 |L'''| and a rounding error
  // of ~ k eps |L| / h ~ 1e-10 |L| (eps = 2.2e-16 for f64, k a small factor
  // for the reductions in the loss); the analytic gradient p - p' is exact
  // up to ~ eps max(|p|, |g|). Every test keeps |L| and |L'''| of order 1
  // (data away from kinks and clip bounds), so errors of these kinds stay
  // near 1e-10, while a wrong rule (a missing factor, a wrong sign, another
  // mask) is off by O(|g|). We allow 1e-6 relative to the element or to the
  // parameter's largest gradient element, whichever is larger.
  const double rtol = 1e-6;
  // Each checked gradient must have an element at least this large, so that
  // the comparison can fail.
  const double minGradient = 1e-3;
  bool verbose = std::getenv("AEC_GRADCHECK_VERBOSE") != nullptr;

  double evalLoss = evaluate();
  resetTraining();
  double trainLoss = trainStep(1);
  if (!(std::abs(trainLoss - evalLoss) <= 1e-12 * std::abs(evalLoss)))
    return ::testing::AssertionFailure()
           << "train_step's loss " << trainLoss << " differs from evaluate's "
           << evalLoss;

  std::ostringstream failures;
  bool ok = true, anyParam = false;
  for (auto &a : args_) {
    if (!a->isParam)
      continue;
    anyParam = true;
    std::vector<double> analytic = analyticGradient(a->name);
    std::vector<double> numeric = numericGradient(a->name);
    double scale = 0;
    for (double n : numeric)
      scale = std::max(scale, std::abs(n));
    if (scale < minGradient) {
      ok = false;
      failures << a->name << ": the gradient is too small to test (max |g| = "
               << scale << ")\n";
      continue;
    }
    double worst = 0;
    for (size_t i = 0; i < numeric.size(); ++i) {
      double err = std::abs(analytic[i] - numeric[i]);
      double rel = err / std::max(std::abs(numeric[i]), scale);
      worst = std::max(worst, rel);
      if (rel > rtol) {
        ok = false;
        failures.precision(10);
        failures << a->name << "[" << i << "]: analytic " << analytic[i]
                 << ", numeric " << numeric[i] << " (relative error " << rel
                 << ")\n";
      }
    }
    if (verbose)
      std::cerr << "[gradcheck] " << a->name << ": max |g| " << scale
                << ", max relative error " << worst << "\n";
  }
  if (!anyParam)
    return ::testing::AssertionFailure() << "no parameter to check";
  if (!ok)
    return ::testing::AssertionFailure() << failures.str();
  return ::testing::AssertionSuccess();
}

} // namespace aenet::test
