//===- ScalarFinish.h - A pass's scalars from its batches' ------*- C++ -*-===//
//
// A compiled step reports its loss and metrics per batch; an epoch or an
// evaluation pass reports each over all of its samples. Most are means over
// samples, so the mean of the batch values weighted by their rows is exact.
// A root mean square is not: Keras's RootMeanSquaredError is the root of the
// mean square over all samples, which the mean of the batches' roots
// underestimates. Such a scalar's batch value is its mean square, and the
// root is taken here, after averaging. A count over the pass (the errors
// metric's wrongly predicted classes) is a sum, not a mean: its batch value
// is the count per row, so the rows-weighted sum is the count. Everything
// that turns row-weighted sums into reported values (the progress bar,
// metrics.csv, validation, aec eval) goes through finishScalars, so no
// caller knows which metric is which.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_RUNTIME_SCALARFINISH_H
#define AENET_RUNTIME_SCALARFINISH_H

#include <cstdint>
#include <vector>

namespace aenet::rt {

/// How a scalar's value over many batches is made from its batch values.
enum class ScalarFinish {
  Mean,       ///< the row-weighted mean (losses, mae, accuracy, ...)
  SqrtOfMean, ///< its square root: the batch value is a mean square (rmse)
  Total,      ///< the row-weighted sum: the batch value is a count per row
              ///< (errors)
};

/// The values of scalars whose batch values, each multiplied by its batch's
/// rows, sum to |sums| over |rows| rows (at least 1 is assumed when 0), each
/// finished as |finishes| says (a scalar beyond |finishes| by its mean): a
/// Total is its sum as it is.
std::vector<double> finishScalars(const std::vector<double> &sums,
                                  int64_t rows,
                                  const std::vector<ScalarFinish> &finishes);

} // namespace aenet::rt

#endif // AENET_RUNTIME_SCALARFINISH_H
