//===- LstmCell.h - aec's own LSTM over whole sequences ---------*- C++ -*-===//
//
// The LSTM layer of recurrent_forward and recurrent_backward, in Keras's
// layouts (batch-first x [N, T, C] and seq [N, T, H], kernel [C, 4H],
// recurrent kernel [H, 4H], bias [4H], gates in the order i, f, c, o):
// per step one matrix product of the batch's states by the recurrent
// kernel (oneDNN's sgemm) and the gates in one vectorized pass. Why not
// oneDNN's LSTM primitive (which the other cells keep): the batch's rows
// are independent, so each thread runs its own rows through all steps with
// no barrier (the primitive opens a parallel region per step, which wakes
// passively waiting threads 2x per step); the input projection of every
// step is one product (or, for one-hot rows, a row gather); and the
// weight gradients are one product each after the steps.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_RUNTIME_LSTMCELL_H
#define AENET_RUNTIME_LSTMCELL_H

#include <cstdint>

namespace aenet::rt::lstm {

/// Batch N, steps T, input features C, units H.
struct Sizes {
  int64_t n, t, c, h;
};

/// What a forward over whole sequences reads and writes.
struct ForwardArgs {
  const float *x, *h0, *c0, *kernel, *recurrent, *bias;
  float *seq, *hT, *cT;
};

/// The floats of the workspace a training forward fills and the backward
/// reads: every step's activated gates [N, T, 4H], cells c_t and tanh(c_t)
/// [N, T, H] each.
int64_t workspaceFloats(const Sizes &s);
/// The floats of an inference forward's scratch (one step's gates).
int64_t inferenceScratchFloats(const Sizes &s);
/// The floats of the backward's scratch: the pre-activation gradients of
/// every step [N, T, 4H] and the states each step read [N, T, H].
int64_t backwardScratchFloats(const Sizes &s);

/// The forward. With a |workspace| (training), it is filled for the
/// backward; otherwise |scratch| holds inferenceScratchFloats.
void forward(const Sizes &s, const ForwardArgs &a, float *workspace,
             float *scratch);

/// The gradients of the forward (whose arguments |a| and |workspace| it
/// reads) for output gradients dseq, dhT and dcT. Overwrites every
/// gradient; |scratch| holds backwardScratchFloats.
struct BackwardArgs {
  const float *dseq, *dhT, *dcT;
  float *dx, *dh0, *dc0, *dkernel, *drecurrent, *dbias;
};
void backward(const Sizes &s, const ForwardArgs &a, const float *workspace,
              const BackwardArgs &d, float *scratch);

} // namespace aenet::rt::lstm

#endif // AENET_RUNTIME_LSTMCELL_H
