//===- Numbers.cpp - Reading numeric literals for the checks --------------===//
//
// Integer literals are converted with `std::from_chars` into int64_t, so
// `9223372036854775807` stays exact and one digit more is refused instead of
// wrapping; reals are converted once by `Number::value` and checked to be
// finite and within float's range before anything uses them.
//
//===----------------------------------------------------------------------===//

#include "Numbers.h"

#include <cfloat>
#include <cmath>

namespace aenet::sema {

std::optional<int64_t> readInteger(const ast::Value &value,
                                   const std::string &what, int64_t lo,
                                   int64_t hi, DiagnosticEngine &diags) {
  uint32_t at = ast::offsetOf(value);
  const ast::Number *n = ast::asNumber(value);
  if (!n || !n->isInteger()) {
    diags.error(at, what + " expects an integer, got " + ast::describe(value));
    return std::nullopt;
  }
  std::optional<int64_t> v = n->integer();
  if (!v) {
    bool negative = n->text[0] == '-';
    diags.error(at, what + " must be at " + (negative ? "least " : "most ") +
                        std::to_string(negative ? lo : hi) + ", got " +
                        n->text + ", which does not fit 64 bits");
    return std::nullopt;
  }
  if (*v < lo) {
    diags.error(at, what + " must be at least " + std::to_string(lo) +
                        ", got " + std::to_string(*v));
    return std::nullopt;
  }
  if (*v > hi) {
    diags.error(at, what + " must be at most " + std::to_string(hi) +
                        ", got " + std::to_string(*v));
    return std::nullopt;
  }
  return v;
}

std::optional<double> readReal(const ast::Number &number,
                               const std::string &what,
                               DiagnosticEngine &diags) {
  double v = number.value();
  if (!std::isfinite(v)) {
    diags.error(number.offset, what + " must be a finite number, got " +
                                   number.text +
                                   (std::isnan(v) ? " (not a number)"
                                                  : " (infinite)"));
    return std::nullopt;
  }
  if (std::fabs(v) > FLT_MAX) {
    diags.error(number.offset, what + " is out of range: " + number.text +
                                   " does not fit a 32-bit float (at most "
                                   "about 3.4e38)");
    return std::nullopt;
  }
  return v;
}

std::optional<double> readReal(const ast::Value &value,
                               const std::string &what,
                               DiagnosticEngine &diags) {
  const ast::Number *n = ast::asNumber(value);
  if (!n) {
    diags.error(ast::offsetOf(value),
                what + " expects a number, got " + ast::describe(value));
    return std::nullopt;
  }
  return readReal(*n, what, diags);
}

} // namespace aenet::sema
