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

/// Checks |model|; |fixed| (may be null) gives the shapes of its
/// variable-length inputs.
ModelGraph checkModel(const ast::Model &model, DiagnosticEngine &diags,
                      const FixedInputs *fixed);

/// Checks a train block against |model|, the checked model it names, whose
/// index in the program is |modelIndex|.
TrainPlan checkTrain(const ast::Train &train, const ModelGraph &model,
                     int modelIndex, const SourceFile &file,
                     DiagnosticEngine &diags);

/// Checks that the text source |source| of |stmt| fits the inputs it feeds,
/// |inputs| (one per name of |stmt|, all with shapes): a chars window, then
/// optionally the next character as `class[V]` or the shifted window as
/// `chars[T, V]`. Sets |source|.window from the input when not given.
/// Reports at the input's name and returns false on a mismatch.
bool checkTextSource(const ast::DataStmt &stmt,
                     const std::vector<const InputInfo *> &inputs,
                     DataSource &source, DiagnosticEngine &diags);

} // namespace aenet::sema

#endif // AENET_LANG_LIB_SEMAINTERNAL_H
