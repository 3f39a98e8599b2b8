//===- KerasWeights.cpp - Keras's weights as aec's parameters -------------===//
//
// Keras 2 files name a model's layers as the model does; Keras 3 files key
// them by class and place (dense, dense_1, conv2d, ...), which aec computes
// from the model's layers in order, so a model of the same layers in the
// same order matches whatever its layers are called.
// Keras keeps a layer's tensors in the order aec declares its parameters
// (kernel, recurrent kernel, bias) and, for dense and recurrent layers, in
// the same layouts (LayerParams.cpp). Convolution kernels differ: Keras's
// Conv2D kernel is (kh, kw, in, out) and Conv2DTranspose's (kh, kw, out, in)
// in either data format, aec's [out, in, kh, kw] and [in, out, kh, kw].
// A dense layer reading a flattened image reads Keras's channels-last rows
// (h, w, c) where aec's are (c, h, w): its kernel's rows are permuted, as a
// Keras model of the course's (channels-last) is; a dense layer whose result
// a reshape makes an image has its columns and bias permuted alike. Each
// conversion is a permutation of the elements, applied one way on import
// and the other on export.
//
//===----------------------------------------------------------------------===//

#include "KerasWeights.h"

#include "aenet/Lang/Layers.h"
#include "aenet/Runtime/Errors.h"

#include <algorithm>
#include <functional>
#include <map>

namespace aenet {

namespace {

/// Where element |i| of a channels-first [C, H, W] sits channels-last
/// ([H, W, C]); any other shape (one extent) keeps it.
int64_t channelsLast(const std::vector<int64_t> &chw, int64_t i) {
  if (chw.size() != 3)
    return i;
  int64_t c = i / (chw[1] * chw[2]), hw = i % (chw[1] * chw[2]);
  return hw * chw[0] + c;
}

/// Layers that leave their input's values where they are: between a
/// flatten and a dense layer, or a dense layer and a reshape, they change
/// nothing of the order (Keras's CNN head: flatten, dropout, dense).
bool passesThrough(const LayerNode &layer) {
  switch (layer.spec.kind) {
  case LayerKind::Dropout:
  case LayerKind::GaussianNoise:
  case LayerKind::Activation:
    return true;
  default:
    return false;
  }
}

int64_t product(const std::vector<int64_t> &dims) {
  int64_t n = 1;
  for (int64_t d : dims)
    n *= d;
  return n;
}

/// The image [C, H, W] that |layer| reads flattened (through layers that
/// pass values through), or its input's one extent.
std::vector<int64_t> flattenedImage(const ModelGraph &graph,
                                    const LayerNode &layer) {
  const ValueInfo &in = graph.values[layer.operands.front()];
  std::vector<int64_t> flat = {in.shape.dims.back()};
  if (in.shape.dims.size() != 1)
    return flat;
  int v = layer.operands.front();
  while (graph.values[v].producer >= 0) {
    const LayerNode &before = graph.layers[graph.values[v].producer];
    if (passesThrough(before)) {
      v = before.operands.front();
      continue;
    }
    const Shape &image = graph.values[before.operands.front()].shape;
    if ((before.spec.kind == LayerKind::Flatten ||
         before.spec.kind == LayerKind::Reshape) &&
        image.dims.size() == 3 && product(image.dims) == flat[0])
      return image.dims;
    break;
  }
  return flat;
}

/// The image [C, H, W] a reshape makes of |layer|'s result (through layers
/// that pass values through), or the result's one extent.
std::vector<int64_t> reshapedImage(const ModelGraph &graph,
                                   const LayerNode &layer) {
  const Shape &result = graph.values[layer.result].shape;
  std::vector<int64_t> flat = {result.dims.back()};
  if (result.dims.size() != 1)
    return flat;
  int v = layer.result;
  for (bool moved = true; moved;) {
    moved = false;
    for (const LayerNode &next : graph.layers) {
      if (next.operands.empty() || next.operands.front() != v)
        continue;
      if (passesThrough(next)) {
        v = next.result;
        moved = true;
        break;
      }
      const Shape &image = graph.values[next.result].shape;
      if (next.spec.kind == LayerKind::Reshape && image.dims.size() == 3 &&
          product(image.dims) == flat[0])
        return image.dims;
    }
  }
  return flat;
}

/// For each element of aec's tensor, the index of the same weight in
/// Keras's (row-major both), or empty when the layouts agree.
std::vector<int64_t> kerasIndexOf(const ModelGraph &graph,
                                  const LayerNode &layer,
                                  const std::string &suffix,
                                  const std::vector<int64_t> &shape) {
  std::vector<int64_t> index;
  const LayerSpec &spec = layer.spec;
  if (suffix == "kernel" && (spec.kind == LayerKind::Conv2D ||
                             spec.kind == LayerKind::Conv2DTranspose)) {
    // aec [a, b, kh, kw]; Keras (kh, kw, b, a).
    int64_t a = shape[0], b = shape[1], kh = shape[2], kw = shape[3];
    for (int64_t i = 0; i < a; ++i)
      for (int64_t j = 0; j < b; ++j)
        for (int64_t y = 0; y < kh; ++y)
          for (int64_t x = 0; x < kw; ++x)
            index.push_back(((y * kw + x) * b + j) * a + i);
    return index;
  }
  if (spec.kind != LayerKind::Dense)
    return index;
  // A dense layer between flattened images and images: its rows read a
  // flattened [C, H, W] (Keras: [H, W, C]), its columns (and bias) make one
  // that a reshape turns into an image.
  std::vector<int64_t> rows = {shape.size() == 2 ? shape[0] : 1};
  if (suffix == "kernel")
    rows = flattenedImage(graph, layer);
  std::vector<int64_t> columns = reshapedImage(graph, layer);
  if (rows.size() == 1 && columns.size() == 1)
    return index;
  if (columns.size() == 1)
    columns = {shape.back()};
  int64_t rowCount = 1, columnCount = 1;
  for (int64_t d : rows)
    rowCount *= d;
  for (int64_t d : columns)
    columnCount *= d;
  for (int64_t r = 0; r < rowCount; ++r)
    for (int64_t col = 0; col < columnCount; ++col)
      index.push_back(channelsLast(rows, r) * columnCount +
                      channelsLast(columns, col));
  return index;
}

/// A layout conversion covers every element of its tensor exactly once, or
/// none (the layouts agree).
void checkPermutation(const std::vector<int64_t> &index, size_t size,
                      const std::string &name, const std::string &file) {
  if (index.empty())
    return;
  std::vector<bool> hit(size, false);
  bool ok = index.size() == size;
  for (int64_t i : index) {
    ok &= i >= 0 && static_cast<size_t>(i) < size && !hit[i];
    if (!ok)
      break;
    hit[i] = true;
  }
  if (!ok)
    throw rt::CheckpointError(file, "cannot convert '" + name +
                                        "' between Keras's layout and aec's");
}

/// Keras's shape of a tensor that is |shape| in aec.
std::vector<int64_t> kerasShape(const LayerNode &layer,
                                const std::string &suffix,
                                const std::vector<int64_t> &shape) {
  if (suffix == "kernel" && (layer.spec.kind == LayerKind::Conv2D ||
                             layer.spec.kind == LayerKind::Conv2DTranspose))
    return {shape[2], shape[3], shape[1], shape[0]};
  return shape;
}

/// aec's parameters of |layer|: suffix and shape, in declaration order.
std::vector<ParamInfo> paramsOf(const ModelGraph &graph,
                                const LayerNode &layer) {
  std::vector<Shape> operands;
  for (int v : layer.operands)
    operands.push_back(graph.values[v].shape);
  return layerParams(layer.spec, operands);
}

std::string describe(const rt::KerasLayer &k) {
  std::string s = "'" + k.name + "' (";
  for (size_t i = 0; i < k.weights.size(); ++i)
    s += (i ? ", " : "") + rt::shapeText(k.weights[i].shape);
  return s + ")";
}

/// Keras's snake-case class name of a layer kind with weights.
const char *kerasClassKey(LayerKind kind) {
  switch (kind) {
  case LayerKind::Dense:
    return "dense";
  case LayerKind::Conv2D:
    return "conv2d";
  case LayerKind::Conv2DTranspose:
    return "conv2d_transpose";
  case LayerKind::RNN:
    return "simple_rnn";
  case LayerKind::LSTM:
    return "lstm";
  case LayerKind::GRU:
    return "gru";
  default:
    return "";
  }
}

/// The name Keras 3 files each layer of |graph| under: not the layer's
/// name but its class's, numbered in model order from the second on
/// (dense, dense_1, ...), as Keras's saving library keys a model's layers.
std::map<const LayerNode *, std::string> keras3Keys(const ModelGraph &graph) {
  std::map<const LayerNode *, std::string> keys;
  std::map<std::string, int> seen;
  for (const LayerNode &layer : graph.layers) {
    std::string key = kerasClassKey(layer.spec.kind);
    if (key.empty())
      continue;
    int n = seen[key]++;
    keys[&layer] = n == 0 ? key : key + "_" + std::to_string(n);
  }
  return keys;
}

bool isRecurrent(LayerKind kind) {
  return kind == LayerKind::RNN || kind == LayerKind::LSTM ||
         kind == LayerKind::GRU;
}

} // namespace

rt::Checkpoint kerasWeightsFor(const ModelGraph &graph,
                               const std::vector<std::string> &layers,
                               const std::string &path, bool byOrder) {
  rt::KerasWeightsFile file = rt::loadKerasWeights(path);
  // Keras 3 files key layers by class and place, never by name.
  bool byKey = file.kerasVersion == 3;
  std::map<const LayerNode *, std::string> keys = keras3Keys(graph);
  // Which file layer each model layer with parameters takes.
  std::vector<const LayerNode *> withParams;
  for (const LayerNode &layer : graph.layers)
    if (!paramsOf(graph, layer).empty())
      withParams.push_back(&layer);
  std::string problems;
  rt::Checkpoint out;
  for (size_t n = 0; n < withParams.size(); ++n) {
    const LayerNode &layer = *withParams[n];
    if (std::find(layers.begin(), layers.end(), layer.name) == layers.end())
      continue;
    const rt::KerasLayer *k = nullptr;
    std::string key = byKey ? keys[&layer] : layer.name;
    if (byOrder && !byKey) {
      if (n < file.layers.size())
        k = &file.layers[n];
    } else {
      for (const rt::KerasLayer &candidate : file.layers)
        if (candidate.name == key)
          k = &candidate;
    }
    std::vector<ParamInfo> params = paramsOf(graph, layer);
    if (!k) {
      problems += "\n  layer '" + layer.name + "' of the model: " +
                  (byKey ? "no layer '" + key + "' in the file"
                   : byOrder
                       ? "the file has only " +
                             std::to_string(file.layers.size()) +
                             " layers with weights"
                       : std::string("no layer of that name in the file"));
      continue;
    }
    std::string which =
        k->name != layer.name ? " (the file's '" + k->name + "')" : "";
    // Keras 2 files say nothing reliable of a layer's kind (its weight
    // names are the layer's own); the count and shapes are checked.
    if (k->weights.size() != params.size() ||
        (byKey && k->recurrent != isRecurrent(layer.spec.kind))) {
      std::string want;
      for (size_t i = 0; i < params.size(); ++i)
        want += (i ? ", " : "") +
                rt::shapeText(kerasShape(layer, params[i].name,
                                         params[i].shape));
      problems += "\n  layer '" + layer.name + "'" + which + ": the file " +
                  "holds " + describe(*k) + ", the model takes (" + want +
                  ") in Keras's layout";
      continue;
    }
    for (size_t i = 0; i < params.size(); ++i) {
      const rt::NamedTensor &kt = k->weights[i];
      std::vector<int64_t> want =
          kerasShape(layer, params[i].name, params[i].shape);
      if (kt.shape != want) {
        problems += "\n  layer '" + layer.name + "'" + which + ": its " +
                    params[i].name + " is " + rt::shapeText(kt.shape) +
                    " in the file but " + rt::shapeText(want) +
                    " in the model (Keras's layout)";
        continue;
      }
      rt::NamedTensor t{layer.name + "." + params[i].name, params[i].shape,
                        kt.data};
      std::vector<int64_t> index =
          kerasIndexOf(graph, layer, params[i].name, params[i].shape);
      checkPermutation(index, t.data.size(), t.name, path);
      for (size_t e = 0; e < index.size(); ++e)
        t.data[e] = kt.data[index[e]];
      out.tensors.push_back(std::move(t));
    }
  }
  if (!problems.empty()) {
    std::string held;
    for (size_t i = 0; i < file.layers.size() && i < 12; ++i)
      held += "\n  " + describe(file.layers[i]);
    if (file.layers.size() > 12)
      held += "\n  ... and " + std::to_string(file.layers.size() - 12) +
              " more";
    throw rt::CheckpointError(
        path, "does not fit model '" + graph.name + "' (Keras " +
                  std::to_string(file.kerasVersion) + " weights, layers " +
                  (byKey     ? "by kind in order: dense, dense_1, ..."
                   : byOrder ? "in order"
                             : "by name") +
                  "):" + problems +
                  "\nthe file holds:" +
                  (held.empty() ? std::string(" no weights") : held));
  }
  return out;
}

std::vector<rt::KerasLayer> kerasLayersOf(const ModelGraph &graph,
                                          const rt::Checkpoint &weights,
                                          const std::string &source) {
  std::vector<rt::KerasLayer> layers;
  std::map<const LayerNode *, std::string> keys = keras3Keys(graph);
  for (const LayerNode &layer : graph.layers) {
    std::vector<ParamInfo> params = paramsOf(graph, layer);
    if (params.empty())
      continue;
    rt::KerasLayer k;
    k.name = keys[&layer];
    k.recurrent = isRecurrent(layer.spec.kind);
    for (const ParamInfo &p : params) {
      std::string name = layer.name + "." + p.name;
      const rt::NamedTensor *t = weights.find(name);
      if (!t || t->shape != p.shape)
        throw rt::CheckpointError(
            source, (t ? "tensor '" + name + "' has shape " +
                             rt::shapeText(t->shape) + "; model '" +
                             graph.name + "' takes " + rt::shapeText(p.shape)
                       : "has no tensor '" + name + "' " +
                             rt::shapeText(p.shape) + " of model '" +
                             graph.name + "'") +
                        " (is it a checkpoint of this model?)");
      rt::NamedTensor kt{p.name, kerasShape(layer, p.name, p.shape), t->data};
      std::vector<int64_t> index = kerasIndexOf(graph, layer, p.name, p.shape);
      checkPermutation(index, kt.data.size(), name, source);
      for (size_t e = 0; e < index.size(); ++e)
        kt.data[index[e]] = t->data[e];
      k.weights.push_back(std::move(kt));
    }
    layers.push_back(std::move(k));
  }
  return layers;
}

} // namespace aenet
