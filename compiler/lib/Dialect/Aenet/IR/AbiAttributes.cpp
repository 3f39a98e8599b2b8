//===- AbiAttributes.cpp - Verifier of the aenet.* ABI attributes ---------===//
//
// The attributes that carry the calling convention between compiled code and
// the runtime live on the module, functions, their arguments and results.
// MLIR hands every `aenet.*` attribute found there to these hooks, which
// check its name against AbiAttributes.def, its place and its value, so a
// misspelt or misplaced one fails verification instead of being ignored by
// the runtime.
//
//===----------------------------------------------------------------------===//

#include "aenet/Dialect/Aenet/IR/AenetOps.h"

#include "mlir/Interfaces/FunctionInterfaces.h"

#include <cmath>

using namespace mlir;
using namespace mlir::aenet;

namespace {

/// Where an ABI attribute may appear (the PLACES column of the .def).
enum AbiPlace : unsigned {
  AbiArgument = 1,
  AbiResult = 2,
  AbiFunction = 4,
  AbiModule = 8,
  AbiAnyOp = 16,
};

/// The places of the ABI attribute spelt |name|; 0 when unknown.
unsigned placesOf(StringRef name) {
#define AENET_ABI_ATTR(NAME, SPELLING, PLACES)                                 \
  if (name == SPELLING)                                                        \
    return PLACES;
#include "aenet/Dialect/Aenet/IR/AbiAttributes.def"
  return 0;
}

StringRef placeName(AbiPlace place) {
  switch (place) {
  case AbiArgument:
    return "a function argument";
  case AbiResult:
    return "a function result";
  case AbiFunction:
    return "a function";
  case AbiModule:
    return "a module";
  case AbiAnyOp:
    return "an op";
  }
  return "";
}

using Dialect = AenetDialect;

/// What the value of |name| at |place| must be, or "" when |value| fits.
StringRef expectedValue(StringRef name, AbiPlace place, Attribute value) {
  auto isString = [&] { return isa<StringAttr>(value); };
  if (name == Dialect::getParamAttrName() ||
      name == Dialect::getInputAttrName() ||
      name == Dialect::getStateAttrName() ||
      name == Dialect::getLayerStateAttrName() ||
      name == Dialect::getOutputAttrName() ||
      name == Dialect::getGradientAttrName() ||
      name == Dialect::getNameAttrName())
    return isString() ? "" : "a string";
  if (name == Dialect::getFrozenAttrName() ||
      name == Dialect::getSeedAttrName() ||
      name == Dialect::getStepAttrName() ||
      name == Dialect::getDifferentiateAttrName() ||
      name == Dialect::getDataParallelAttrName() ||
      name == Dialect::getExchangedGradientsAttrName() ||
      name == Dialect::getSingleThreadedAttrName() ||
      (name == Dialect::getKernelSitesAttrName() && place == AbiArgument))
    return isa<UnitAttr>(value) ? "" : "a unit attribute";
  if (name == Dialect::getStateInitAttrName())
    return isa<FloatAttr>(value) ? "" : "a float";
  if (name == Dialect::getLearningRateAttrName()) {
    auto rate = dyn_cast<FloatAttr>(value);
    return rate && rate.getValueAsDouble() > 0 &&
                   std::isfinite(rate.getValueAsDouble())
               ? ""
               : "a positive float";
  }
  if (name == Dialect::getHyperparameterAttrName()) {
    auto dict = dyn_cast<DictionaryAttr>(value);
    auto valueOf = dict ? dict.getAs<FloatAttr>("value") : nullptr;
    return dict && dict.size() == 2 && dict.getAs<StringAttr>("name") &&
                   valueOf && std::isfinite(valueOf.getValueAsDouble())
               ? ""
               : "{name = \"...\", value = <finite float>}";
  }
  if (name == Dialect::getScalarsAttrName()) {
    auto array = dyn_cast<ArrayAttr>(value);
    return array && llvm::all_of(array, llvm::IsaPred<StringAttr>)
               ? ""
               : "an array of strings";
  }
  auto isFinish = [](Attribute a) {
    auto s = dyn_cast<StringAttr>(a);
    return s && symbolizeScalarFinish(s.getValue()).has_value();
  };
  if (name == Dialect::getFinishAttrName())
    return isFinish(value) ? "" : "\"mean\", \"sqrt_mean\" or \"total\"";
  if (name == Dialect::getScalarFinishesAttrName()) {
    auto array = dyn_cast<ArrayAttr>(value);
    return array && llvm::all_of(array, isFinish)
               ? ""
               : "an array of \"mean\", \"sqrt_mean\" or \"total\"";
  }
  if (name == Dialect::getInitAttrName())
    return isa<InitializerAttr>(value) ? "" : "an #aenet.init";
  if (name == Dialect::getOptimizerAttrName())
    return isa<OptimizerAttr>(value) ? "" : "an #aenet.optimizer";
  auto integer = dyn_cast<IntegerAttr>(value);
  bool i64 = integer && integer.getType().isInteger(64);
  // A batch of 0 stands for "not known" in modules compiled from text.
  if (name == Dialect::getBatchAttrName())
    return i64 && integer.getInt() >= 0 ? "" : "a non-negative i64";
  if (name == Dialect::getKernelSitesAttrName())
    return i64 && integer.getInt() > 0 ? "" : "a positive i64";
  // tile_class, parallel_iterations
  return integer ? "" : "an integer";
}

/// Checks the name, place and value of |attr| found at |place| of |op|.
LogicalResult verifyAbiAttr(Operation *op, AbiPlace place, NamedAttribute attr,
                            const Twine &where) {
  StringRef name = attr.getName().strref();
  unsigned places = placesOf(name);
  if (!places)
    return op->emitError() << "unknown attribute '" << name << "'" << where;
  if (!(places & (place | AbiAnyOp)))
    return op->emitError() << "'" << name << "' does not belong on "
                           << placeName(place) << where;
  StringRef expected = expectedValue(name, place, attr.getValue());
  if (!expected.empty())
    return op->emitError() << "'" << name << "'" << where << " must be "
                           << expected;
  return success();
}

/// |name| at argument (|result| false) or result |index| of |op| also needs
/// |companion| there.
LogicalResult needsCompanion(Operation *op, bool result, unsigned index,
                             StringRef name, StringRef companion) {
  auto func = dyn_cast<FunctionOpInterface>(op);
  bool has = func && (result ? func.getResultAttr(index, companion)
                             : func.getArgAttr(index, companion));
  if (has)
    return success();
  return op->emitError() << "'" << name << "' on "
                         << (result ? "result #" : "argument #") << index
                         << ", which has no '" << companion << "'";
}

} // namespace

LogicalResult AenetDialect::verifyRegionArgAttribute(Operation *op,
                                                     unsigned region,
                                                     unsigned argIndex,
                                                     NamedAttribute attr) {
  if (failed(verifyAbiAttr(op, AbiArgument, attr,
                           " (argument #" + Twine(argIndex) + ")")))
    return failure();
  StringRef name = attr.getName().strref();
  // Only parameters are initialized or frozen, only states start at a value.
  if (name == getInitAttrName() || name == getFrozenAttrName())
    return needsCompanion(op, false, argIndex, name, getParamAttrName());
  if (name == getStateInitAttrName())
    return needsCompanion(op, false, argIndex, name, getStateAttrName());
  // The runtime binds one number to the learning rate and to a
  // hyperparameter.
  if (name == getLearningRateAttrName() ||
      name == getHyperparameterAttrName()) {
    auto func = dyn_cast<FunctionOpInterface>(op);
    auto type =
        func ? dyn_cast<ShapedType>(func.getArgumentTypes()[argIndex]) : nullptr;
    if (type && (!type.hasRank() || type.getRank() != 0 ||
                 !isa<FloatType>(type.getElementType())))
      return op->emitError() << "'" << name << "' on argument #" << argIndex
                             << ", which is not a float scalar but " << type;
  }
  // One finish per scalar, in the order of their names.
  if (name == getScalarFinishesAttrName()) {
    if (failed(needsCompanion(op, false, argIndex, name, getScalarsAttrName())))
      return failure();
    auto names = cast<FunctionOpInterface>(op).getArgAttrOfType<ArrayAttr>(
        argIndex, getScalarsAttrName());
    auto finishes = cast<ArrayAttr>(attr.getValue());
    if (!names || names.size() != finishes.size())
      return op->emitError()
             << "'" << name << "' on argument #" << argIndex << " holds "
             << finishes.size() << " finishes for "
             << (names ? names.size() : 0) << " scalars";
  }
  return success();
}

LogicalResult AenetDialect::verifyRegionResultAttribute(Operation *op,
                                                        unsigned region,
                                                        unsigned resultIndex,
                                                        NamedAttribute attr) {
  if (failed(verifyAbiAttr(op, AbiResult, attr,
                           " (result #" + Twine(resultIndex) + ")")))
    return failure();
  if (attr.getName() == getStateInitAttrName())
    return needsCompanion(op, true, resultIndex, getStateInitAttrName(),
                          getStateAttrName());
  return success();
}

LogicalResult AenetDialect::verifyOperationAttribute(Operation *op,
                                                     NamedAttribute attr) {
  AbiPlace place = isa<ModuleOp>(op)                  ? AbiModule
                   : isa<FunctionOpInterface>(op)     ? AbiFunction
                                                      : AbiAnyOp;
  return verifyAbiAttr(op, place, attr, "");
}
