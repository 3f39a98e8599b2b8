//===- TrainChecker.h - The checker of train blocks -------------*- C++ -*-===//
//
// The train-block checker is split along what a train block says (its
// settings, data, what trains, the optimizer), one file each; this is the
// class they share. Internal to lang/lib.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_LANG_LIB_TRAINCHECKER_H
#define AENET_LANG_LIB_TRAINCHECKER_H

#include "SemaInternal.h"

#include <map>

namespace aenet::sema {

/// |path| as written in |file|: relative paths are relative to the model
/// file's folder.
std::string resolvePath(const SourceFile &file, const std::string &path);

/// Checks one `train` block against its model into a TrainPlan. Its parts
/// live in one file per concept: the block's settings and the whole
/// (SemaTrain.cpp), its data sources and corruptions (SemaTrainData.cpp),
/// what it trains: `freeze`, `init ... from` and phases
/// (SemaTrainPhases.cpp), and optimizers (SemaOptimizer.cpp).
class TrainChecker {
public:
  TrainChecker(const ast::Train &train, const ModelGraph &model,
               const SourceFile &file, DiagnosticEngine &diags)
      : train_(train), model_(model), file_(file), diags_(diags) {
    plan_.model = model.name;
    plan_.offset = train.offset;
  }

  TrainPlan run();

private:
  void addData(const ast::DataStmt &stmt);
  /// Whether what |source| yields fits the inputs it feeds.
  bool checkSourceFitsInputs(const ast::DataStmt &stmt, DataSource &source);
  void addCorrupt(const ast::CorruptStmt &stmt);
  void addInit(const ast::InitStmt &stmt);
  void addSetting(const ast::Setting &setting);
  /// Checks a phase after the block's own settings, which it starts from.
  void addPhase(const ast::PhaseBlock &phase);
  /// Reports, at |at|, a frozen set that leaves |what| nothing to train.
  void checkSomethingTrains(const std::vector<std::string> &frozen,
                            uint32_t at, const std::string &what);
  void readOptimizer(const ast::Value &value);
  /// The model input named |name|, or null after reporting.
  const InputInfo *findInput(const ast::Ident &name);
  bool isBlockOrLayer(const ast::Ident &name);
  /// Reads a finite real into |out|; reports and returns false otherwise.
  bool readNumber(const ast::Value &value, const std::string &what,
                  double &out);

  const ast::Train &train_;
  const ModelGraph &model_;
  const SourceFile &file_;
  DiagnosticEngine &diags_;
  TrainPlan plan_;
  std::map<std::string, uint32_t> fedAt_[2];
  std::map<std::string, uint32_t> settingAt_;
  uint32_t validateAt_ = 0, splitAt_ = 0;
  std::map<std::string, uint32_t> phaseAt_;
};

} // namespace aenet::sema

#endif // AENET_LANG_LIB_TRAINCHECKER_H
