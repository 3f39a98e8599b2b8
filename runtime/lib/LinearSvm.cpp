//===- LinearSvm.cpp - A multi-class linear SVM (liblinear) ---------------===//
//
// liblinear takes rows as arrays of (1-based index, value) nodes ending in
// index -1, and holds only the non-zero values. With a bias, the caller
// appends the node {n + 1, bias} to every row, for training and for
// prediction alike, and tells liblinear there are n + 1 features; the
// model's weights then include the bias as their last column.
//
// liblinear reports progress (and "reaching max number of iterations") on
// stdout through a global print function; `aec probe` prints a table there,
// so training runs with a print function that drops the text.
//
//===----------------------------------------------------------------------===//

#include "aenet/Runtime/LinearSvm.h"

#include <linear.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <limits>
#include <string>

namespace aenet::rt {

SvmError::~SvmError() = default;

namespace {

/// The bias feature's value: 1, as liblinear's `-B 1`.
constexpr double kBias = 1.0;

/// liblinear's print function while training: its progress text dropped.
void dropText(const char *) {}

/// Appends |row| (|features| values) times |scale| to |nodes| as liblinear
/// reads it: the non-zero values, the bias node and the terminator. Throws
/// SvmError naming |what| on a non-finite value.
void appendNodes(const float *row, const std::vector<double> &scale,
                 const std::string &what, std::vector<feature_node> &nodes) {
  int features = static_cast<int>(scale.size());
  for (int j = 0; j < features; ++j) {
    if (!std::isfinite(row[j]))
      throw SvmError("feature " + std::to_string(j) + " of " + what +
                     " is " + std::to_string(row[j]) +
                     "; a linear SVM needs finite values");
    double v = row[j] * scale[j];
    if (v != 0)
      nodes.push_back({j + 1, v});
  }
  nodes.push_back({features + 1, kBias});
  nodes.push_back({-1, 0});
}

/// Throws SvmError unless |labels| holds |rows| classes in [0, |classes|);
/// |what| says which rows ("training", "test").
void checkLabels(const std::vector<int64_t> &labels, int64_t rows,
                 int64_t classes, const std::string &what) {
  if (static_cast<int64_t>(labels.size()) != rows)
    throw SvmError(std::to_string(rows) + " " + what + " rows but " +
                   std::to_string(labels.size()) + " labels");
  for (size_t i = 0; i < labels.size(); ++i)
    if (labels[i] < 0 || labels[i] >= classes)
      throw SvmError("label " + std::to_string(labels[i]) + " of " + what +
                     " row " + std::to_string(i) +
                     " is not a class from 0 to " +
                     std::to_string(classes - 1));
}

} // namespace

void LinearSvm::ModelDeleter::operator()(::model *m) const {
  free_and_destroy_model(&m);
}

LinearSvm::LinearSvm(LinearSvm &&) noexcept = default;
LinearSvm &LinearSvm::operator=(LinearSvm &&) noexcept = default;
LinearSvm::~LinearSvm() = default;

LinearSvm LinearSvm::train(const float *x, int64_t rows, int64_t features,
                           const std::vector<int64_t> &labels,
                           int64_t classes, const SvmOptions &options) {
  if (rows <= 0)
    throw SvmError("no training rows: a linear SVM needs labelled samples");
  if (!(options.c > 0) || !std::isfinite(options.c))
    throw SvmError("the cost C must be a finite number above 0, not " +
                   std::to_string(options.c));
  if (features <= 0)
    throw SvmError("the training rows have no features");
  // liblinear counts rows and feature indices (plus the bias) in int.
  if (rows > INT_MAX || features >= INT_MAX)
    throw SvmError(std::to_string(rows) + " rows of " +
                   std::to_string(features) +
                   " features are more than liblinear can index (2^31 - 1)");
  if (classes < 2 || classes > INT_MAX)
    throw SvmError("a classifier needs 2 classes or more, not " +
                   std::to_string(classes));
  checkLabels(labels, rows, classes, "training");
  std::vector<bool> seen(classes, false);
  int64_t distinct = 0;
  for (int64_t label : labels)
    if (!seen[label]) {
      seen[label] = true;
      ++distinct;
    }
  if (distinct < 2)
    throw SvmError("every training label is class " +
                   std::to_string(labels[0]) +
                   "; a classifier needs samples of two classes or more");

  LinearSvm svm;
  svm.featureCount = features;
  svm.classCount = classes;
  svm.scale.assign(features, 0.0);
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < features; ++j)
      svm.scale[j] = std::max(
          svm.scale[j], static_cast<double>(std::fabs(x[i * features + j])));
  for (double &s : svm.scale)
    s = s > 0 && std::isfinite(s) ? 1 / s : 0;

  // Every row's nodes in one array, pointed into once it stops growing.
  std::vector<feature_node> nodes;
  std::vector<size_t> starts;
  for (int64_t i = 0; i < rows; ++i) {
    starts.push_back(nodes.size());
    appendNodes(x + i * features, svm.scale,
                "training row " + std::to_string(i), nodes);
  }
  std::vector<feature_node *> rowNodes;
  for (size_t start : starts)
    rowNodes.push_back(nodes.data() + start);
  std::vector<double> y(labels.begin(), labels.end());

  problem prob{};
  prob.l = static_cast<int>(rows);
  prob.n = static_cast<int>(features) + 1;
  prob.y = y.data();
  prob.x = rowNodes.data();
  prob.bias = kBias;

  svm.solverUsed = options.solver;
  if (svm.solverUsed == SvmSolver::Automatic)
    svm.solverUsed = features >= rows ? SvmSolver::Dual : SvmSolver::Primal;
  bool dual = svm.solverUsed == SvmSolver::Dual;
  parameter param{};
  param.solver_type = dual ? L2R_L2LOSS_SVC_DUAL : L2R_L2LOSS_SVC;
  param.eps = options.tolerance > 0 ? options.tolerance : dual ? 0.1 : 0.01;
  param.C = options.c;
  param.nr_weight = 0;
  param.weight_label = nullptr;
  param.weight = nullptr;
  param.p = 0.1;
  param.init_sol = nullptr;
  if (const char *problem = check_parameter(&prob, &param))
    throw SvmError(std::string("liblinear refuses the problem: ") + problem);
  set_print_string_function(dropText);
  svm.trained.reset(::train(&prob, &param));
  if (!svm.trained)
    throw SvmError("liblinear returned no model");
  return svm;
}

std::vector<double> LinearSvm::decisionValues(const float *row) const {
  std::vector<feature_node> nodes;
  appendNodes(row, scale, "the row", nodes);
  int n = trained->nr_class;
  std::vector<double> dec(n);
  predict_values(trained.get(), nodes.data(), dec.data());
  std::vector<double> values(classCount,
                             -std::numeric_limits<double>::infinity());
  if (n == 2) {
    // One function f for label[0]: positive means label[0].
    values[trained->label[0]] = dec[0];
    values[trained->label[1]] = -dec[0];
  } else {
    for (int k = 0; k < n; ++k)
      values[trained->label[k]] = dec[k];
  }
  return values;
}

int64_t LinearSvm::predict(const float *row) const {
  std::vector<double> values = decisionValues(row);
  int64_t best = 0;
  for (int64_t k = 1; k < classCount; ++k)
    if (values[k] > values[best])
      best = k;
  return best;
}

double LinearSvm::accuracy(const float *x, int64_t rows,
                           const std::vector<int64_t> &labels) const {
  if (rows <= 0)
    throw SvmError("no rows to test on");
  checkLabels(labels, rows, classCount, "test");
  int64_t right = 0;
  for (int64_t i = 0; i < rows; ++i)
    right += predict(x + i * featureCount) == labels[i];
  return static_cast<double>(right) / static_cast<double>(rows);
}

} // namespace aenet::rt
