//===- KerasRecurrentReference.h - Keras's RNNs in double -------*- C++ -*-===//
//
// An independent reference for the recurrent kernels: Keras's SimpleRNN,
// LSTM and GRU (reset_after both ways) written from Keras's equations
// (TOOLCHAIN.md §10), step by step in double precision, in Keras's layouts
// and gate orders. Nothing here comes from the kernels under test.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_TEST_UNIT_RUNTIME_KERASRECURRENTREFERENCE_H
#define AENET_TEST_UNIT_RUNTIME_KERASRECURRENTREFERENCE_H

#include "aenet/Runtime/KernelAbi.h"

#include <cstdint>
#include <vector>

namespace aenet::test {

/// One recurrent layer and its inputs, batch first as Keras: x [N, T, C],
/// h0 and c0 [N, H] (c0 read only by the LSTM), kernel [C, G*H], recurrent
/// [H, G*H], bias [G*H] (LbrGru: [2, 3H], input then recurrent biases).
struct RecurrentLayer {
  rt::RecurrentCell cell;
  int64_t n, t, c, h;
  std::vector<double> x, h0, c0, kernel, recurrent, bias;
};

/// Every step's h [N, T, H] and the final h and c [N, H] (c stays c0 but
/// for the LSTM).
struct RecurrentResult {
  std::vector<double> seq, hT, cT;
};

/// The layer's outputs by Keras's equations.
RecurrentResult runKerasLayer(const RecurrentLayer &layer);

} // namespace aenet::test

#endif // AENET_TEST_UNIT_RUNTIME_KERASRECURRENTREFERENCE_H
