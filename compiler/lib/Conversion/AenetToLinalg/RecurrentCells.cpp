//===- RecurrentCells.cpp - The loops of the recurrent cells --------------===//
//
// SimpleRNN, LSTM and GRU (reset_after or not) as tensor code around an
// `scf.for` over the steps. What does not depend on the previous step runs
// outside the loops as one matmul over all steps: the input projection
// x W + b before the forward loop, and after the reverse loop the kernel,
// recurrent kernel, bias and input gradients from the stacked gradients of
// every step's gate sums. Inside the loops remain the [N, H] x [H, G*H]
// matmul with the previous state (vectorized later like every matmul) and
// elementwise generics of the gates.
//
// Sequences are time-major matrices inside ([T * N, X]), so that a step is
// one contiguous block of rows and the matmuls over all steps need no
// reshape; the batch-first operands and results are transposed once. Backward recomputes the forward pass and keeps, per step, what the
// reverse step needs (the trace: gate activations and states) rather than
// keeping it alive between the halves of train_step. Gate derivatives are
// taken from the activations' outputs (createActivationGrad), as the
// activation_grad op does.
//
//===----------------------------------------------------------------------===//

#include "RecurrentCells.h"
#include "SequenceBuilder.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::aenet;

namespace {

/// How many [N, H] blocks a cell's trace keeps per step: LSTM i, f, g, o,
/// c_t; GRU z, r, n, and hh (reset_after: h U_h + b_rec_h) or rh (r h);
/// SimpleRNN none (its h_t is the sequence).
int64_t traceBlocks(Cell cell) {
  switch (cell) {
  case Cell::Rnn:
    return 0;
  case Cell::Lstm:
    return 5;
  case Cell::Gru:
    return 4;
  }
  llvm_unreachable("every cell");
}

/// The forward pass, time-major, and what backward needs from it.
struct ForwardPass {
  Value xT;     ///< x as the time-major matrix [T * N, C]
  Value seqT;   ///< every h_t, [T * N, H]
  Value hPrevT; ///< every h_{t-1}, [T * N, H] (with trace only)
  Value cPrevT; ///< every c_{t-1} of an LSTM (with trace only)
  Value traceT; ///< [T * N, K*H], K = traceBlocks (with trace only)
  Value finalH, finalC;
};

class CellLowering {
public:
  CellLowering(OpBuilder &b, Location loc, Cell cell, const CellOperands &c)
      : s_{b, loc, getTensorType(c.x).getElementType()}, cell_(cell), c_(c),
        h_(c.units), n_(c.batch), t_(c.steps) {}

  ForwardPass forward(bool trace);
  SmallVector<Value> backward(const ForwardPass &f, Value seqGrad,
                              Value finalHGrad, Value finalCGrad,
                              RankedTensorType biasType);

private:
  /// The bias of the input projection: the bias, or a GRU's input row.
  Value inputBias() const {
    if (!c_.bias)
      return {};
    return c_.resetAfter ? s_.row(c_.bias, 0) : c_.bias;
  }
  /// ra(v) and a(v) of scalars.
  Value ra(OpBuilder &b, Location l, Value v) const {
    return createActivation(b, l, c_.recurrentActivation, v);
  }
  Value a(OpBuilder &b, Location l, Value v) const {
    return createActivation(b, l, c_.activation, v);
  }
  /// dy times the derivative of ra (a) at the point where it output y.
  Value dra(OpBuilder &b, Location l, Value y, Value dy) const {
    return createActivationGrad(b, l, c_.recurrentActivation, y, dy);
  }
  Value da(OpBuilder &b, Location l, Value y, Value dy) const {
    return createActivationGrad(b, l, c_.activation, y, dy);
  }

  /// One forward step from the state (h, c) and the step's input
  /// projection; returns h', c' (LSTM) and the trace blocks.
  struct Step {
    Value h, c;
    SmallVector<Value> trace;
  };
  Step forwardStep(Value xw, Value h, Value c) const;

  /// With lengths: |live| where step |t| is one of a sample's real steps
  /// (t < its length), |padded| elsewhere, per element of [N, H] tensors.
  SmallVector<Value> byMask(Value t, ValueRange live, ValueRange padded) const;

  SequenceBuilder s_;
  Cell cell_;
  CellOperands c_;
  int64_t h_, n_, t_;
  /// Per-run values the steps read: a GRU's recurrent bias rows (reset_after)
  /// and the column blocks of its recurrent kernel (not reset_after); the
  /// lengths repeated along each row, [N, H].
  Value recurrentBiasRows_, recurrentZr_, recurrentH_, lengthRows_;
};

SmallVector<Value> CellLowering::byMask(Value t, ValueRange live,
                                        ValueRange padded) const {
  OpBuilder &b = s_.b;
  Location loc = s_.loc;
  Value step = arith::IndexCastUIOp::create(b, loc, b.getI64Type(), t);
  Value at = arith::UIToFPOp::create(b, loc, s_.element, step);
  SmallVector<Value> in = {lengthRows_};
  in.append(live.begin(), live.end());
  in.append(padded.begin(), padded.end());
  unsigned n = live.size();
  return s_.map(in, n, [&](OpBuilder &nb, Location l, ValueRange v) {
    Value real = arith::CmpFOp::create(nb, l, arith::CmpFPredicate::OGT, v[0],
                                       at);
    SmallVector<Value> out;
    for (unsigned i = 0; i < n; ++i)
      out.push_back(arith::SelectOp::create(nb, l, real, v[1 + i],
                                            v[1 + n + i]));
    return out;
  });
}

CellLowering::Step CellLowering::forwardStep(Value xw, Value h,
                                             Value c) const {
  Type t = s_.element;
  Value z;
  switch (cell_) {
  case Cell::Rnn: {
    z = s_.matmul(h, c_.recurrent, xw);
    auto out = s_.map(z, 1, [&](OpBuilder &b, Location l, ValueRange v) {
      return SmallVector<Value>{a(b, l, v[0])};
    });
    return {out[0], {}, {}};
  }
  case Cell::Lstm: {
    z = s_.matmul(h, c_.recurrent, xw);
    SmallVector<Value> in = {s_.block(z, 0, h_), s_.block(z, 1, h_),
                             s_.block(z, 2, h_), s_.block(z, 3, h_), c};
    auto out = s_.map(in, 6, [&](OpBuilder &b, Location l, ValueRange v) {
      ScalarBuilder sb{b, l, t};
      Value i = ra(b, l, v[0]);
      Value f = ra(b, l, v[1]);
      Value g = a(b, l, v[2]);
      Value o = ra(b, l, v[3]);
      Value kept = sb.mul(f, v[4]);
      Value added = sb.mul(i, g);
      Value cNew = sb.add(kept, added);
      Value hNew = sb.mul(o, a(b, l, cNew));
      return SmallVector<Value>{hNew, cNew, i, f, g, o};
    });
    return {out[0], out[1], {out[2], out[3], out[4], out[5], out[1]}};
  }
  case Cell::Gru:
    break;
  }
  if (c_.resetAfter) {
    Value hu = s_.matmul(h, c_.recurrent, recurrentBiasRows_);
    SmallVector<Value> in = {s_.block(xw, 0, h_), s_.block(xw, 1, h_),
                             s_.block(xw, 2, h_), s_.block(hu, 0, h_),
                             s_.block(hu, 1, h_), s_.block(hu, 2, h_), h};
    auto out = s_.map(in, 4, [&](OpBuilder &b, Location l, ValueRange v) {
      ScalarBuilder sb{b, l, t};
      Value zg = ra(b, l, sb.add(v[0], v[3]));
      Value rg = ra(b, l, sb.add(v[1], v[4]));
      Value reset = sb.mul(rg, v[5]);
      Value n = a(b, l, sb.add(v[2], reset));
      Value keep = sb.mul(zg, v[6]);
      Value fresh = sb.mul(sb.sub(sb.c(1), zg), n);
      return SmallVector<Value>{sb.add(keep, fresh), zg, rg, n};
    });
    return {out[0], {}, {out[1], out[2], out[3], s_.block(hu, 2, h_)}};
  }
  Value hzr = s_.matmul(h, recurrentZr_);
  SmallVector<Value> gates = {s_.block(xw, 0, h_), s_.block(xw, 1, h_),
                              s_.block(hzr, 0, h_), s_.block(hzr, 1, h_), h};
  auto zr = s_.map(gates, 3, [&](OpBuilder &b, Location l, ValueRange v) {
    ScalarBuilder sb{b, l, t};
    Value zg = ra(b, l, sb.add(v[0], v[2]));
    Value rg = ra(b, l, sb.add(v[1], v[3]));
    return SmallVector<Value>{zg, rg, sb.mul(rg, v[4])};
  });
  Value q = s_.matmul(zr[2], recurrentH_, s_.block(xw, 2, h_));
  auto out = s_.map({q, zr[0], h}, 2,
                    [&](OpBuilder &b, Location l, ValueRange v) {
                      ScalarBuilder sb{b, l, t};
                      Value n = a(b, l, v[0]);
                      Value keep = sb.mul(v[1], v[2]);
                      Value fresh = sb.mul(sb.sub(sb.c(1), v[1]), n);
                      return SmallVector<Value>{sb.add(keep, fresh), n};
                    });
  return {out[0], {}, {zr[0], zr[1], out[1], zr[2]}};
}

ForwardPass CellLowering::forward(bool trace) {
  OpBuilder &b = s_.b;
  Location loc = s_.loc;
  int64_t gates = getTensorType(c_.recurrent).getDimSize(1);
  ForwardPass f;
  f.xT = s_.toTimeMajor(c_.x);
  Value xw = s_.matmul(f.xT, c_.kernel);
  if (Value bias = inputBias())
    xw = s_.addRows(xw, bias);
  if (cell_ == Cell::Gru && c_.resetAfter)
    recurrentBiasRows_ = c_.bias ? s_.broadcastRows(s_.row(c_.bias, 1), n_)
                                 : s_.zeros({n_, gates});
  if (cell_ == Cell::Gru && !c_.resetAfter) {
    recurrentZr_ = s_.slice(c_.recurrent, {b.getIndexAttr(0), b.getIndexAttr(0)},
                            {h_, 2 * h_}, s_.type({h_, 2 * h_}));
    recurrentH_ = s_.slice(c_.recurrent,
                           {b.getIndexAttr(0), b.getIndexAttr(2 * h_)},
                           {h_, h_}, s_.type({h_, h_}));
  }
  bool hasC = cell_ == Cell::Lstm;
  int64_t k = traceBlocks(cell_);
  if (c_.lengths) {
    AffineMap row = AffineMap::get(2, 0, b.getAffineDimExpr(0));
    lengthRows_ = createGeneric(b, loc, c_.lengths,
                                createEmpty(b, loc, s_.type({n_, h_})),
                                {row, b.getMultiDimIdentityMap(2)},
                                {utils::IteratorType::parallel,
                                 utils::IteratorType::parallel},
                                [](OpBuilder &, Location, ValueRange args) {
                                  return SmallVector<Value>{args[0]};
                                })
                      .getResult(0);
  }
  // Loop-carried: h, (c), the sequence, then with trace the previous h's,
  // (previous c's) and the trace.
  SmallVector<Value> init = {c_.h0};
  if (hasC)
    init.push_back(c_.c0);
  init.push_back(createEmpty(b, loc, s_.type({t_ * n_, h_})));
  if (trace) {
    init.push_back(createEmpty(b, loc, s_.type({t_ * n_, h_})));
    if (hasC)
      init.push_back(createEmpty(b, loc, s_.type({t_ * n_, h_})));
    if (k)
      init.push_back(createEmpty(b, loc, s_.type({t_ * n_, k * h_})));
  }
  // scf.for hands its body builder the builder it was created with, so the
  // steps below are built by s_ inside the body.
  auto loop = scf::ForOp::create(
      b, loc, s_.index(0), s_.index(t_), s_.index(1), init,
      [&](OpBuilder &nb, Location l, Value t, ValueRange args) {
        unsigned at = 0;
        Value h = args[at++];
        Value c = hasC ? args[at++] : Value();
        Value seq = args[at++];
        Step step = forwardStep(s_.step(xw, t, n_), h, c);
        if (lengthRows_) {
          // A padded step keeps the states; the sequence repeats h there.
          SmallVector<Value> fresh = {step.h}, old = {h};
          if (hasC) {
            fresh.push_back(step.c);
            old.push_back(c);
          }
          SmallVector<Value> kept = byMask(t, fresh, old);
          step.h = kept[0];
          if (hasC)
            step.c = kept[1];
        }
        SmallVector<Value> next = {step.h};
        if (hasC)
          next.push_back(step.c);
        next.push_back(s_.setStep(seq, t, step.h));
        if (trace) {
          next.push_back(s_.setStep(args[at++], t, h));
          if (hasC)
            next.push_back(s_.setStep(args[at++], t, c));
          if (k)
            next.push_back(s_.setStep(args[at++], t, s_.join(step.trace)));
        }
        scf::YieldOp::create(nb, l, next);
      });
  ValueRange r = loop.getResults();
  unsigned at = 0;
  f.finalH = r[at++];
  f.finalC = hasC ? r[at++] : Value();
  f.seqT = r[at++];
  if (trace) {
    f.hPrevT = r[at++];
    f.cPrevT = hasC ? r[at++] : Value();
    f.traceT = k ? r[at++] : Value();
  }
  return f;
}

SmallVector<Value> CellLowering::backward(const ForwardPass &f, Value seqGrad,
                                          Value finalHGrad, Value finalCGrad,
                                          RankedTensorType biasType) {
  OpBuilder &b = s_.b;
  Location loc = s_.loc;
  Type t = s_.element;
  int64_t gates = getTensorType(c_.recurrent).getDimSize(1);
  bool hasC = cell_ == Cell::Lstm;
  bool twoGradients = cell_ == Cell::Gru && c_.resetAfter;
  Value dSeqT = s_.toTimeMajor(seqGrad);
  // Loop-carried: dh and (dc) flowing to the previous step, the stacked
  // gradients of the gate sums (a GRU with reset_after: of the input and of
  // the recurrent projections).
  SmallVector<Value> init = {finalHGrad};
  if (hasC)
    init.push_back(finalCGrad);
  init.push_back(createEmpty(b, loc, s_.type({t_ * n_, gates})));
  if (twoGradients)
    init.push_back(createEmpty(b, loc, s_.type({t_ * n_, gates})));
  auto loop = scf::ForOp::create(
      b, loc, s_.index(0), s_.index(t_), s_.index(1), init,
      [&](OpBuilder &nb, Location l, Value i, ValueRange args) {
        // Step T - 1 - i.
        Value last = s_.index(t_ - 1);
        Value step = arith::SubIOp::create(nb, l, last, i);
        unsigned at = 0;
        Value dhNext = args[at++];
        Value dcNext = hasC ? args[at++] : Value();
        Value dZ = args[at++];
        Value dZh = twoGradients ? args[at++] : Value();
        Value dhAll = s_.map({s_.step(dSeqT, step, n_), dhNext}, 1,
                             [&](OpBuilder &bb, Location ll, ValueRange v) {
                               return SmallVector<Value>{
                                   arith::AddFOp::create(bb, ll, v[0], v[1])};
                             })[0];
        // A padded step passes dh (and dc) to the previous step unchanged:
        // its cell sees zeros, so its gate gradients are zero, and the
        // incoming gradients are added back below.
        Value dh = dhAll, dcAll = dcNext;
        if (lengthRows_) {
          Value zeros = s_.zeros({n_, h_});
          SmallVector<Value> live = {dhAll}, none = {zeros};
          if (hasC) {
            live.push_back(dcNext);
            none.push_back(zeros);
          }
          SmallVector<Value> in = byMask(step, live, none);
          dh = in[0];
          if (hasC)
            dcNext = in[1];
        }
        Value hPrev = s_.step(f.hPrevT, step, n_);
        Value tr = f.traceT ? s_.step(f.traceT, step, n_) : Value();
        auto blk = [&](int64_t g) { return s_.block(tr, g, h_); };
        SmallVector<Value> next;
        switch (cell_) {
        case Cell::Rnn: {
          Value ds = s_.map({s_.step(f.seqT, step, n_), dh}, 1,
                            [&](OpBuilder &bb, Location ll, ValueRange v) {
                              return SmallVector<Value>{
                                  da(bb, ll, v[0], v[1])};
                            })[0];
          next = {s_.matmulTransposeB(ds, c_.recurrent),
                  s_.setStep(dZ, step, ds)};
          break;
        }
        case Cell::Lstm: {
          SmallVector<Value> in = {dh,     dcNext, blk(0), blk(1), blk(2),
                                   blk(3), blk(4), s_.step(f.cPrevT, step, n_)};
          auto g = s_.map(in, 5, [&](OpBuilder &bb, Location ll,
                                     ValueRange v) {
            ScalarBuilder sb{bb, ll, t};
            Value dhv = v[0], ig = v[2], fg = v[3], gg = v[4], og = v[5];
            Value ac = a(bb, ll, v[6]);
            Value throughH = da(bb, ll, ac, sb.mul(dhv, og));
            Value dc = sb.add(v[1], throughH);
            Value dOut = dra(bb, ll, og, sb.mul(dhv, ac));
            Value dIn = dra(bb, ll, ig, sb.mul(dc, gg));
            Value dForget = dra(bb, ll, fg, sb.mul(dc, v[7]));
            Value dCand = da(bb, ll, gg, sb.mul(dc, ig));
            return SmallVector<Value>{dIn, dForget, dCand, dOut,
                                      sb.mul(dc, fg)};
          });
          Value dz = s_.join({g[0], g[1], g[2], g[3]});
          next = {s_.matmulTransposeB(dz, c_.recurrent), g[4],
                  s_.setStep(dZ, step, dz)};
          break;
        }
        case Cell::Gru:
          if (c_.resetAfter) {
            SmallVector<Value> in = {dh, blk(0), blk(1), blk(2), blk(3),
                                     hPrev};
            auto g = s_.map(in, 5, [&](OpBuilder &bb, Location ll,
                                       ValueRange v) {
              ScalarBuilder sb{bb, ll, t};
              Value dhv = v[0], zg = v[1], rg = v[2], n = v[3];
              Value dz = dra(bb, ll, zg, sb.mul(dhv, sb.sub(v[5], n)));
              Value dn = da(bb, ll, n, sb.mul(dhv, sb.sub(sb.c(1), zg)));
              Value dr = dra(bb, ll, rg, sb.mul(dn, v[4]));
              return SmallVector<Value>{dz, dr, dn, sb.mul(dn, rg),
                                        sb.mul(dhv, zg)};
            });
            Value dzh = s_.join({g[0], g[1], g[3]});
            next = {s_.matmulTransposeB(dzh, c_.recurrent, g[4]),
                    s_.setStep(dZ, step, s_.join({g[0], g[1], g[2]})),
                    s_.setStep(dZh, step, dzh)};
            break;
          }
          {
            auto g = s_.map({dh, blk(0), blk(2), hPrev}, 3,
                            [&](OpBuilder &bb, Location ll, ValueRange v) {
                              ScalarBuilder sb{bb, ll, t};
                              Value dhv = v[0], zg = v[1], n = v[2];
                              Value dz = dra(bb, ll, zg,
                                             sb.mul(dhv, sb.sub(v[3], n)));
                              Value dn = da(bb, ll, n,
                                            sb.mul(dhv, sb.sub(sb.c(1), zg)));
                              return SmallVector<Value>{dz, dn,
                                                        sb.mul(dhv, zg)};
                            });
            Value drh = s_.matmulTransposeB(g[1], recurrentH_);
            auto r = s_.map({drh, blk(1), hPrev, g[2]}, 2,
                            [&](OpBuilder &bb, Location ll, ValueRange v) {
                              ScalarBuilder sb{bb, ll, t};
                              Value dr = dra(bb, ll, v[1], sb.mul(v[0], v[2]));
                              Value viaReset = sb.mul(v[0], v[1]);
                              return SmallVector<Value>{
                                  dr, sb.add(v[3], viaReset)};
                            });
            Value dzr = s_.join({g[0], r[0]});
            next = {s_.matmulTransposeB(dzr, recurrentZr_, r[1]),
                    s_.setStep(dZ, step, s_.join({g[0], r[0], g[1]}))};
          }
          break;
        }
        if (lengthRows_) {
          // Real steps keep what the cell computed; padded ones pass the
          // incoming gradients on.
          SmallVector<Value> computed = {next[0]}, incoming = {dhAll};
          if (hasC) {
            computed.push_back(next[1]);
            incoming.push_back(dcAll);
          }
          SmallVector<Value> prev = byMask(step, computed, incoming);
          next[0] = prev[0];
          if (hasC)
            next[1] = prev[1];
        }
        scf::YieldOp::create(nb, l, next);
      });
  ValueRange r = loop.getResults();
  unsigned at = 0;
  Value dh0 = r[at++];
  Value dc0 = hasC ? r[at++] : Value();
  Value dZ = r[at++];
  Value dZh = twoGradients ? r[at++] : dZ;
  Value hPrev = f.hPrevT;
  Value x = f.xT;
  Value dKernel = s_.matmulTransposeA(x, dZ);
  Value dRecurrent;
  if (cell_ == Cell::Gru && !c_.resetAfter) {
    // [dU_zr | dU_h]: the candidate's block multiplies r h, not h.
    Value dZr = s_.slice(dZ, {b.getIndexAttr(0), b.getIndexAttr(0)},
                         {t_ * n_, 2 * h_}, s_.type({t_ * n_, 2 * h_}));
    Value rh = s_.block(f.traceT, 3, h_);
    dRecurrent = createEmpty(b, loc, s_.type({h_, gates}));
    dRecurrent = s_.insert(s_.matmulTransposeA(hPrev, dZr), dRecurrent,
                           {b.getIndexAttr(0), b.getIndexAttr(0)});
    dRecurrent = s_.insert(s_.matmulTransposeA(rh, s_.block(dZ, 2, h_)),
                           dRecurrent,
                           {b.getIndexAttr(0), b.getIndexAttr(2 * h_)});
  } else {
    dRecurrent = s_.matmulTransposeA(hPrev, dZh);
  }
  Value dBias = s_.columnSums(dZ);
  if (twoGradients) {
    Value rows = createEmpty(b, loc, biasType);
    rows = s_.insert(dBias, rows, {b.getIndexAttr(0), b.getIndexAttr(0)});
    dBias = s_.insert(s_.columnSums(dZh), rows,
                      {b.getIndexAttr(1), b.getIndexAttr(0)});
  }
  Value dx = s_.toBatchFirst(s_.matmulTransposeB(dZ, c_.kernel), t_);
  SmallVector<Value> results = {dx, dh0};
  if (hasC)
    results.push_back(dc0);
  results.append({dKernel, dRecurrent, dBias});
  return results;
}

} // namespace

CellOperands mlir::aenet::cellOperands(Value x, Value h0, Value c0,
                                       Value kernel, Value recurrent,
                                       Value bias, Value lengths,
                                       ActivationKind a, ActivationKind ra,
                                       bool resetAfter) {
  ArrayRef<int64_t> s = getTensorType(x).getShape();
  return {x,  h0, c0,         kernel, recurrent, bias,
          lengths, a, ra, resetAfter, s[0], s[1],
          getTensorType(recurrent).getDimSize(0)};
}

SmallVector<Value> mlir::aenet::lowerForward(OpBuilder &b, Location loc,
                                             Cell cell,
                                             const CellOperands &c) {
  CellLowering lowering(b, loc, cell, c);
  ForwardPass f = lowering.forward(/*trace=*/false);
  SequenceBuilder s{b, loc, getTensorType(c.x).getElementType()};
  SmallVector<Value> results = {s.toBatchFirst(f.seqT, c.steps), f.finalH};
  if (cell == Cell::Lstm)
    results.push_back(f.finalC);
  return results;
}

SmallVector<Value> mlir::aenet::lowerBackward(OpBuilder &b, Location loc,
                                              Cell cell, const CellOperands &c,
                                              Value sequenceGrad,
                                              Value finalHGrad,
                                              Value finalCGrad,
                                              RankedTensorType biasType) {
  CellLowering lowering(b, loc, cell, c);
  ForwardPass f = lowering.forward(/*trace=*/true);
  return lowering.backward(f, sequenceGrad, finalHGrad, finalCGrad, biasType);
}
