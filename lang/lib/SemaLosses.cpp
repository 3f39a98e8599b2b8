//===- SemaLosses.cpp - Semantic checks of losses and metrics -------------===//
//
// A loss or metric compares a model value with a target: an input of equal
// shape, or class labels for the functions that take them. Each is checked
// here and added to the graph with the name it reports under.
//
//===----------------------------------------------------------------------===//

#include "ModelChecker.h"
#include "Numbers.h"

namespace aenet::sema {

namespace {

/// The kind |fn| names in |kinds| (losses or metrics, |what|), or null
/// after an "unknown WHAT" error that lists the nearest name.
template <typename Kind>
const Kind *lookUpKind(const std::map<std::string, Kind> &kinds,
                       const ast::Call &fn, const char *what,
                       DiagnosticEngine &diags) {
  auto kind = kinds.find(fn.callee.name);
  if (kind != kinds.end())
    return &kind->second;
  std::vector<std::string> names;
  for (const auto &k : kinds)
    names.push_back(k.first);
  diags.error(fn.callee.offset, std::string("unknown ") + what + " '" +
                                    fn.callee.name + "'" +
                                    didYouMean(fn.callee.name, names));
  return nullptr;
}

} // namespace

bool ModelChecker::checkTarget(const std::string &fn, int value, int target,
                               bool acceptsClasses, uint32_t at) {
  if (poisoned_.count(value) || poisoned_.count(target))
    return false;
  const ValueInfo &v = graph_.values[value];
  const ValueInfo &t = graph_.values[target];
  // Checked again when the data fixes the length.
  if (v.awaitsLength || t.awaitsLength)
    return true;
  const InputInfo *input = t.input >= 0 ? &graph_.inputs[t.input] : nullptr;
  if (input && input->kind == InputKind::Class) {
    if (!acceptsClasses) {
      diags_.error(at, fn + " needs a real-valued target, but '" + t.name +
                           "' is a class label (use cce or sparse_cce)");
      return false;
    }
    if (v.shape != Shape{input->classes}) {
      diags_.error(at, fn + ": '" + v.name + "' has shape " + v.shape.str() +
                           " but class target '" + t.name + "' needs " +
                           Shape{input->classes}.str());
      return false;
    }
    return true;
  }
  if (v.shape != t.shape) {
    diags_.error(at, fn + ": '" + v.name + "' has shape " + v.shape.str() +
                         " but target '" + t.name + "' has shape " +
                         t.shape.str());
    return false;
  }
  return true;
}

void ModelChecker::addLoss(const ast::LossDecl &decl) {
  static const std::map<std::string, LossKind> kinds = {
      {"mse", LossKind::MSE},        {"mae", LossKind::MAE},
      {"bce", LossKind::BCE},        {"cce", LossKind::CCE},
      {"sparse_cce", LossKind::SparseCCE}, {"kl_normal", LossKind::KLNormal}};
  const ast::Call &fn = decl.fn;
  const auto *kind = lookUpKind(kinds, fn, "loss", diags_);
  if (!kind)
    return;
  LossInfo loss;
  loss.kind = *kind;
  loss.offset = decl.offset;
  if (decl.weight) {
    std::optional<double> weight = readReal(*decl.weight, "a loss weight",
                                            diags_);
    loss.weight = weight.value_or(1);
    if (weight && !(*weight > 0))
      diags_.error(decl.weight->offset, "a loss weight must be positive");
  }
  const std::string &name = fn.callee.name;

  // Positional values: targets or (kl_normal) mu and logvar; then options.
  std::vector<const ast::Ident *> values;
  for (const ast::Arg &arg : fn.args) {
    const ast::Ident *id = ast::asIdent(arg.value);
    if (arg.key) {
      if (arg.key->name != "reduction" || !id ||
          (id->name != "mean" && id->name != "sum")) {
        diags_.error(arg.offset, name + " takes only 'reduction = mean|sum'");
        return;
      }
      loss.reduction = id->name == "sum" ? Reduction::Sum : Reduction::Mean;
    } else if (id && (id->name == "mean" || id->name == "sum")) {
      loss.reduction = id->name == "sum" ? Reduction::Sum : Reduction::Mean;
    } else if (id) {
      values.push_back(id);
    } else {
      diags_.error(arg.offset, name + " takes value names, got " +
                                   ast::describe(arg.value));
      return;
    }
  }

  if (loss.kind == LossKind::KLNormal) {
    if (decl.value) {
      diags_.error(decl.value->offset,
                   "kl_normal takes its values as arguments: "
                   "loss kl_normal(mu, logvar)");
      return;
    }
    if (values.size() != 2) {
      diags_.error(fn.offset, "kl_normal takes two values: kl_normal(mu, "
                              "logvar)");
      return;
    }
    loss.value = resolve(*values[0]);
    loss.target = resolve(*values[1]);
    if (loss.value < 0 || loss.target < 0)
      return;
    if (checkTarget(name, loss.value, loss.target, false, fn.offset) &&
        checkReportedName("kl_loss", decl.offset))
      graph_.losses.push_back(loss);
    return;
  }
  if (!decl.value) {
    diags_.error(fn.offset, "a " + name +
                                " loss needs the value it applies to: loss "
                                "VALUE: " + name + "(TARGET)");
    return;
  }
  if (values.size() > 1 && !valueIds_.count(values[1]->name)) {
    // `mse(x, median)`: a misspelt or unknown reduction, not a second target.
    diags_.error(values[1]->offset,
                 "'" + values[1]->name + "' is not a reduction; " + name +
                     " reduces by 'mean' (the default) or 'sum'" +
                     didYouMean(values[1]->name, {"mean", "sum"}));
    return;
  }
  if (values.size() != 1) {
    diags_.error(fn.offset, name + " takes one target: " + name + "(TARGET)");
    return;
  }
  loss.value = resolve(*decl.value);
  loss.target = resolve(*values[0]);
  if (loss.value < 0 || loss.target < 0)
    return;
  bool classes = loss.kind == LossKind::CCE || loss.kind == LossKind::SparseCCE;
  // Losses report as VALUE_loss (ModelGraph::reportedNames).
  if (checkTarget(name, loss.value, loss.target, classes, fn.offset) &&
      checkReportedName(graph_.values[loss.value].name + "_loss",
                        decl.offset))
    graph_.losses.push_back(loss);
}

void ModelChecker::addMetric(const ast::MetricDecl &decl) {
  static const std::map<std::string, MetricKind> kinds = {
      {"accuracy", MetricKind::Accuracy},
      {"pixel_accuracy", MetricKind::PixelAccuracy},
      {"mse", MetricKind::MSE},
      {"mae", MetricKind::MAE},
      {"bce", MetricKind::BCE},
      {"rmse", MetricKind::RMSE},
      {"errors", MetricKind::Errors},
      {"mean_abs", MetricKind::MeanAbs}};
  const ast::Call &fn = decl.fn;
  const auto *kind = lookUpKind(kinds, fn, "metric", diags_);
  if (!kind)
    return;
  // Reported as VALUE_METRIC (ModelGraph::reportedNames).
  auto checkName = [&](int value) {
    return checkReportedName(graph_.values[value].name + "_" + fn.callee.name,
                             decl.offset);
  };
  if (*kind == MetricKind::MeanAbs) {
    if (!fn.args.empty()) {
      diags_.error(fn.offset, "mean_abs measures the value alone and takes "
                              "no target: mean_abs()");
      return;
    }
    MetricInfo metric{*kind, resolve(decl.value), -1, decl.offset};
    if (metric.value >= 0 && !poisoned_.count(metric.value) &&
        checkName(metric.value))
      graph_.metrics.push_back(metric);
    return;
  }
  const ast::Ident *target =
      fn.args.size() == 1 && !fn.args[0].key ? ast::asIdent(fn.args[0].value)
                                             : nullptr;
  if (!target) {
    diags_.error(fn.offset, fn.callee.name + " takes one target: " +
                                fn.callee.name + "(TARGET)");
    return;
  }
  MetricInfo metric;
  metric.kind = *kind;
  metric.offset = decl.offset;
  metric.value = resolve(decl.value);
  metric.target = resolve(*target);
  if (metric.value < 0 || metric.target < 0)
    return;
  const ValueInfo &t = graph_.values[metric.target];
  // A chars target is one one-hot class per step: accuracy is then the
  // share of steps whose character is predicted, errors the number of steps
  // per sample whose character is not.
  bool classes = metric.kind == MetricKind::Accuracy ||
                 metric.kind == MetricKind::Errors;
  if (classes &&
      (t.input < 0 || (graph_.inputs[t.input].kind != InputKind::Class &&
                       graph_.inputs[t.input].kind != InputKind::Chars))) {
    diags_.error(target->offset,
                 fn.callee.name + " counts " +
                     (metric.kind == MetricKind::Accuracy ? "correct"
                                                          : "wrong") +
                     " class predictions and needs a class target such as "
                     "'digit: class[10]'; '" +
                     t.name +
                     "' is real-valued (pixel_accuracy compares values "
                     "rounded at 0.5)");
    return;
  }
  if (checkTarget(fn.callee.name, metric.value, metric.target, classes,
                  fn.offset) &&
      checkName(metric.value))
    graph_.metrics.push_back(metric);
}

} // namespace aenet::sema
