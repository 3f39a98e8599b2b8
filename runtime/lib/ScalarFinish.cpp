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
    double mean = sums[i] / n;
    bool root = i < finishes.size() && finishes[i] == ScalarFinish::SqrtOfMean;
    // The root of a NaN or infinite mean is too, as the divergence checks
    // need.
    values[i] = root ? std::sqrt(mean) : mean;
  }
  return values;
}

} // namespace aenet::rt
