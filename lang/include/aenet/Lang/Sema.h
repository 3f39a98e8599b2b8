//===- Sema.h - Semantic checks of a parsed program -------------*- C++ -*-===//
//
// Resolves names, binds layer arguments to options, infers every shape and
// checks losses and train blocks. Every problem goes to the engine; checking
// goes on after an error so one run reports them all.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_LANG_SEMA_H
#define AENET_LANG_SEMA_H

#include "aenet/Lang/AST.h"
#include "aenet/Lang/Diagnostics.h"
#include "aenet/Lang/ModelGraph.h"
#include "aenet/Lang/Params.h"
#include "aenet/Lang/TrainPlan.h"

#include <map>
#include <set>

namespace aenet {

struct CheckedProgram {
  std::vector<ModelGraph> models;
  std::vector<TrainPlan> trains;
  /// The file's parameters with the values checked, in declaration order:
  /// what binds the file again the same way (`bindParams`), and what a run
  /// records.
  std::vector<ParamSetting> params;

  /// The model named |name|, or -1.
  int findModel(const std::string &name) const;
  /// The first train block of model |model|, or null.
  const TrainPlan *trainFor(const std::string &model) const;
  /// Parameters of |model| frozen by its train block (in phase |phase|
  /// when the block has phases).
  int64_t frozenParamCount(int model, size_t phase = 0) const;
};

/// The layers of |graph| (indices) that the block or layer |names| cover.
std::set<int> frozenLayers(const ModelGraph &graph,
                           const std::vector<std::string> &names);

/// Parameters of the layers of |graph| that the block or layer |names| cover,
/// each layer counted once.
int64_t frozenParamCount(const ModelGraph &graph,
                         const std::vector<std::string> &names);

/// The layers with parameters that |names| freeze, by name in layer order
/// and comma-separated ("enc1,enc2"): what a checkpoint records of its
/// frozen set, so that resuming with another one (whose optimizer state
/// would not fit) is told apart from `freeze encoder` said as its layers.
std::string frozenParamLayers(const ModelGraph &graph,
                              const std::vector<std::string> &names);

/// The shapes a run's data gives the variable-length inputs of one model:
/// `f32[?, 6]` fed sequences padded to 50 steps is checked as `f32[50, 6]`.
struct FixedInputs {
  std::string model;
  /// Input name to its shape; only the `?` extents are taken from it.
  std::map<std::string, Shape> shapes;
  /// The inputs among them whose samples are padded sequences
  /// (`InputInfo::padded`).
  std::set<std::string> padded;
};

/// Checks |program|; models or train blocks with errors are still returned
/// as far as they could be built, so callers must test `diags.hasErrors()`.
/// With |fixed|, the `?` extents of its model's inputs are those of
/// |fixed->shapes|, so every shape of the model is known: what `aec train`
/// compiles once its data is loaded. Without, a layer that cannot have a
/// shape before the length is known (`flatten` of `[?, 6]`) is not an error:
/// its value `awaitsLength`.
CheckedProgram checkProgram(const ast::Program &program,
                            const SourceFile &file, DiagnosticEngine &diags,
                            const FixedInputs *fixed = nullptr);

} // namespace aenet

#endif // AENET_LANG_SEMA_H
