//===- AenetOps.cpp - Generated op definitions ----------------------------===//
//
// The op classes generated from AenetOps.td and the family files it
// includes. Verifiers and gradient rules live by family: LayerOps.cpp,
// ConvOps.cpp, RecurrentOps.cpp, LossOps.cpp, GradientOps.cpp,
// OptimizerOps.cpp.
//
//===----------------------------------------------------------------------===//

#include "aenet/Dialect/Aenet/IR/AenetOps.h"

#define GET_OP_CLASSES
#include "aenet/Dialect/Aenet/IR/AenetOps.cpp.inc"
