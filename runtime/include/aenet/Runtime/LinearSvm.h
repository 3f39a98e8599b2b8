//===- LinearSvm.h - A multi-class linear SVM (liblinear) -------*- C++ -*-===//
//
// `aec probe` asks whether an autoencoder's codes are as good as the raw
// pixels for a linear classifier, the course work's question. This is that
// classifier: liblinear's L2-regularized L2-loss support vector classifier,
// one-vs-rest over the classes, with a bias feature of 1 (regularized, as
// liblinear does).
//
// Features are scaled, not standardized: each is divided by its largest
// absolute value over the training rows (a feature that is zero in every
// row stays zero), so every feature lies in [-1, 1] and none dominates the
// regularizer by its units alone. Scaling keeps zeros zero, and liblinear
// stores only the non-zero values: ReLU codes and image backgrounds are
// mostly zeros, which centering would make dense.
//
// Usage:
//
//   rt::LinearSvm svm = rt::LinearSvm::train(x, rows, features, labels);
//   double accuracy = svm.accuracy(testX, testRows, testLabels);
//
// Bad input (no rows, a class out of range, a non-finite feature, a single
// class) throws SvmError with a message a user can act on.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_RUNTIME_LINEARSVM_H
#define AENET_RUNTIME_LINEARSVM_H

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <vector>

/// liblinear's trained model (linear.h), kept opaque here.
struct model;

namespace aenet::rt {

/// Input a linear SVM cannot train or predict on.
struct SvmError : std::runtime_error {
  using std::runtime_error::runtime_error;
  ~SvmError() override;
};

/// Which of liblinear's two solvers of the same problem runs.
enum class SvmSolver {
  /// Dual coordinate descent when there are at least as many features as
  /// rows, else the primal trust-region Newton method: liblinear's own
  /// advice, since each is fast when its variables are the fewer.
  Automatic,
  Dual,   ///< L2R_L2LOSS_SVC_DUAL: one variable per training row.
  Primal, ///< L2R_L2LOSS_SVC: one variable per feature.
};

/// How an SVM is trained; the defaults are liblinear's own (`train -s 2` or
/// `-s 1` with `-B 1`).
struct SvmOptions {
  /// The cost of a margin violation; larger fits the training data closer.
  double c = 1;
  /// liblinear's stopping tolerance; 0 takes its defaults (0.1 for the
  /// dual solver, 0.01 for the primal one).
  double tolerance = 0;
  SvmSolver solver = SvmSolver::Automatic;
};

/// A trained classifier of rows of |features()| floats into |classes()|
/// classes.
class LinearSvm {
public:
  /// Trains on the |rows| x |features| row-major values |x| with the class
  /// labels[i] in [0, |classes|) of row i. Throws SvmError when |rows| or
  /// |features| is 0, |labels| does not hold |rows| labels, a label is out
  /// of range, a value is not finite, or the labels hold fewer than two
  /// distinct classes.
  static LinearSvm train(const float *x, int64_t rows, int64_t features,
                         const std::vector<int64_t> &labels, int64_t classes,
                         const SvmOptions &options = {});

  LinearSvm(LinearSvm &&) noexcept;
  LinearSvm &operator=(LinearSvm &&) noexcept;
  ~LinearSvm();

  /// The number of values in a row, as trained.
  int64_t features() const { return featureCount; }
  /// The number of classes labels range over, as trained.
  int64_t classes() const { return classCount; }
  /// The solver that ran (never Automatic).
  SvmSolver solver() const { return solverUsed; }

  /// The decision value of each class for the row |row| of features()
  /// values, in the classes' order: w_k . scaled(row) + b_k for class k.
  /// With two classes liblinear learns one function f; the first class
  /// seen in training gets f and the other -f. A class absent from the
  /// training labels gets -infinity. Throws SvmError on a non-finite value.
  std::vector<double> decisionValues(const float *row) const;

  /// The class of largest decision value of |row|.
  int64_t predict(const float *row) const;

  /// The fraction of the |rows| rows of |x| whose predicted class is
  /// labels[i]. Throws SvmError when |labels| does not hold |rows| labels.
  double accuracy(const float *x, int64_t rows,
                  const std::vector<int64_t> &labels) const;

private:
  LinearSvm() = default;

  struct ModelDeleter {
    void operator()(::model *m) const;
  };
  /// liblinear's model, over the scaled features and the bias.
  std::unique_ptr<::model, ModelDeleter> trained;
  /// 1 / (largest |value| of each feature), or 0 for an all-zero feature.
  std::vector<double> scale;
  int64_t featureCount = 0;
  int64_t classCount = 0;
  SvmSolver solverUsed = SvmSolver::Automatic;
};

} // namespace aenet::rt

#endif // AENET_RUNTIME_LINEARSVM_H
