//===- SequenceBuilder.h - Tensor code of the recurrent cells ---*- C++ -*-===//
//
// The few tensor shapes the recurrent cells' loops (RecurrentCells.cpp) are
// made of: matmuls (plain and transposed), time-major matrices and their
// steps, gate blocks, bias rows and column sums, elementwise maps. Header
// only: one user, kept apart so that the cells read as equations.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_LIB_CONVERSION_AENETTOLINALG_SEQUENCEBUILDER_H
#define AENET_LIB_CONVERSION_AENETTOLINALG_SEQUENCEBUILDER_H

#include "PatternUtils.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"

namespace mlir::aenet {

/// Builders of the few tensor shapes the cells are made of, for one element
/// type.
struct SequenceBuilder {
  OpBuilder &b;
  Location loc;
  Type element;

  RankedTensorType type(ArrayRef<int64_t> shape) const {
    return RankedTensorType::get(shape, element);
  }
  static ArrayRef<int64_t> shapeOf(Value v) {
    return getTensorType(v).getShape();
  }
  Value zeros(ArrayRef<int64_t> shape) const {
    return createFilled(b, loc, type(shape), createFloat(b, loc, element, 0));
  }

  /// a [M, K] x b [K, N] added to |acc| (zeros when null).
  Value matmul(Value a, Value bm, Value acc = {}) const {
    RankedTensorType t = type({shapeOf(a)[0], shapeOf(bm)[1]});
    if (!acc)
      acc = zeros(t.getShape());
    return linalg::MatmulOp::create(b, loc, TypeRange{t}, ValueRange{a, bm},
                                    ValueRange{acc})
        ->getResult(0);
  }
  /// a^T b for a [K, M], b [K, N].
  Value matmulTransposeA(Value a, Value bm) const {
    RankedTensorType t = type({shapeOf(a)[1], shapeOf(bm)[1]});
    return linalg::MatmulTransposeAOp::create(b, loc, TypeRange{t},
                                              ValueRange{a, bm},
                                              ValueRange{zeros(t.getShape())})
        ->getResult(0);
  }
  /// a b^T for a [M, K], b [N, K], added to |acc| (zeros when null).
  Value matmulTransposeB(Value a, Value bm, Value acc = {}) const {
    RankedTensorType t = type({shapeOf(a)[0], shapeOf(bm)[0]});
    if (!acc)
      acc = zeros(t.getShape());
    return linalg::MatmulTransposeBOp::create(b, loc, TypeRange{t},
                                              ValueRange{a, bm},
                                              ValueRange{acc})
        ->getResult(0);
  }

  /// [N, T, X] batch-first as the time-major matrix [T * N, X], whose rows
  /// t * N .. t * N + N - 1 are step t. One generic over the matrix reads
  /// the sequence through (i, x) -> (i mod N, i floordiv N, x): no reshape
  /// next to the matmuls that read the matrix, which reshape propagation
  /// would otherwise turn into unvectorized generics.
  Value toTimeMajor(Value v) const {
    ArrayRef<int64_t> s = shapeOf(v);
    int64_t n = s[0];
    AffineExpr i = b.getAffineDimExpr(0), x = b.getAffineDimExpr(1);
    AffineMap read = AffineMap::get(2, 0, {i % n, i.floorDiv(n), x},
                                    b.getContext());
    return copyThrough(v, type({s[1] * n, s[2]}), read);
  }
  /// The time-major matrix |m| [T * N, X] as [N, T, X] batch-first.
  Value toBatchFirst(Value m, int64_t steps) const {
    ArrayRef<int64_t> s = shapeOf(m);
    int64_t n = s[0] / steps;
    AffineExpr bn = b.getAffineDimExpr(0), t = b.getAffineDimExpr(1),
               x = b.getAffineDimExpr(2);
    AffineMap read = AffineMap::get(3, 0, {t * n + bn, x}, b.getContext());
    return copyThrough(m, type({n, steps, s[1]}), read);
  }
  /// A tensor of |result| whose element at each index is |v|'s at |read|
  /// of that index.
  Value copyThrough(Value v, RankedTensorType result, AffineMap read) const {
    SmallVector<utils::IteratorType> iterators(result.getRank(),
                                               utils::IteratorType::parallel);
    return createGeneric(b, loc, v, createEmpty(b, loc, result),
                         {read, b.getMultiDimIdentityMap(result.getRank())},
                         iterators,
                         [](OpBuilder &, Location, ValueRange args) {
                           return SmallVector<Value>{args[0]};
                         })
        .getResult(0);
  }

  /// The slice of |v| at |offsets| of |sizes|, of type |result| (rank
  /// reduced when |result| drops unit sizes).
  Value slice(Value v, ArrayRef<OpFoldResult> offsets,
              ArrayRef<int64_t> sizes, RankedTensorType result) const {
    SmallVector<OpFoldResult> size, strides;
    for (int64_t s : sizes) {
      size.push_back(b.getIndexAttr(s));
      strides.push_back(b.getIndexAttr(1));
    }
    return tensor::ExtractSliceOp::create(b, loc, result, v, offsets, size,
                                          strides);
  }
  /// |v| written into |into| at |offsets|; a |v| of lower rank is one
  /// leading index of |into|.
  Value insert(Value v, Value into, ArrayRef<OpFoldResult> offsets) const {
    ArrayRef<int64_t> intoShape = shapeOf(into);
    SmallVector<OpFoldResult> size, strides;
    ArrayRef<int64_t> vs = shapeOf(v);
    if (vs.size() < intoShape.size())
      size.push_back(b.getIndexAttr(1));
    for (int64_t s : vs)
      size.push_back(b.getIndexAttr(s));
    for (size_t i = 0; i < intoShape.size(); ++i)
      strides.push_back(b.getIndexAttr(1));
    return tensor::InsertSliceOp::create(b, loc, v, into, offsets, size,
                                         strides);
  }

  /// Step |t| of the time-major matrix |seq| [T * N, X]: rows t * N ..
  /// t * N + N - 1, as [N, X].
  Value step(Value seq, Value t, int64_t n) const {
    int64_t cols = shapeOf(seq)[1];
    Value row = arith::MulIOp::create(b, loc, t, index(n));
    return slice(seq, {row, b.getIndexAttr(0)}, {n, cols}, type({n, cols}));
  }
  Value setStep(Value seq, Value t, Value v) const {
    Value row = arith::MulIOp::create(b, loc, t, index(shapeOf(v)[0]));
    return insert(v, seq, {row, b.getIndexAttr(0)});
  }
  /// Columns [g * h, (g + 1) * h) of the matrix |m|.
  Value block(Value m, int64_t g, int64_t h) const {
    int64_t rows = shapeOf(m)[0];
    return slice(m, {b.getIndexAttr(0), b.getIndexAttr(g * h)}, {rows, h},
                 type({rows, h}));
  }
  /// The matrices |blocks| [R, h] side by side: [R, n * h].
  Value join(ArrayRef<Value> blocks) const {
    ArrayRef<int64_t> s = shapeOf(blocks[0]);
    Value out = createEmpty(
        b, loc, type({s[0], s[1] * static_cast<int64_t>(blocks.size())}));
    for (auto [g, blk] : llvm::enumerate(blocks))
      out = insert(blk, out,
                   {b.getIndexAttr(0),
                    b.getIndexAttr(static_cast<int64_t>(g) * s[1])});
    return out;
  }
  /// Row |row| of the matrix |m|, as a vector.
  Value row(Value m, int64_t r) const {
    int64_t cols = shapeOf(m)[1];
    return slice(m, {b.getIndexAttr(r), b.getIndexAttr(0)}, {1, cols},
                 type({cols}));
  }

  /// |m| [R, C] plus |bias| [C] on every row.
  Value addRows(Value m, Value bias) const {
    AffineMap identity = b.getMultiDimIdentityMap(2);
    AffineMap column = AffineMap::get(2, 0, b.getAffineDimExpr(1));
    return createGeneric(b, loc, ValueRange{m, bias},
                         createEmpty(b, loc, getTensorType(m)),
                         {identity, column, identity},
                         {utils::IteratorType::parallel,
                          utils::IteratorType::parallel},
                         [](OpBuilder &nb, Location l, ValueRange args) {
                           return SmallVector<Value>{
                               arith::AddFOp::create(nb, l, args[0], args[1])};
                         })
        .getResult(0);
  }
  /// |bias| [C] repeated on |rows| rows.
  Value broadcastRows(Value bias, int64_t rows) const {
    return addRows(zeros({rows, shapeOf(bias)[0]}), bias);
  }
  /// The column sums of |m| [R, C]: [C].
  Value columnSums(Value m) const {
    ArrayRef<int64_t> s = shapeOf(m);
    AffineMap identity = b.getMultiDimIdentityMap(2);
    AffineMap column = AffineMap::get(2, 0, b.getAffineDimExpr(1));
    return createGeneric(b, loc, m, zeros({s[1]}), {identity, column},
                         {utils::IteratorType::reduction,
                          utils::IteratorType::parallel},
                         [](OpBuilder &nb, Location l, ValueRange args) {
                           return SmallVector<Value>{
                               arith::AddFOp::create(nb, l, args[1], args[0])};
                         })
        .getResult(0);
  }

  /// One elementwise generic over same-shape |inputs| with |results|
  /// results of their type.
  SmallVector<Value> map(ValueRange inputs, unsigned results,
                         MultiScalarFn body) const {
    SmallVector<Type> types(results, inputs[0].getType());
    return createElementwise(b, loc, inputs, types, body);
  }

  Value index(int64_t v) const {
    return arith::ConstantIndexOp::create(b, loc, v);
  }
};

} // namespace mlir::aenet

#endif // AENET_LIB_CONVERSION_AENETTOLINALG_SEQUENCEBUILDER_H
