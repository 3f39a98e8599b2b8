//===- BackendCheck.cpp - One model on both backends ----------------------===//
//
// Builds the module of BackendCheck.h, compiles and binds it per backend and
// element type (the harness owns every buffer), and compares the results.
//
//===----------------------------------------------------------------------===//

#include "BackendCheck.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <sstream>

namespace aenet::test {

std::string f32Type(const Shape &shape) {
  std::string s = "tensor<";
  for (int64_t d : shape)
    s += std::to_string(d) + "x";
  return s + "f32>";
}

struct BackendCheck::Arg {
  bool isParam;
  std::string name;
  Shape shape;
  std::vector<double> values; ///< exactly representable in f32
};

/// One compiled module with its bound entry points and buffers.
template <typename T> struct BackendCheck::Compiled {
  std::unique_ptr<CompiledModel> model;
  CompiledModel::Call train, evaluate;
  /// Per argument: what evaluate reads (and train_step, for inputs), and
  /// train_step's parameter buffer.
  std::vector<std::vector<T>> values, trained;
  std::vector<std::unique_ptr<std::vector<T>>> extra; ///< states, outputs
  std::vector<T> trainScalars, evaluateScalars;
  int trainLoss = -1, evaluateLoss = -1;
  int64_t seed = 0;
  T step = 1;
  /// The values the module was built with (the slots' init); a deque, as
  /// bound addresses must not move.
  std::deque<T> hyperparameters;

  ::testing::AssertionResult bind(const std::vector<Arg> &args,
                                  const std::string &entry, bool training);
  double runEvaluate() {
    evaluate.run();
    return evaluateScalars[evaluateLoss];
  }
  /// Runs train_step from the argument values; returns its loss.
  double runTrain() {
    for (size_t i = 0; i < values.size(); ++i)
      std::copy(values[i].begin(), values[i].end(), trained[i].begin());
    train.run();
    return trainScalars[trainLoss];
  }
  std::vector<double> gradient(size_t arg) const {
    std::vector<double> g(values[arg].size());
    for (size_t i = 0; i < g.size(); ++i)
      g[i] = double(values[arg][i]) - double(trained[arg][i]);
    return g;
  }
};

template <typename T>
::testing::AssertionResult
BackendCheck::Compiled<T>::bind(const std::vector<Arg> &args,
                                const std::string &name, bool training) {
  const EntryPoint *entry = model->entry(name);
  if (!entry)
    return ::testing::AssertionFailure() << "no entry point " << name;
  std::vector<void *> buffers;
  std::vector<T> &scalars = training ? trainScalars : evaluateScalars;
  int &lossIndex = training ? trainLoss : evaluateLoss;
  for (const BufferSlot &slot : entry->slots) {
    switch (slot.kind) {
    case BufferSlot::Kind::Input:
    case BufferSlot::Kind::Param: {
      auto it = std::find_if(args.begin(), args.end(),
                             [&](const Arg &a) { return a.name == slot.name; });
      if (it == args.end() || it->shape != slot.shape)
        return ::testing::AssertionFailure()
               << name << ": no argument " << slot.name << " of that shape";
      size_t i = it - args.begin();
      buffers.push_back(training && it->isParam ? trained[i].data()
                                                : values[i].data());
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
      buffers.push_back(&seed);
      break;
    case BufferSlot::Kind::Step:
      buffers.push_back(&step);
      break;
    case BufferSlot::Kind::Hyperparameter:
      hyperparameters.push_back(static_cast<T>(slot.init));
      buffers.push_back(&hyperparameters.back());
      break;
    case BufferSlot::Kind::Scalars: {
      scalars.assign(slot.numElements(), 0);
      auto it = std::find(slot.scalarNames.begin(), slot.scalarNames.end(),
                          "loss");
      if (it == slot.scalarNames.end())
        return ::testing::AssertionFailure() << name << " returns no loss";
      lossIndex = static_cast<int>(it - slot.scalarNames.begin());
      buffers.push_back(scalars.data());
      break;
    }
    case BufferSlot::Kind::State:
    case BufferSlot::Kind::Output:
      extra.push_back(std::make_unique<std::vector<T>>(
          slot.numElements(), static_cast<T>(slot.init)));
      buffers.push_back(extra.back()->data());
      break;
    }
  }
  if (lossIndex < 0)
    return ::testing::AssertionFailure() << name << " has no scalars slot";
  (training ? train : evaluate) = model->bind(name, buffers);
  return ::testing::AssertionSuccess();
}

BackendCheck::BackendCheck() = default;
BackendCheck::~BackendCheck() = default;

static std::vector<double> roundedToF32(const std::vector<double> &values) {
  std::vector<double> rounded;
  for (double v : values)
    rounded.push_back(static_cast<float>(v));
  return rounded;
}

void BackendCheck::input(const std::string &name, const Shape &shape,
                         const std::vector<double> &values) {
  args_.push_back({false, name, shape, roundedToF32(values)});
}

void BackendCheck::param(const std::string &name, const Shape &shape,
                         const std::vector<double> &values) {
  args_.push_back({true, name, shape, roundedToF32(values)});
}

void BackendCheck::seed(int64_t value) {
  hasSeed_ = true;
  seed_ = value;
}

void BackendCheck::body(const std::string &ops) { body_ = ops; }

std::string BackendCheck::moduleText() const {
  std::string sig = "(";
  for (size_t i = 0; i < args_.size(); ++i) {
    const Arg &a = args_[i];
    sig += (i ? ", %" : "%") + a.name + ": " + f32Type(a.shape) + " {aenet." +
           (a.isParam ? "param" : "input") + " = \"" + a.name + "\"}";
  }
  if (hasSeed_)
    sig += std::string(args_.empty() ? "" : ", ") +
           "%seed: tensor<i64> {aenet.seed}";
  sig += ") -> (tensor<f32> {aenet.name = \"loss\"})";
  std::string tail = " {\n" + body_ + "\n  return %loss : tensor<f32>\n}\n";
  return "func.func @train_loss" + sig +
         " attributes {aenet.differentiate, aenet.optimizer = "
         "#aenet.optimizer<sgd, lr = 1.0, momentum = 0.0, nesterov = false>}" +
         tail + "\nfunc.func @evaluate" + sig + tail;
}

/// |text| with every f32 made f64 (op names and attributes have none).
static std::string inF64(std::string text) {
  for (size_t at = text.find("f32"); at != std::string::npos;
       at = text.find("f32", at))
    text.replace(at, 3, "f64");
  return text;
}

template <typename T>
static ::testing::AssertionResult
compileOne(const std::string &text, Backend backend,
           const std::vector<BackendCheck::Arg> &args,
           std::unique_ptr<BackendCheck::Compiled<T>> &out) {
  out = std::make_unique<BackendCheck::Compiled<T>>();
  out->model = CompiledModel::compileText(text, backend);
  if (!out->model)
    return ::testing::AssertionFailure()
           << "cannot compile for " << backendName(backend) << ":\n"
           << text;
  for (const auto &a : args) {
    out->values.emplace_back(a.values.begin(), a.values.end());
    out->trained.push_back(out->values.back());
  }
  auto bound = out->bind(args, "evaluate", false);
  if (bound)
    bound = out->bind(args, "train_step", true);
  return bound;
}

::testing::AssertionResult BackendCheck::compile() {
  std::string text = moduleText();
  auto ok = compileOne(text, Backend::Loops, args_, loops_);
  if (ok)
    ok = compileOne(text, Backend::OneDNN, args_, oneDnn_);
  if (ok)
    ok = compileOne(inF64(text), Backend::Loops, args_, reference_);
  if (ok)
    loops_->seed = oneDnn_->seed = reference_->seed = seed_;
  return ok;
}

/// Compares |actual| with |expected| element by element, relative to the
/// element or to |expected|'s largest element, whichever is larger (an
/// element that is a difference of large terms can be small and carry the
/// absolute error of the large ones). Appends failures to |out|.
static bool compareGradients(const std::string &what,
                             const std::vector<double> &expected,
                             const std::vector<double> &actual, double rtol,
                             std::ostream &out) {
  double scale = 0;
  for (double e : expected)
    scale = std::max(scale, std::abs(e));
  if (scale < 1e-3) {
    out << what << ": the gradient is too small to test (max |g| = " << scale
        << ")\n";
    return false;
  }
  bool ok = true;
  int shown = 0;
  for (size_t i = 0; i < expected.size(); ++i) {
    double rel = std::abs(actual[i] - expected[i]) /
                 std::max(std::abs(expected[i]), scale);
    if (rel > rtol) {
      ok = false;
      if (shown++ < 8) {
        out.precision(9);
        out << what << "[" << i << "]: " << actual[i] << ", expected "
            << expected[i] << " (relative error " << rel << ")\n";
      }
    }
  }
  return ok;
}

static bool compareLoss(const std::string &what, double expected,
                        double actual, double rtol, std::ostream &out) {
  if (std::abs(actual - expected) <= rtol * std::abs(expected))
    return true;
  out.precision(9);
  out << what << ": loss " << actual << ", expected " << expected << "\n";
  return false;
}

::testing::AssertionResult BackendCheck::checkAgreement() {
  // Both backends compute in f32 and sum in different orders (oneDNN blocks
  // its reductions), so they differ by a few f32 roundings per reduction:
  // ~1e-7 times the reduction's length in the worst case, far below 1e-4
  // for these sizes, while a wrong kernel is off by O(1).
  const double rtol = 1e-4;
  std::ostringstream failures;
  bool ok = compareLoss("oneDNN vs loops", loops_->runTrain(),
                        oneDnn_->runTrain(), rtol, failures);
  for (size_t i = 0; i < args_.size(); ++i)
    if (args_[i].isParam)
      ok &= compareGradients("oneDNN vs loops: d" + args_[i].name,
                             loops_->gradient(i), oneDnn_->gradient(i), rtol,
                             failures);
  if (!ok)
    return ::testing::AssertionFailure() << failures.str();
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult
BackendCheck::checkGradients(bool finiteDifferences) {
  std::ostringstream failures;
  double reference = reference_->runTrain();
  bool ok = compareLoss("oneDNN vs f64", reference, oneDnn_->runTrain(), 1e-4,
                        failures);
  ok &= compareLoss("oneDNN's evaluate vs f64", reference,
                    oneDnn_->runEvaluate(), 1e-4, failures);
  for (size_t a = 0; a < args_.size(); ++a) {
    if (!args_[a].isParam)
      continue;
    const std::string &name = args_[a].name;
    std::vector<double> analytic = oneDnn_->gradient(a);
    // f32 against the f64 reference: f32 rounding only (see
    // checkAgreement).
    ok &= compareGradients("oneDNN vs f64: d" + name, reference_->gradient(a),
                           analytic, 1e-4, failures);
    if (!finiteDifferences)
      continue;
    // Central differences of oneDNN's own evaluate, in f32, with a step
    // h = 1e-2 (the tests keep |p| below ~10, so p +- h is represented to
    // ~1e-6 h). The truncation error h^2 |L'''| / 6 is ~2e-5 |L'''| (zero
    // where L is quadratic in p, as for linear ops under mse), and the
    // rounding error ~ k eps |L| / h with eps = 6e-8 and k a few units for
    // the sums in the loss: ~2e-5 |L|. The tests keep |L| below ~50 and
    // max |g| of order 1, so errors stay near 1e-3 of the largest element
    // and 1e-2 leaves a margin, while a wrong rule (a missing factor, a
    // wrong mask or routing) is off by O(|g|). Data stay 0.025 or more from
    // kinks (relu at 0, a pooling window's runner-up), beyond the step.
    std::vector<float> &p = oneDnn_->values[a];
    std::vector<double> numeric(p.size());
    for (size_t i = 0; i < p.size(); ++i) {
      float saved = p[i];
      float up = saved + 1e-2f, down = saved - 1e-2f;
      p[i] = up;
      double lossUp = oneDnn_->runEvaluate();
      p[i] = down;
      double lossDown = oneDnn_->runEvaluate();
      p[i] = saved;
      numeric[i] = (lossUp - lossDown) / (double(up) - double(down));
    }
    ok &= compareGradients("oneDNN vs finite differences: d" + name, numeric,
                           analytic, 1e-2, failures);
  }
  if (!ok)
    return ::testing::AssertionFailure() << failures.str();
  return ::testing::AssertionSuccess();
}

std::vector<double> BackendCheck::oneDnnGradient(const std::string &name) {
  for (size_t a = 0; a < args_.size(); ++a)
    if (args_[a].name == name) {
      oneDnn_->runTrain();
      return oneDnn_->gradient(a);
    }
  ADD_FAILURE() << "no argument " << name;
  return {};
}

} // namespace aenet::test
