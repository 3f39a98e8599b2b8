//===- RecurrentCells.h - The loops of the recurrent cells ------*- C++ -*-===//
//
// The forward pass and backpropagation through time of SimpleRNN, LSTM and
// GRU as tensor code around `scf.for` loops, for the recurrent family's
// lowering patterns (RecurrentPatterns.cpp). See RecurrentCells.cpp.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_LIB_CONVERSION_AENETTOLINALG_RECURRENTCELLS_H
#define AENET_LIB_CONVERSION_AENETTOLINALG_RECURRENTCELLS_H

#include "PatternUtils.h"

namespace mlir::aenet {

enum class Cell { Rnn, Lstm, Gru };

/// The operands of a recurrent op (or of its gradient op) and the cell's
/// shape; |c0| is null but for an LSTM, |bias| when the layer has none.
struct CellOperands {
  Value x, h0, c0, kernel, recurrent, bias;
  /// The per-sample lengths [N] that mask padded steps, or null.
  Value lengths;
  ActivationKind activation = ActivationKind::tanh;
  ActivationKind recurrentActivation = ActivationKind::sigmoid;
  bool resetAfter = false;
  int64_t batch = 0, steps = 0, units = 0;
};

/// The CellOperands of a recurrent op's operands (shapes from |x| and
/// |recurrent|).
CellOperands cellOperands(Value x, Value h0, Value c0, Value kernel,
                          Value recurrent, Value bias, Value lengths,
                          ActivationKind a, ActivationKind ra,
                          bool resetAfter);

/// The forward op's results: the sequence [N, T, H], the final h, then (for
/// an LSTM) the final c.
SmallVector<Value> lowerForward(OpBuilder &b, Location loc, Cell cell,
                                const CellOperands &c);

/// The gradient op's results from the gradients of the forward results
/// (|finalCGrad| null but for an LSTM): the gradients of x, h0, (c0),
/// kernel, recurrent kernel, then the bias gradient of type |biasType|.
SmallVector<Value> lowerBackward(OpBuilder &b, Location loc, Cell cell,
                                 const CellOperands &c, Value sequenceGrad,
                                 Value finalHGrad, Value finalCGrad,
                                 RankedTensorType biasType);

} // namespace mlir::aenet

#endif // AENET_LIB_CONVERSION_AENETTOLINALG_RECURRENTCELLS_H
