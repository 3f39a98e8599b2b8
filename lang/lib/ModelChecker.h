//===- ModelChecker.h - The checker of one model ----------------*- C++ -*-===//
//
// Walks one model's declarations in order, checks each against the values
// before it and builds its ModelGraph. Its members are defined in two
// files: the inputs, layers and blocks in Sema.cpp, the losses and metrics
// (which compare values with targets) in SemaLosses.cpp.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_LANG_LIB_MODELCHECKER_H
#define AENET_LANG_LIB_MODELCHECKER_H

#include "SemaInternal.h"

#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace aenet::sema {

class ModelChecker {
public:
  ModelChecker(const ast::Model &model, DiagnosticEngine &diags,
               const FixedInputs *fixed)
      : model_(model), diags_(diags), fixed_(fixed) {
    graph_.name = model.name.name;
    graph_.offset = model.name.offset;
  }

  ModelGraph run();

private:
  void collectExplicitNames();
  void addInput(const ast::InputDecl &decl);
  /// Gives the `?` extents of |input| the data's (|fixed_|); false after
  /// reporting shapes that do not fit.
  bool fixExtents(InputInfo &input, uint32_t at);
  void addBlock(const ast::Block &block);
  void addLayer(const ast::LayerStmt &stmt, const std::string &block);
  std::string autoName(LayerKind kind);
  /// Defines a value name; reports a duplicate or reserved name.
  bool defineName(const ast::Ident &name);
  int resolve(const ast::Ident &name);
  void addLoss(const ast::LossDecl &decl);
  void addMetric(const ast::MetricDecl &decl);
  /// Whether |value| may be compared with |target| by a function that needs
  /// class labels (|classTarget|) or equal shapes.
  bool checkTarget(const std::string &fn, int value, int target,
                   bool acceptsClasses, uint32_t at);
  std::vector<std::string> valueNames() const;
  /// Appends |value| to the graph and indexes its name; returns its id.
  int addValue(ValueInfo value);
  /// Whether every element count of a layer's result and parameters, and the
  /// model's running parameter count, is within `kMaxElements`.
  bool checkSizes(const LayerNode &node, const ValueInfo &result);
  /// Refuses a second loss or metric that would report under the same name
  /// (a column of metrics.csv) as an earlier one.
  bool checkReportedName(const std::string &name, uint32_t at);

  const ast::Model &model_;
  DiagnosticEngine &diags_;
  const FixedInputs *fixed_;
  ModelGraph graph_;
  int current_ = -1;
  std::set<int> poisoned_;
  std::map<std::string, uint32_t> definedAt_;
  std::set<std::string> explicitNames_;
  std::map<LayerKind, int> kindCounts_;
  /// Value and block names to their ids, so that checking stays linear in
  /// the number of layers.
  std::unordered_map<std::string, int> valueIds_;
  std::unordered_map<std::string, size_t> blockIds_;
  std::map<std::string, uint32_t> reportedAt_;
  int64_t paramTotal_ = 0;
};

} // namespace aenet::sema

#endif // AENET_LANG_LIB_MODELCHECKER_H
