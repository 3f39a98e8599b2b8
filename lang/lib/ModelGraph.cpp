//===- ModelGraph.cpp - Queries of checked models and programs ------------===//
//
// Look-ups and counts over the checked form of a program: values, blocks and
// layers of a model by name, parameter counts (trainable and frozen), the
// train block of a model. Sema.cpp builds these structures; this file only
// reads them.
//
//===----------------------------------------------------------------------===//

#include "aenet/Lang/Sema.h"

#include <set>

namespace aenet {

int64_t LayerNode::paramCount() const {
  int64_t n = 0;
  for (const ParamInfo &p : params)
    n += p.numElements();
  return n;
}

int64_t ModelGraph::paramCount() const {
  int64_t n = 0;
  for (const LayerNode &layer : layers)
    n += layer.paramCount();
  return n;
}

int ModelGraph::findValue(const std::string &name) const {
  for (size_t i = 0; i < values.size(); ++i)
    if (values[i].name == name)
      return static_cast<int>(i);
  return -1;
}

const BlockInfo *ModelGraph::findBlock(const std::string &name) const {
  for (const BlockInfo &block : blocks)
    if (block.name == name)
      return &block;
  return nullptr;
}

int ModelGraph::findLayer(const std::string &name) const {
  for (size_t i = 0; i < layers.size(); ++i)
    if (layers[i].name == name)
      return static_cast<int>(i);
  return -1;
}

bool ModelGraph::hasLayerOf(LayerKind kind) const {
  for (const LayerNode &layer : layers)
    if (layer.spec.kind == kind)
      return true;
  return false;
}

const char *lossKindName(LossKind kind) {
  static const char *names[] = {"mse", "mae", "bce", "cce", "sparse_cce",
                                "kl_normal"};
  return names[static_cast<int>(kind)];
}

const char *metricKindName(MetricKind kind) {
  static const char *names[] = {"accuracy", "pixel_accuracy", "mse",
                                "mae",      "bce",            "rmse",
                                "errors",   "mean_abs"};
  return names[static_cast<int>(kind)];
}

std::vector<std::string> ModelGraph::reportedNames() const {
  std::vector<std::string> names = {"loss"};
  bool regularized = false;
  for (const LayerNode &layer : layers)
    regularized |= layer.spec.activityRegularizer.active() ||
                   layer.spec.kernelRegularizer.active();
  if (losses.size() > 1 || regularized)
    for (const LossInfo &loss : losses)
      names.push_back((loss.kind == LossKind::KLNormal
                           ? std::string("kl")
                           : values[loss.value].name) +
                      "_loss");
  for (const MetricInfo &metric : metrics)
    names.push_back(values[metric.value].name + "_" +
                    metricKindName(metric.kind));
  return names;
}

int CheckedProgram::findModel(const std::string &name) const {
  for (size_t i = 0; i < models.size(); ++i)
    if (models[i].name == name)
      return static_cast<int>(i);
  return -1;
}

const TrainPlan *CheckedProgram::trainFor(const std::string &model) const {
  for (const TrainPlan &plan : trains)
    if (plan.model == model)
      return &plan;
  return nullptr;
}

int64_t CheckedProgram::frozenParamCount(int model, size_t phase) const {
  const ModelGraph &graph = models[model];
  const TrainPlan *plan = trainFor(graph.name);
  if (!plan)
    return 0;
  return aenet::frozenParamCount(graph, planOfPhase(*plan, phase).frozen);
}

std::set<int> frozenLayers(const ModelGraph &graph,
                           const std::vector<std::string> &names) {
  std::set<int> frozen;
  for (const std::string &name : names) {
    if (const BlockInfo *block = graph.findBlock(name))
      for (int i = block->firstLayer; i < block->endLayer; ++i)
        frozen.insert(i);
    else if (int layer = graph.findLayer(name); layer >= 0)
      frozen.insert(layer);
  }
  return frozen;
}

int64_t frozenParamCount(const ModelGraph &graph,
                         const std::vector<std::string> &names) {
  int64_t n = 0;
  for (int i : frozenLayers(graph, names))
    n += graph.layers[i].paramCount();
  return n;
}

std::string frozenParamLayers(const ModelGraph &graph,
                              const std::vector<std::string> &names) {
  std::string list;
  for (int i : frozenLayers(graph, names))
    if (graph.layers[i].paramCount() > 0)
      list += (list.empty() ? "" : ",") + graph.layers[i].name;
  return list;
}

} // namespace aenet
