//===- Numbers.h - Reading numeric literals for the checks ------*- C++ -*-===//
//
// Internal to Sema: every number the checks take from the source goes
// through these, so that integers are exact (never rounded through a double),
// bounded before anything multiplies them, and reals are finite and fit the
// 32-bit floats the compiled model computes with.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_LANG_LIB_NUMBERS_H
#define AENET_LANG_LIB_NUMBERS_H

#include "aenet/Lang/AST.h"
#include "aenet/Lang/Diagnostics.h"

#include <optional>

namespace aenet::sema {

/// Reads |value| as an integer in [|lo|, |hi|]. Reports at the value, saying
/// what |what| expects, and returns nothing when it is not an integer
/// literal, does not fit 64 bits, or is out of the range.
std::optional<int64_t> readInteger(const ast::Value &value,
                                   const std::string &what, int64_t lo,
                                   int64_t hi, DiagnosticEngine &diags);

/// Reads |value| as a real number. Reports and returns nothing when it is
/// not a number, or is infinite or NaN (`1e400`, `1/0`), or lies beyond the
/// range of a 32-bit float, in which the model computes.
std::optional<double> readReal(const ast::Value &value,
                               const std::string &what,
                               DiagnosticEngine &diags);
std::optional<double> readReal(const ast::Number &number,
                               const std::string &what,
                               DiagnosticEngine &diags);

} // namespace aenet::sema

#endif // AENET_LANG_LIB_NUMBERS_H
