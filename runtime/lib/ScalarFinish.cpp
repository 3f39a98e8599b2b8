//===- ScalarFinish.cpp - A pass's scalars from its batches' --------------===//
//
// The one place where row-weighted sums of batch scalars become the values
// an epoch or an evaluation pass reports.
//
//===----------------------------------------------------------------------===//

#include "aenet/Runtime/ScalarFinish.h"

#include <algorithm>
#include <cmath>

namespace aenet::rt {

std::vector<double> finishScalars(const std::vector<double> &sums,
                                  int64_t rows,
                                  const std::vector<ScalarFinish> &finishes) {
  double n = static_cast<double>(std::max<int64_t>(rows, 1));
  std::vector<double> values(sums.size());
  for (size_t i = 0; i < sums.size(); ++i) {
    switch (i < finishes.size() ? finishes[i] : ScalarFinish::Mean) {
    case ScalarFinish::Mean:
      values[i] = sums[i] / n;
      break;
    // The root of a NaN or infinite mean is too, as the divergence checks
    // need.
    case ScalarFinish::SqrtOfMean:
      values[i] = std::sqrt(sums[i] / n);
      break;
    // The sum over the pass's rows of the counts per row is the pass's count.
    case ScalarFinish::Total:
      values[i] = sums[i];
      break;
    }
  }
  return values;
}

} // namespace aenet::rt
