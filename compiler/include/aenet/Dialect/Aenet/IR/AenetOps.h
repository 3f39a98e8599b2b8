//===- AenetOps.h - Operations of the aenet dialect -------------*- C++ -*-===//
//
// Declares the ops, enums and the gradient interface generated from ODS: the
// one header users of the dialect include, whatever family file an op is in.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_DIALECT_AENET_IR_AENETOPS_H
#define AENET_DIALECT_AENET_IR_AENETOPS_H

#include "aenet/Dialect/Aenet/IR/AenetAttrs.h"
#include "aenet/Dialect/Aenet/IR/AenetDialect.h"

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "aenet/Dialect/Aenet/IR/AenetInterfaces.h.inc"

namespace mlir::aenet {
/// The 0-d tensor of |type|'s element type: the result type of a loss, a
/// metric or a regularizer, which the builders of those ops derive.
inline RankedTensorType scalarTypeOf(Type type) {
  return RankedTensorType::get({}, getElementTypeOrSelf(type));
}

/// The result types of a recurrent op reading |input| [N, T, C] with
/// |recurrentKernel| [H, G*H]: the sequence [N, T, H] and a state [N, H],
/// which the builders of the recurrent family derive.
inline std::pair<RankedTensorType, RankedTensorType>
recurrentResultTypes(Value input, Value recurrentKernel) {
  auto in = cast<RankedTensorType>(input.getType());
  int64_t units = cast<RankedTensorType>(recurrentKernel.getType()).getDimSize(0);
  return {RankedTensorType::get({in.getDimSize(0), in.getDimSize(1), units},
                                in.getElementType()),
          RankedTensorType::get({in.getDimSize(0), units},
                                in.getElementType())};
}
} // namespace mlir::aenet

#define GET_OP_CLASSES
#include "aenet/Dialect/Aenet/IR/AenetOps.h.inc"

#endif // AENET_DIALECT_AENET_IR_AENETOPS_H
