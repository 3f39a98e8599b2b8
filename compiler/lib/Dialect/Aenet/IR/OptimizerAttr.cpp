//===- OptimizerAttr.cpp - The #aenet.optimizer attribute -----------------===//
//
// Syntax, verifier and queries of the optimizer attribute. The syntax names
// every hyperparameter its kind uses, and the parser refuses a missing one:
// Keras's defaults are applied once, by the language, so the attribute never
// leaves one for the compiler to guess. The same table of fields per kind
// drives the parser, the printer and the verifier.
//
//===----------------------------------------------------------------------===//

#include "aenet/Dialect/Aenet/IR/AenetAttrs.h"

#include "mlir/IR/DialectImplementation.h"

#include "llvm/ADT/StringSwitch.h"

using namespace mlir;
using namespace mlir::aenet;

namespace {

/// The hyperparameters in printed order. Clipping comes last and is optional
/// for every kind.
constexpr StringLiteral kFields[] = {"lr",      "momentum",
                                     "nesterov", "beta1",
                                     "beta2",   "epsilon",
                                     "rho",     "initial_accumulator",
                                     "clip_norm", "clip_value"};

bool isClipField(StringRef field) {
  return field == "clip_norm" || field == "clip_value";
}

/// The values of an attribute being parsed or printed, by field name.
struct Fields {
  double values[std::size(kFields)] = {};
  bool given[std::size(kFields)] = {};

  static int indexOf(StringRef field) {
    for (auto [i, name] : llvm::enumerate(kFields))
      if (name == field)
        return i;
    return -1;
  }
  double get(StringRef field) const { return values[indexOf(field)]; }
};

} // namespace

bool OptimizerAttr::usesField(OptimizerKind kind, StringRef field) {
  if (field == "lr" || isClipField(field))
    return true;
  switch (kind) {
  case OptimizerKind::sgd:
    return field == "momentum" || field == "nesterov";
  case OptimizerKind::adam:
    return field == "beta1" || field == "beta2" || field == "epsilon";
  case OptimizerKind::rmsprop:
    return field == "rho" || field == "momentum" || field == "epsilon";
  case OptimizerKind::adagrad:
    return field == "initial_accumulator" || field == "epsilon";
  case OptimizerKind::adadelta:
    return field == "rho" || field == "epsilon";
  }
  return false;
}

SmallVector<StringRef> OptimizerAttr::getStateNames() const {
  bool momentum = !getMomentum().isZero();
  switch (getKind()) {
  case OptimizerKind::sgd:
    return momentum ? SmallVector<StringRef>{"velocity"}
                    : SmallVector<StringRef>{};
  case OptimizerKind::adam:
    return {"m", "v"};
  case OptimizerKind::rmsprop:
    return momentum ? SmallVector<StringRef>{"mean_square", "momentum"}
                    : SmallVector<StringRef>{"mean_square"};
  case OptimizerKind::adagrad:
    return {"accumulator"};
  case OptimizerKind::adadelta:
    return {"accum_grad", "accum_delta"};
  }
  return {};
}

double OptimizerAttr::getStateInit(StringRef name) const {
  return name == "accumulator" ? getInitialAccumulator().convertToDouble()
                               : 0.0;
}

OptimizerAttr OptimizerAttr::withLearningRate(double lr) const {
  return get(getContext(), getKind(), llvm::APFloat(lr), getMomentum(),
             getNesterov(), getBeta1(), getBeta2(), getEpsilon(), getRho(),
             getInitialAccumulator(), getClipNorm(), getClipValue());
}

Attribute OptimizerAttr::parse(AsmParser &parser, Type) {
  StringRef keyword;
  SMLoc kindLoc = parser.getCurrentLocation();
  if (parser.parseLess() || parser.parseKeyword(&keyword))
    return {};
  std::optional<OptimizerKind> kind = symbolizeOptimizerKind(keyword);
  if (!kind) {
    parser.emitError(kindLoc) << "unknown optimizer '" << keyword << "'";
    return {};
  }
  Fields fields;
  while (succeeded(parser.parseOptionalComma())) {
    StringRef field;
    SMLoc fieldLoc = parser.getCurrentLocation();
    if (parser.parseKeyword(&field) || parser.parseEqual())
      return {};
    int index = Fields::indexOf(field);
    if (index < 0 || !usesField(*kind, field)) {
      parser.emitError(fieldLoc) << keyword << " has no field '" << field
                                 << "'";
      return {};
    }
    if (fields.given[index]) {
      parser.emitError(fieldLoc) << "'" << field << "' given twice";
      return {};
    }
    fields.given[index] = true;
    if (field == "nesterov") {
      bool value = false;
      if (succeeded(parser.parseOptionalKeyword("true")))
        value = true;
      else if (parser.parseKeyword("false"))
        return {};
      fields.values[index] = value;
    } else if (parser.parseFloat(fields.values[index])) {
      return {};
    }
  }
  if (parser.parseGreater())
    return {};
  for (auto [i, name] : llvm::enumerate(kFields))
    if (usesField(*kind, name) && !isClipField(name) && !fields.given[i]) {
      parser.emitError(kindLoc) << keyword << " needs '" << name << "'";
      return {};
    }
  auto f = [&](StringRef field) { return llvm::APFloat(fields.get(field)); };
  return parser.getChecked<OptimizerAttr>(
      parser.getContext(), *kind, f("lr"), f("momentum"),
      fields.get("nesterov") != 0, f("beta1"), f("beta2"), f("epsilon"),
      f("rho"), f("initial_accumulator"), f("clip_norm"), f("clip_value"));
}

void OptimizerAttr::print(AsmPrinter &printer) const {
  printer << '<' << stringifyOptimizerKind(getKind());
  llvm::APFloat values[] = {getLr(),      getMomentum(),
                            getMomentum(), getBeta1(),
                            getBeta2(),   getEpsilon(),
                            getRho(),     getInitialAccumulator(),
                            getClipNorm(), getClipValue()};
  for (auto [name, value] : llvm::zip(kFields, values)) {
    if (!usesField(getKind(), name) || (isClipField(name) && value.isZero()))
      continue;
    printer << ", " << name << " = ";
    if (name == "nesterov")
      printer << (getNesterov() ? "true" : "false");
    else
      printer.printFloat(value);
  }
  printer << '>';
}

LogicalResult OptimizerAttr::verify(
    function_ref<InFlightDiagnostic()> emitError, OptimizerKind kind,
    llvm::APFloat lr, llvm::APFloat momentum, bool nesterov,
    llvm::APFloat beta1, llvm::APFloat beta2, llvm::APFloat epsilon,
    llvm::APFloat rho, llvm::APFloat initialAccumulator,
    llvm::APFloat clipNorm, llvm::APFloat clipValue) {
  std::pair<StringRef, llvm::APFloat> values[] = {
      {"lr", lr},       {"momentum", momentum},
      {"beta1", beta1}, {"beta2", beta2},
      {"epsilon", epsilon}, {"rho", rho},
      {"initial_accumulator", initialAccumulator},
      {"clip_norm", clipNorm}, {"clip_value", clipValue}};
  for (auto &[name, value] : values) {
    if (!usesField(kind, name) && !value.isZero())
      return emitError() << stringifyOptimizerKind(kind) << " has no field '"
                         << name << "'";
    if (value.isNegative() || value.isNaN() || value.isInfinity())
      return emitError() << "'" << name
                         << "' must be finite and non-negative";
  }
  if (nesterov && !usesField(kind, "nesterov"))
    return emitError() << stringifyOptimizerKind(kind)
                       << " has no field 'nesterov'";
  if (lr.isZero())
    return emitError() << "'lr' must be positive";
  return success();
}
