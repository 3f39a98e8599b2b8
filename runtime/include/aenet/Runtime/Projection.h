//===- Projection.h - Codes of many dimensions drawn on a plane -*- C++ -*-===//
//
// latent.png scatters an autoencoder's codes; a code of more than two
// numbers (a 64-number bottleneck, the multi-task example's 256-number
// thought vector) is drawn on its principal plane: the plane through the
// codes' mean spanned by the two directions of largest variance (PCA).
// t-SNE would separate clusters better, but Debian packages no C or C++
// implementation of it, and PCA is exact, fast and repeatable.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_RUNTIME_PROJECTION_H
#define AENET_RUNTIME_PROJECTION_H

#include <cstdint>
#include <vector>

namespace aenet::rt {

/// The |n| rows of |d| values of |rows| on their principal plane.
struct PlaneProjection {
  /// [n, 2]: each row's coordinates along the first and second principal
  /// directions, from the rows' mean.
  std::vector<float> xy;
  /// The share of the rows' total variance along each direction (0 to 1;
  /// 0 when the rows do not vary).
  double explained[2] = {0, 0};
};

/// Projects |rows| ([n, d], row-major) onto their principal plane. The
/// directions come from the covariance matrix by subspace iteration, in
/// double precision, without forming the matrix; each direction's sign is
/// chosen so that its largest component is positive, so a run repeats its
/// picture. For d = 1 the second coordinate is 0.
PlaneProjection projectOnPrincipalPlane(const std::vector<float> &rows,
                                        int64_t n, int64_t d);

} // namespace aenet::rt

#endif // AENET_RUNTIME_PROJECTION_H
