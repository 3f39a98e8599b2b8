//===- InitFrom.cpp - init BLOCK from "checkpoint" ------------------------===//
//
// Transfer learning starts a block or layer from another model's trained
// weights: its parameters are matched by name in the other checkpoint, every
// one must be there with the model's shape, and a mismatch names each
// tensor with both shapes and lists what the checkpoint holds, so that a
// checkpoint of another model is recognised as such.
//
//===----------------------------------------------------------------------===//

#include "InitFrom.h"
#include "KerasWeights.h"

#include "aenet/Runtime/Checkpoint.h"
#include "aenet/Runtime/Errors.h"

namespace aenet {

/// Names of the layers (as parameter prefixes) that a block or layer name
/// covers.
static std::vector<std::string> layersOf(const ModelGraph &graph,
                                         const std::string &name) {
  std::vector<std::string> layers;
  if (name == graph.name)
    for (const LayerNode &layer : graph.layers)
      layers.push_back(layer.name);
  else if (const BlockInfo *block = graph.findBlock(name))
    for (int i = block->firstLayer; i < block->endLayer; ++i)
      layers.push_back(graph.layers[i].name);
  else
    layers.push_back(name);
  return layers;
}

void loadInit(rt::ParameterStore &store, const ModelGraph &graph,
              const InitFrom &init, bool byOrder) {
  std::vector<std::string> layers = layersOf(graph, init.target);
  // Keras's weights (.weights.h5, .h5) arrive in aec's names and layouts.
  bool keras = init.path.size() > 3 &&
               init.path.compare(init.path.size() - 3, 3, ".h5") == 0;
  if (byOrder && !keras)
    throw rt::CheckpointError(init.path,
                              "--by-order matches the layers of a Keras "
                              "weights file (.h5); aec's checkpoints match "
                              "by name");
  rt::Checkpoint saved = keras
                             ? kerasWeightsFor(graph, layers, init.path, byOrder)
                             : rt::loadSafetensors(init.path);
  std::string problems;
  std::vector<std::pair<rt::NamedTensor *, const rt::NamedTensor *>> copies;
  for (const rt::NamedTensor &t : store.tensors()) {
    if (t.name.find('/') != std::string::npos)
      continue;
    bool covered = false;
    for (const std::string &layer : layers)
      covered |= t.name.compare(0, layer.size() + 1, layer + ".") == 0;
    if (!covered)
      continue;
    const rt::NamedTensor *stored = saved.find(t.name);
    if (!stored)
      problems += "\n  '" + t.name + "' " + rt::shapeText(t.shape) +
                  " of the model is not in the checkpoint";
    else if (stored->shape != t.shape)
      problems += "\n  '" + t.name + "' is " + rt::shapeText(stored->shape) +
                  " in the checkpoint but " + rt::shapeText(t.shape) +
                  " in the model";
    else
      copies.emplace_back(store.find(t.name), stored);
  }
  if (copies.empty() && problems.empty())
    problems = "\n  '" + init.target + "' has no parameters to load";
  if (!problems.empty()) {
    std::string held;
    size_t shown = 0;
    for (const rt::NamedTensor &t : saved.tensors) {
      if (t.name.find('/') != std::string::npos)
        continue;
      if (shown++ < 12)
        held += "\n  '" + t.name + "' " + rt::shapeText(t.shape);
    }
    if (shown > 12)
      held += "\n  ... and " + std::to_string(shown - 12) + " more";
    auto model = saved.metadata.find("model");
    throw rt::CheckpointError(
        init.path,
        "does not fit '" + init.target + "'" +
            (model != saved.metadata.end()
                 ? " (it is a checkpoint of model '" + model->second + "')"
                 : std::string()) +
            ":" + problems + "\nthe checkpoint holds:" +
            (held.empty() ? std::string(" no parameters") : held));
  }
  for (auto &[into, from] : copies)
    into->data = from->data;
}

} // namespace aenet
