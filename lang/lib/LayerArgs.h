//===- LayerArgs.h - Binding call arguments to layer options ----*- C++ -*-===//
//
// Internal to Sema: turns `conv2d(16, 3x3, relu, padding = same)` into a
// `LayerSpec`, reporting unknown, missing, repeated and ill-typed options.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_LANG_LIB_LAYERARGS_H
#define AENET_LANG_LIB_LAYERARGS_H

#include "aenet/Lang/AST.h"
#include "aenet/Lang/Diagnostics.h"
#include "aenet/Lang/Layers.h"

#include <functional>

namespace aenet::sema {

/// Looks up a value name in the model being checked: its id, or -1.
using ValueLookup = std::function<int(const std::string &)>;
/// The value names of the model so far, for suggestions; called only when a
/// name is not found (building the list for every layer would make checking
/// quadratic in the number of layers).
using ValueNames = std::function<std::vector<std::string>()>;

struct BoundLayer {
  LayerSpec spec;
  /// Values named in the call: the branch source (`dense(h, 2)`) or the
  /// operands of `sample_normal` / `concat`.
  std::vector<int> namedOperands;
  bool ok = true;
};

/// Binds |call|'s arguments for a layer of |kind|. Positional arguments fill
/// the options in order; an optional option is skipped when the value is of
/// another kind.
BoundLayer bindLayer(LayerKind kind, const ast::Call &call,
                     const ValueLookup &lookup, const ValueNames &valueNames,
                     DiagnosticEngine &diags);

/// Words that cannot name a value: activations, paddings, booleans.
bool isReservedWord(const std::string &word);

/// Reads `l1(f)`, `l2(f)` or `l1_l2(a, b)`; reports and returns false otherwise.
bool readRegularizer(const ast::Value &value, Regularizer &out,
                     DiagnosticEngine &diags);

} // namespace aenet::sema

#endif // AENET_LANG_LIB_LAYERARGS_H
