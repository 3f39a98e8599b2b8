//===- SemaInternal.h - Pieces of Sema shared between files -----*- C++ -*-===//
//
// The model checker and the train-block checker live in separate files; this
// is the seam between them and `checkProgram`.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_LANG_LIB_SEMAINTERNAL_H
#define AENET_LANG_LIB_SEMAINTERNAL_H

#include "aenet/Lang/Sema.h"


namespace aenet::sema {

ModelGraph checkModel(const ast::Model &model, DiagnosticEngine &diags);

/// Checks a train block against |model|, the checked model it names, whose
/// index in the program is |modelIndex|.
TrainPlan checkTrain(const ast::Train &train, const ModelGraph &model,
                     int modelIndex, const SourceFile &file,
                     DiagnosticEngine &diags);

} // namespace aenet::sema

#endif // AENET_LANG_LIB_SEMAINTERNAL_H
