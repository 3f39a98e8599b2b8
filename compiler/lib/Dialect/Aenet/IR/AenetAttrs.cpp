//===- AenetAttrs.cpp - Attributes of the aenet dialect -------------------===//
//
// The generated attribute classes, the syntax of `#aenet.init` (a kind, then
// only the fields that kind takes, as `name = value`) and its verifier, which
// checks that every kind gets exactly the fields it needs.
//
//===----------------------------------------------------------------------===//

#include "aenet/Dialect/Aenet/IR/AenetAttrs.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"

#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::aenet;

#define GET_ATTRDEF_CLASSES
#include "aenet/Dialect/Aenet/IR/AenetAttrs.cpp.inc"

void AenetDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "aenet/Dialect/Aenet/IR/AenetAttrs.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// #aenet.init
//===----------------------------------------------------------------------===//

InitializerAttr InitializerAttr::getGlorotUniform(MLIRContext *ctx,
                                                  int64_t fanIn,
                                                  int64_t fanOut) {
  return get(ctx, InitializerKind::glorot_uniform, fanIn, fanOut,
             llvm::APFloat(0.0), 0, 0);
}

InitializerAttr InitializerAttr::getConstant(MLIRContext *ctx, double value) {
  return get(ctx, InitializerKind::constant, 0, 0, llvm::APFloat(value), 0, 0);
}

InitializerAttr InitializerAttr::getBlockOnes(MLIRContext *ctx, int64_t index,
                                              int64_t blocks) {
  return get(ctx, InitializerKind::block_ones, 0, 0, llvm::APFloat(0.0), index,
             blocks);
}

Attribute InitializerAttr::parse(AsmParser &parser, Type) {
  StringRef keyword;
  SMLoc kindLoc = parser.getCurrentLocation();
  if (parser.parseLess() || parser.parseKeyword(&keyword))
    return {};
  std::optional<InitializerKind> kind = symbolizeInitializerKind(keyword);
  if (!kind) {
    parser.emitError(kindLoc) << "unknown initializer '" << keyword << "'";
    return {};
  }
  int64_t fanIn = 0, fanOut = 0, index = 0, blocks = 0;
  double value = 0;
  while (succeeded(parser.parseOptionalComma())) {
    StringRef field;
    SMLoc fieldLoc = parser.getCurrentLocation();
    if (parser.parseKeyword(&field) || parser.parseEqual())
      return {};
    int64_t *slot = llvm::StringSwitch<int64_t *>(field)
                        .Case("fan_in", &fanIn)
                        .Case("fan_out", &fanOut)
                        .Case("index", &index)
                        .Case("blocks", &blocks)
                        .Default(nullptr);
    if (slot ? parser.parseInteger(*slot)
             : field == "value" ? parser.parseFloat(value)
                                : parser.emitError(fieldLoc)
                                      << "unknown initializer field '"
                                      << field << "'")
      return {};
  }
  if (parser.parseGreater())
    return {};
  return parser.getChecked<InitializerAttr>(parser.getContext(), *kind, fanIn,
                                            fanOut, llvm::APFloat(value), index,
                                            blocks);
}

void InitializerAttr::print(AsmPrinter &printer) const {
  printer << '<' << stringifyInitializerKind(getKind());
  switch (getKind()) {
  case InitializerKind::glorot_uniform:
    printer << ", fan_in = " << getFanIn() << ", fan_out = " << getFanOut();
    break;
  case InitializerKind::constant:
    printer << ", value = ";
    printer.printFloat(getValue());
    break;
  case InitializerKind::block_ones:
    printer << ", index = " << getIndex() << ", blocks = " << getBlocks();
    break;
  default:
    break;
  }
  printer << '>';
}

LogicalResult
InitializerAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                        InitializerKind kind, int64_t fanIn, int64_t fanOut,
                        llvm::APFloat value, int64_t index,
                        int64_t blocks) {
  bool glorot = kind == InitializerKind::glorot_uniform;
  bool blockOnes = kind == InitializerKind::block_ones;
  if (glorot != (fanIn != 0 || fanOut != 0) ||
      (glorot && (fanIn < 1 || fanOut < 1)))
    return emitError() << (glorot ? "glorot_uniform needs fan_in and fan_out "
                                    "of at least 1"
                                  : "only glorot_uniform takes fan_in and "
                                    "fan_out");
  if (kind != InitializerKind::constant && !value.isZero())
    return emitError() << "only constant takes a value";
  if (blockOnes != (index != 0 || blocks != 0) ||
      (blockOnes && !(blocks >= 1 && index >= 0 && index < blocks)))
    return emitError() << (blockOnes ? "block_ones needs 0 <= index < blocks"
                                     : "only block_ones takes index and "
                                       "blocks");
  return success();
}
