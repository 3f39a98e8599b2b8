//===- ModelGraph.h - A checked model as a graph of layers ------*- C++ -*-===//
//
// What Sema makes of a `model` declaration: inputs, layers in order with their
// resolved options, operand values, output shapes and parameters; blocks as
// ranges of layers; losses and metrics bound to values. The compiler builds its
// dialect from this graph and never looks at the syntax tree.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_LANG_MODELGRAPH_H
#define AENET_LANG_MODELGRAPH_H

#include "aenet/Lang/Layers.h"

#include <string>
#include <vector>

namespace aenet {

enum class InputKind {
  F32,   ///< real-valued tensor
  Class, ///< an integer label among `classes`
  Chars, ///< a character sequence, one-hot over `classes` symbols
};

struct InputInfo {
  std::string name;
  InputKind kind = InputKind::F32;
  /// The shape a layer sees: `f32[d...]` as written, `class[N]` as [N],
  /// `chars[T, V]` as [T, V].
  Shape shape;
  int64_t classes = 0;
  int value = -1;
  /// Declared with a `?` length that the run's data fixed to its longest
  /// sequence: the samples are padded with zeros, and their real lengths
  /// are the data-set array `sequenceLengthsName(name)` (one float per
  /// sample), which a compiled model can take as one more input to mask the
  /// padding.
  bool padded = false;
  uint32_t offset = 0;
};

/// A named tensor in the graph: an input or the result of a layer.
struct ValueInfo {
  std::string name;
  Shape shape;
  int producer = -1; ///< index into `layers`, or -1 for an input
  int input = -1;    ///< index into `inputs`, or -1 for a layer result
  /// The shape (and the parameters of the layer making the value) need the
  /// length of a variable-length input, e.g. `flatten` of an `f32[?, 6]`:
  /// `shape` is empty until `aec train` checks the model again with the
  /// length its data has.
  bool awaitsLength = false;
  uint32_t offset = 0;
};

struct LayerNode {
  std::string name;  ///< `-> name`, or Keras-style `dense_1`
  std::string block; ///< the enclosing block's name, or empty at top level
  bool explicitName = false; ///< named with `-> name` in the source
  LayerSpec spec;
  std::vector<int> operands;
  int result = -1;
  std::vector<ParamInfo> params;
  int64_t paramCount() const;
  uint32_t offset = 0;
};

struct BlockInfo {
  std::string name; ///< `encoder`, `decoder`, or the head's name
  std::string kind; ///< `encoder`, `decoder` or `head`
  int firstLayer = 0;
  int endLayer = 0; ///< one past the last layer
  int from = -1;    ///< the value the block starts from
  uint32_t offset = 0;
};

enum class LossKind { MSE, MAE, BCE, CCE, SparseCCE, KLNormal };
enum class MetricKind {
  Accuracy,
  PixelAccuracy,
  MSE,
  MAE,
  BCE,
  RMSE,
  Errors,
  MeanAbs
};
enum class Reduction { Mean, Sum };

struct LossInfo {
  LossKind kind = LossKind::MSE;
  int value = -1;  ///< the prediction (mu for kl_normal)
  int target = -1; ///< the target value (logvar for kl_normal)
  double weight = 1;
  Reduction reduction = Reduction::Mean;
  uint32_t offset = 0;
};

struct MetricInfo {
  MetricKind kind = MetricKind::MSE;
  int value = -1;
  int target = -1; ///< -1 for a metric of the value alone (mean_abs)
  uint32_t offset = 0;
};

struct ModelGraph {
  std::string name;
  std::vector<InputInfo> inputs;
  std::vector<ValueInfo> values;
  std::vector<LayerNode> layers;
  std::vector<BlockInfo> blocks;
  std::vector<LossInfo> losses;
  std::vector<MetricInfo> metrics;
  uint32_t offset = 0;

  int64_t paramCount() const;
  /// The name a train step reports for each of its scalar results, in
  /// order: `loss`, then `<value>_loss` per loss when there are several
  /// terms, then `<value>_<metric>` per metric.
  std::vector<std::string> reportedNames() const;
  /// The value named |name|, or -1.
  int findValue(const std::string &name) const;
  /// The block named |name|, or null.
  const BlockInfo *findBlock(const std::string &name) const;
  /// The layer named |name|, or -1.
  int findLayer(const std::string &name) const;
  /// Whether a layer of |kind| is in the model (sample_normal: whether
  /// inference can be asked to sample).
  bool hasLayerOf(LayerKind kind) const;
};

const char *lossKindName(LossKind kind);
const char *metricKindName(MetricKind kind);

} // namespace aenet

#endif // AENET_LANG_MODELGRAPH_H
