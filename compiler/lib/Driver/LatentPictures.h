//===- LatentPictures.h - Pictures of a trained latent space ----*- C++ -*-===//
//
// What the course work asks of an autoencoder after training, drawn by `aec
// train` beside loss.png whenever the model has an encoder block:
//   latent.png         the codes of (up to 2,000) samples scattered,
//                      coloured by label when the data has one; a 2-D code
//                      as is, a wider one on its principal plane (PCA);
//   latent_grid.png    for a 2-D code and a decoder that ends in an image:
//                      the decoder over a 15 x 15 grid of z at the normal
//                      quantiles of 0.05 .. 0.95 (Keras's VAE example);
//   interpolation.png  for a 2-D code and an image decoder: each row decodes
//                      the straight line between the codes of two samples.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_LIB_DRIVER_LATENTPICTURES_H
#define AENET_LIB_DRIVER_LATENTPICTURES_H

#include "CompiledSteps.h"
#include "RunSetup.h"

#include <string>
#include <vector>

namespace aenet {

/// The normal quantiles of |k| evenly spaced probabilities from 0.05 to
/// 0.95 (0.5 alone for one): the coordinates of a walk over a 2-D latent.
std::vector<double> normalQuantiles(int64_t k);

/// Draws the pictures above into |setup.outDir| for the trained model of
/// |setup|: the codes come from its compiled |predict| step (batches of
/// |rows|) on |data|, the decoder is compiled alone (|backend|) with the
/// weights of |checkpoint|. Returns the paths written (none without an
/// encoder block). Throws rt::FileError (a picture that cannot be written,
/// gnuplot missing) and std::runtime_error when the decoder does not
/// compile.
std::vector<std::string> writeLatentPictures(const SourceFile &file,
                                             const RunSetup &setup,
                                             const rt::Dataset &data,
                                             BoundEntry &predict, int64_t rows,
                                             Backend backend,
                                             const std::string &checkpoint);

} // namespace aenet

#endif // AENET_LIB_DRIVER_LATENTPICTURES_H
