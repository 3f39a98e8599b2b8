//===- Random.cpp - Counter-based random numbers as IR --------------------===//
//
// Emits the hash, uniforms, dropout mask and Box-Muller normals defined in
// Random.h as arith/math ops on i64 and floats. The hash is a handful of
// shifts, xors and 64-bit multiplies per element, which vectorizes; the
// dropout test compares integers so that no conversion to float is needed.
//
//===----------------------------------------------------------------------===//

#include "Random.h"

#include "PatternUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

#include <cmath>

using namespace mlir;
using namespace mlir::aenet;

static constexpr uint64_t kSaltMultiplier = 0x9E3779B97F4A7C15ull;
static constexpr uint64_t kCounterMultiplier = 0xD1B54A32D192ED03ull;
static constexpr uint64_t kMix1 = 0xBF58476D1CE4E5B9ull;
static constexpr uint64_t kMix2 = 0x94D049BB133111EBull;

Value mlir::aenet::createRandomKey(OpBuilder &b, Location loc, Value seed,
                                   int64_t salt) {
  Value s = extractScalar(b, loc, seed);
  uint64_t saltTerm = static_cast<uint64_t>(salt) * kSaltMultiplier;
  return arith::XOrIOp::create(b, loc, s, createI64(b, loc, saltTerm));
}

Value mlir::aenet::createLinearIndex(OpBuilder &b, Location loc,
                                     ArrayRef<int64_t> shape) {
  if (shape.empty())
    return createI64(b, loc, 0);
  Value index;
  int64_t stride = 1;
  for (int64_t dim = shape.size() - 1; dim >= 0; --dim) {
    Value i = linalg::IndexOp::create(b, loc, dim);
    if (stride != 1)
      i = arith::MulIOp::create(b, loc, i,
                                arith::ConstantIndexOp::create(b, loc, stride));
    index = index ? arith::AddIOp::create(b, loc, index, i).getResult() : i;
    stride *= shape[dim];
  }
  return arith::IndexCastOp::create(b, loc, b.getI64Type(), index);
}

/// z ^ (z >> |shift|).
static Value xorShift(OpBuilder &b, Location loc, Value z, uint64_t shift) {
  Value shifted =
      arith::ShRUIOp::create(b, loc, z, createI64(b, loc, shift));
  return arith::XOrIOp::create(b, loc, z, shifted);
}

Value mlir::aenet::createHash(OpBuilder &b, Location loc, Value key,
                              Value counter) {
  Value spread = arith::MulIOp::create(
      b, loc, counter, createI64(b, loc, kCounterMultiplier));
  Value z = arith::XOrIOp::create(b, loc, key, spread);
  z = xorShift(b, loc, z, 30);
  z = arith::MulIOp::create(b, loc, z, createI64(b, loc, kMix1));
  z = xorShift(b, loc, z, 27);
  z = arith::MulIOp::create(b, loc, z, createI64(b, loc, kMix2));
  return xorShift(b, loc, z, 31);
}

unsigned mlir::aenet::getUniformBits(Type type) {
  return cast<FloatType>(type).getFPMantissaWidth();
}

/// bits(hash): the top |p| bits of |hash|.
static Value createBits(OpBuilder &b, Location loc, Value hash, unsigned p) {
  return arith::ShRUIOp::create(b, loc, hash, createI64(b, loc, 64 - p));
}

Value mlir::aenet::createUniform(OpBuilder &b, Location loc, Value hash,
                                 Type type) {
  unsigned p = getUniformBits(type);
  Value bits = createBits(b, loc, hash, p);
  Value value = arith::UIToFPOp::create(b, loc, type, bits);
  ScalarBuilder s{b, loc, type};
  return s.mul(value, s.c(std::ldexp(1.0, -p)));
}

Value mlir::aenet::createDropout(OpBuilder &b, Location loc, Value input,
                                 Value seed, double rate, int64_t salt) {
  RankedTensorType type = getTensorType(input);
  Type elementType = type.getElementType();
  Value key = createRandomKey(b, loc, seed, salt);
  unsigned p = getUniformBits(elementType);
  // uniform >= rate  <=>  bits >= rate * 2^p  <=>  bits >= ceil(rate * 2^p);
  // the product is exact in double.
  auto threshold = static_cast<uint64_t>(std::ceil(std::ldexp(rate, p)));
  double scale = 1.0 / (1.0 - rate);
  return createElementwise(
      b, loc, input, type, [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Value index = createLinearIndex(nb, nloc, type.getShape());
        Value bits = createBits(nb, nloc, createHash(nb, nloc, key, index), p);
        Value keep =
            arith::CmpIOp::create(nb, nloc, arith::CmpIPredicate::uge, bits,
                                  createI64(nb, nloc, threshold));
        ScalarBuilder s{nb, nloc, elementType};
        Value scaled = s.mul(args[0], s.c(scale));
        return s.select(keep, scaled, s.c(0));
      });
}

Value mlir::aenet::createStandardNormal(OpBuilder &b, Location loc, Value key,
                                        Value index, Type type) {
  Value first = arith::ShLIOp::create(b, loc, index, createI64(b, loc, 1));
  Value second = arith::OrIOp::create(b, loc, first, createI64(b, loc, 1));
  Value u1 = createUniform(b, loc, createHash(b, loc, key, first), type);
  Value u2 = createUniform(b, loc, createHash(b, loc, key, second), type);
  // r = sqrt(-2 ln(1 - u1)), theta = 2 pi u2.
  ScalarBuilder s{b, loc, type};
  Value oneMinus = s.sub(s.c(1), u1);
  Value logU = s.log(oneMinus);
  Value r = s.sqrt(s.mul(s.c(-2), logU));
  Value theta = s.mul(s.c(2 * M_PI), u2);
  return s.mul(r, math::CosOp::create(b, loc, theta));
}

Value mlir::aenet::createGaussianNoise(OpBuilder &b, Location loc,
                                       Value input, Value seed,
                                       Value stddevTensor, int64_t salt) {
  RankedTensorType type = getTensorType(input);
  Type t = type.getElementType();
  Value key = createRandomKey(b, loc, seed, salt);
  Value stddev = extractScalar(b, loc, stddevTensor);
  return createElementwise(
      b, loc, input, type, [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Value index = createLinearIndex(nb, nloc, type.getShape());
        Value z = createStandardNormal(nb, nloc, key, index, t);
        ScalarBuilder s{nb, nloc, t};
        Value noise = s.mul(z, stddev);
        return s.add(args[0], noise);
      });
}
