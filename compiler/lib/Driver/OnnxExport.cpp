//===- OnnxExport.cpp - A trained model as an ONNX graph ------------------===//
//
// One rule per layer kind, each the ONNX operators of Keras's (and aec's)
// definition of the layer: aec's images are channels-first like ONNX's, so
// convolution kernels pass as they are; a dense kernel [in, out] is MatMul's
// right operand; the recurrent layers become ONNX's LSTM, GRU and RNN with
// their gate blocks moved from Keras's order (i, f, c, o) to ONNX's
// (i, o, f, c) and their kernels transposed, run time-major as ONNX Runtime
// requires. 'same' padding is TensorFlow's, the odd row after, given as
// explicit pads; upsampling is nearest-neighbour Resize. Dropout, noise and
// sample_normal (its mean) are inference's identity.
//
//===----------------------------------------------------------------------===//

#include "OnnxExport.h"

#include "aenet/Lang/TrainPlan.h"
#include "aenet/Runtime/Errors.h"

#include <onnx/checker.h>
#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <set>

namespace aenet {

namespace {

/// ONNX's pads [top, left, bottom, right] of a window on image [C, H, W]:
/// aec's (windowPads).
std::vector<int64_t> imagePads(const Shape &image,
                               const std::array<int64_t, 2> &window,
                               const std::array<int64_t, 2> &strides,
                               Padding padding) {
  std::array<int64_t, 4> pads = windowPads(image, window, strides, padding);
  return std::vector<int64_t>(pads.begin(), pads.end());
}

class OnnxBuilder {
public:
  OnnxBuilder(const ModelGraph &graph, const rt::Checkpoint &weights,
              const std::string &source, const std::string &modelFile)
      : graph_(graph), weights_(weights), source_(source),
        modelFile_(modelFile) {
    model_.set_ir_version(onnx::IR_VERSION);
    model_.set_producer_name("aec");
    model_.set_model_version(1);
    onnx::OperatorSetIdProto *opset = model_.add_opset_import();
    opset->set_domain("");
    opset->set_version(kOnnxOpset);
    g_ = model_.mutable_graph();
    g_->set_name(graph.name);
  }

  std::string build(const std::vector<int> &from, const std::vector<int> &to);

private:
  [[noreturn]] void refuse(const LayerNode &layer, const std::string &why) {
    throw rt::OutputError(modelFile_, "layer '" + layer.name + "' of model '" +
                                          graph_.name + "' " + why +
                                          ": it has no ONNX form");
  }

  onnx::NodeProto *node(const std::string &op,
                        const std::vector<std::string> &inputs,
                        const std::string &output) {
    onnx::NodeProto *n = g_->add_node();
    n->set_op_type(op);
    n->set_name(output);
    for (const std::string &in : inputs)
      n->add_input(in);
    n->add_output(output);
    return n;
  }
  static void intsAttr(onnx::NodeProto *n, const char *name,
                       const std::vector<int64_t> &values) {
    onnx::AttributeProto *a = n->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INTS);
    for (int64_t v : values)
      a->add_ints(v);
  }
  static void intAttr(onnx::NodeProto *n, const char *name, int64_t value) {
    onnx::AttributeProto *a = n->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INT);
    a->set_i(value);
  }
  static void floatAttr(onnx::NodeProto *n, const char *name, float value) {
    onnx::AttributeProto *a = n->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::FLOAT);
    a->set_f(value);
  }
  static void stringAttr(onnx::NodeProto *n, const char *name,
                         const std::string &value) {
    onnx::AttributeProto *a = n->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::STRING);
    a->set_s(value);
  }
  static void stringsAttr(onnx::NodeProto *n, const char *name,
                          const std::vector<std::string> &values) {
    onnx::AttributeProto *a = n->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::STRINGS);
    for (const std::string &v : values)
      a->add_strings(v);
  }

  /// An initializer of floats.
  std::string floats(const std::string &name, const std::vector<int64_t> &dims,
                     const std::vector<float> &data) {
    onnx::TensorProto *t = g_->add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto::FLOAT);
    for (int64_t d : dims)
      t->add_dims(d);
    t->set_raw_data(std::string(reinterpret_cast<const char *>(data.data()),
                                data.size() * sizeof(float)));
    return name;
  }
  /// An initializer of int64s.
  std::string int64s(const std::string &name,
                     const std::vector<int64_t> &data) {
    onnx::TensorProto *t = g_->add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto::INT64);
    t->add_dims(static_cast<int64_t>(data.size()));
    t->set_raw_data(std::string(reinterpret_cast<const char *>(data.data()),
                                data.size() * sizeof(int64_t)));
    return name;
  }

  /// The tensor |layer|.|suffix| of the weights, checked against the shape
  /// aec gives it.
  const rt::NamedTensor &weight(const LayerNode &layer,
                                const std::string &suffix) {
    std::string name = layer.name + "." + suffix;
    std::vector<int64_t> want;
    std::vector<Shape> operands;
    for (int v : layer.operands)
      operands.push_back(graph_.values[v].shape);
    for (const ParamInfo &p : layerParams(layer.spec, operands))
      if (p.name == suffix)
        want = p.shape;
    const rt::NamedTensor *t = weights_.find(name);
    if (!t)
      throw rt::CheckpointError(source_, "has no tensor '" + name + "' " +
                                             rt::shapeText(want) +
                                             " of model '" + graph_.name +
                                             "' (is it a checkpoint of this "
                                             "model?)");
    if (t->shape != want)
      throw rt::CheckpointError(source_, "tensor '" + name + "' has shape " +
                                             rt::shapeText(t->shape) +
                                             "; model '" + graph_.name +
                                             "' takes " + rt::shapeText(want));
    return *t;
  }
  /// The weight as an initializer under its own name.
  std::string weightInput(const LayerNode &layer, const std::string &suffix) {
    const rt::NamedTensor &t = weight(layer, suffix);
    return floats(t.name, t.shape, t.data);
  }

  /// |x| through activation |a|, the result named |out|.
  void activation(Activation a, const std::string &x, const std::string &out,
                  const LayerNode &layer) {
    switch (a) {
    case Activation::Linear:
      node("Identity", {x}, out);
      return;
    case Activation::Relu:
      node("Relu", {x}, out);
      return;
    case Activation::Sigmoid:
      node("Sigmoid", {x}, out);
      return;
    case Activation::Tanh:
      node("Tanh", {x}, out);
      return;
    case Activation::Softmax:
      intAttr(node("Softmax", {x}, out), "axis", -1);
      return;
    case Activation::HardSigmoid: {
      // Keras 2's clip(0.2 x + 0.5, 0, 1), LayerPatterns.cpp's.
      onnx::NodeProto *n = node("HardSigmoid", {x}, out);
      floatAttr(n, "alpha", 0.2f);
      floatAttr(n, "beta", 0.5f);
      return;
    }
    case Activation::Relu6:
      node("Clip", {x, scalar("zero", 0), scalar("six", 6)}, out);
      return;
    case Activation::LeakyRelu:
      floatAttr(node("LeakyRelu", {x}, out), "alpha", 0.2f);
      return;
    case Activation::Elu:
      floatAttr(node("Elu", {x}, out), "alpha", 1.0f);
      return;
    }
    refuse(layer, "has an unknown activation");
  }
  std::string scalar(const std::string &name, float value) {
    std::string full = "aec." + name;
    if (constants_.insert(full).second)
      floats(full, {}, {value});
    return full;
  }

  void emitLayer(const LayerNode &layer);
  void emitRecurrent(const LayerNode &layer);
  void addValueInfo(onnx::ValueInfoProto *info, const std::string &name,
                    const std::vector<int64_t> &dims);

  const ModelGraph &graph_;
  const rt::Checkpoint &weights_;
  std::string source_, modelFile_;
  onnx::ModelProto model_;
  onnx::GraphProto *g_;
  std::set<std::string> constants_;
  /// The padded inputs whose lengths the graph takes, by value.
  std::map<int, std::string> lengths_;
};

void OnnxBuilder::addValueInfo(onnx::ValueInfoProto *info,
                               const std::string &name,
                               const std::vector<int64_t> &dims) {
  info->set_name(name);
  onnx::TypeProto_Tensor *t = info->mutable_type()->mutable_tensor_type();
  t->set_elem_type(onnx::TensorProto::FLOAT);
  onnx::TensorShapeProto *shape = t->mutable_shape();
  shape->add_dim()->set_dim_param("batch");
  for (int64_t d : dims)
    shape->add_dim()->set_dim_value(d);
}

void OnnxBuilder::emitRecurrent(const LayerNode &layer) {
  const LayerSpec &spec = layer.spec;
  int in = layer.operands.front();
  const std::string &x = graph_.values[in].name;
  std::string out = graph_.values[layer.result].name;
  int64_t features = graph_.values[in].shape.dims[1];
  int64_t h = spec.units;
  bool lstm = spec.kind == LayerKind::LSTM, gru = spec.kind == LayerKind::GRU;
  int64_t gates = lstm ? 4 : gru ? 3 : 1;
  // ONNX's gate block g takes Keras's block order[g].
  std::vector<int64_t> order = lstm ? std::vector<int64_t>{0, 3, 1, 2}
                               : gru ? std::vector<int64_t>{0, 1, 2}
                                     : std::vector<int64_t>{0};
  // W [1, G*H, C] and R [1, G*H, H]: Keras's [C, G*H] and [H, G*H]
  // transposed, blocks reordered.
  auto transposed = [&](const rt::NamedTensor &k, int64_t rows) {
    std::vector<float> t(gates * h * rows);
    for (int64_t g = 0; g < gates; ++g)
      for (int64_t j = 0; j < h; ++j)
        for (int64_t r = 0; r < rows; ++r)
          t[(g * h + j) * rows + r] = k.data[r * gates * h + order[g] * h + j];
    return t;
  };
  std::string w = floats(layer.name + ".W", {1, gates * h, features},
                         transposed(weight(layer, "kernel"), features));
  std::string r = floats(layer.name + ".R", {1, gates * h, h},
                         transposed(weight(layer, "recurrent_kernel"), h));
  // B [1, 2*G*H]: the input biases, then the recurrent ones (a GRU with
  // reset_after has both; the others, none of their own).
  std::vector<float> b(2 * gates * h, 0.0f);
  if (spec.useBias) {
    const rt::NamedTensor &bias = weight(layer, "bias");
    int64_t halves = bias.data.size() / (gates * h);
    for (int64_t half = 0; half < halves; ++half)
      for (int64_t g = 0; g < gates; ++g)
        for (int64_t j = 0; j < h; ++j)
          b[half * gates * h + g * h + j] =
              bias.data[half * gates * h + order[g] * h + j];
  }
  std::string bias = floats(layer.name + ".B", {1, 2 * gates * h}, b);
  // Time-major [T, N, C]: ONNX Runtime runs no batch-major recurrence.
  std::string timeMajor = layer.name + "/time_major";
  intsAttr(node("Transpose", {x}, timeMajor), "perm", {1, 0, 2});
  std::vector<std::string> inputs = {timeMajor, w, r, bias};
  auto padded = lengths_.find(in);
  if (padded != lengths_.end()) {
    if (spec.returnSequences)
      refuse(layer, "returns every step of a padded sequence, whose masked "
                    "steps Keras carries over and ONNX zeroes");
    std::string lengths = layer.name + "/lengths";
    intAttr(node("Cast", {padded->second}, lengths), "to",
            onnx::TensorProto::INT32);
    inputs.push_back(lengths);
  }
  std::string sequence = layer.name + "/Y", last = layer.name + "/Y_h";
  onnx::NodeProto *cell =
      node(lstm ? "LSTM" : gru ? "GRU" : "RNN", inputs, sequence);
  cell->add_output(last);
  intAttr(cell, "hidden_size", h);
  auto name = [&](Activation a) -> std::string {
    switch (a) {
    case Activation::Sigmoid:
      return "Sigmoid";
    case Activation::Tanh:
      return "Tanh";
    case Activation::Relu:
      return "Relu";
    case Activation::HardSigmoid:
      return "HardSigmoid";
    default:
      refuse(layer, std::string("has activation ") + activationName(a) +
                        ", which ONNX's recurrent operators do not take");
    }
  };
  std::vector<std::string> activations;
  if (lstm)
    activations = {name(spec.recurrentActivation), name(spec.activation),
                   name(spec.activation)};
  else if (gru)
    activations = {name(spec.recurrentActivation), name(spec.activation)};
  else
    activations = {name(spec.activation)};
  stringsAttr(cell, "activations", activations);
  // HardSigmoid's alpha and beta (Keras 2's 0.2 and 0.5) are ONNX's
  // defaults; the other activations take none.
  if (gru)
    intAttr(cell, "linear_before_reset", spec.resetAfter ? 1 : 0);
  if (spec.returnSequences) {
    // Y [T, 1, N, H] -> [N, T, H].
    std::string squeezed = layer.name + "/steps";
    node("Squeeze", {sequence, int64s(layer.name + "/axis1", {1})}, squeezed);
    intsAttr(node("Transpose", {squeezed}, out), "perm", {1, 0, 2});
  } else {
    // Y_h [1, N, H] -> [N, H].
    node("Squeeze", {last, int64s(layer.name + "/axis0", {0})}, out);
  }
}

void OnnxBuilder::emitLayer(const LayerNode &layer) {
  const LayerSpec &spec = layer.spec;
  const std::string &x = graph_.values[layer.operands.front()].name;
  const Shape &inShape = graph_.values[layer.operands.front()].shape;
  const ValueInfo &result = graph_.values[layer.result];
  std::string out = result.name;
  std::string pre = out + "/linear";
  switch (spec.kind) {
  case LayerKind::Dense: {
    std::string product = spec.useBias ? out + "/matmul" : pre;
    node("MatMul", {x, weightInput(layer, "kernel")}, product);
    if (spec.useBias)
      node("Add", {product, weightInput(layer, "bias")}, pre);
    activation(spec.activation, pre, out, layer);
    return;
  }
  case LayerKind::Conv2D: {
    std::vector<std::string> in = {x, weightInput(layer, "kernel")};
    if (spec.useBias)
      in.push_back(weightInput(layer, "bias"));
    onnx::NodeProto *n = node("Conv", in, pre);
    intsAttr(n, "kernel_shape", {spec.kernel[0], spec.kernel[1]});
    intsAttr(n, "strides", {spec.strides[0], spec.strides[1]});
    intsAttr(n, "pads",
             imagePads(inShape, spec.kernel, spec.strides, spec.padding));
    activation(spec.activation, pre, out, layer);
    return;
  }
  case LayerKind::Conv2DTranspose: {
    std::vector<std::string> in = {x, weightInput(layer, "kernel")};
    if (spec.useBias)
      in.push_back(weightInput(layer, "bias"));
    onnx::NodeProto *n = node("ConvTranspose", in, pre);
    // The pads of the conv2d it transposes (from the output back to the
    // input), and the rows that conv2d's stride skipped as output padding.
    std::vector<int64_t> pads =
        imagePads(result.shape, spec.kernel, spec.strides, spec.padding);
    std::vector<int64_t> extra(2);
    for (int a = 0; a < 2; ++a)
      extra[a] = result.shape.dims[1 + a] -
                 (spec.strides[a] * (inShape.dims[1 + a] - 1) +
                  spec.kernel[a] - pads[a] - pads[2 + a]);
    intsAttr(n, "kernel_shape", {spec.kernel[0], spec.kernel[1]});
    intsAttr(n, "strides", {spec.strides[0], spec.strides[1]});
    intsAttr(n, "pads", pads);
    intsAttr(n, "output_padding", extra);
    activation(spec.activation, pre, out, layer);
    return;
  }
  case LayerKind::MaxPool: {
    const std::array<int64_t, 2> &strides =
        spec.stridesGiven ? spec.strides : spec.pool;
    onnx::NodeProto *n = node("MaxPool", {x}, out);
    intsAttr(n, "kernel_shape", {spec.pool[0], spec.pool[1]});
    intsAttr(n, "strides", {strides[0], strides[1]});
    intsAttr(n, "pads", imagePads(inShape, spec.pool, strides, spec.padding));
    return;
  }
  case LayerKind::Upsample: {
    std::string scales = floats(
        layer.name + "/scales", {4},
        {1, 1, static_cast<float>(spec.size[0]),
         static_cast<float>(spec.size[1])});
    onnx::NodeProto *n = node("Resize", {x, "", scales}, out);
    stringAttr(n, "mode", "nearest");
    stringAttr(n, "coordinate_transformation_mode", "asymmetric");
    stringAttr(n, "nearest_mode", "floor");
    return;
  }
  case LayerKind::Flatten:
  case LayerKind::Reshape: {
    // 0 keeps the batch extent.
    std::vector<int64_t> dims = {0};
    dims.insert(dims.end(), result.shape.dims.begin(), result.shape.dims.end());
    node("Reshape", {x, int64s(layer.name + "/shape", dims)}, out);
    return;
  }
  case LayerKind::Dropout:
  case LayerKind::GaussianNoise:
  case LayerKind::SampleNormal:
    // Inference: the input as it is; sample_normal's mean.
    node("Identity", {x}, out);
    return;
  case LayerKind::Activation:
    activation(spec.activation, x, out, layer);
    return;
  case LayerKind::Concat:
    // Nothing to check an ONNX Concat against: aec's compiler refuses the
    // layer (ModuleBuilder::checkSupported).
    refuse(layer, "is a concat, which aec does not compile yet");
  case LayerKind::RNN:
  case LayerKind::LSTM:
  case LayerKind::GRU:
    emitRecurrent(layer);
    return;
  }
  refuse(layer, "is of an unknown kind");
}

std::string OnnxBuilder::build(const std::vector<int> &from,
                               const std::vector<int> &to) {
  // The layers on the way from |from| to |to|.
  std::vector<bool> needed(graph_.values.size(), false);
  std::vector<int> pending = to;
  while (!pending.empty()) {
    int v = pending.back();
    pending.pop_back();
    if (needed[v])
      continue;
    needed[v] = true;
    if (std::count(from.begin(), from.end(), v))
      continue;
    if (int layer = graph_.values[v].producer; layer >= 0)
      for (int operand : graph_.layers[layer].operands)
        pending.push_back(operand);
  }
  for (int v : from) {
    const ValueInfo &value = graph_.values[v];
    addValueInfo(g_->add_input(), value.name, value.shape.dims);
    if (value.input >= 0 && graph_.inputs[value.input].padded) {
      std::string lengths = sequenceLengthsName(value.name);
      addValueInfo(g_->add_input(), lengths, {});
      lengths_[v] = lengths;
    }
  }
  for (const LayerNode &layer : graph_.layers) {
    if (!needed[layer.result] ||
        std::count(from.begin(), from.end(), layer.result))
      continue;
    emitLayer(layer);
    // Padded steps stay padded through per-step layers, as in aec
    // (ModelToAenet.cpp): a recurrent layer after them masks them too.
    auto padded = lengths_.find(layer.operands.front());
    if (padded != lengths_.end() && keepsSteps(layer.spec))
      lengths_[layer.result] = padded->second;
  }
  for (int v : to)
    addValueInfo(g_->add_output(), graph_.values[v].name,
                 graph_.values[v].shape.dims);
  try {
    onnx::checker::check_model(model_);
  } catch (const std::exception &e) {
    throw rt::OutputError(modelFile_, std::string("ONNX's checker refused "
                                                  "the graph of model '") +
                                          graph_.name + "': " + e.what());
  }
  std::string bytes;
  model_.SerializeToString(&bytes);
  return bytes;
}

} // namespace

std::string onnxModel(const ModelGraph &graph, const std::vector<int> &from,
                      const std::vector<int> &to,
                      const rt::Checkpoint &weights, const std::string &source,
                      const std::string &modelFile) {
  return OnnxBuilder(graph, weights, source, modelFile).build(from, to);
}

} // namespace aenet
