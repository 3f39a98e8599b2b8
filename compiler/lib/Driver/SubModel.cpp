//===- SubModel.cpp - A part of a trained model, compiled alone -----------===//
//
// One compiled model at one batch size: a data set whose size is not a
// multiple of it runs its last batch padded with the previous batch's rows
// (or zeros) and keeps only the real rows, so a second JIT compilation for
// the remainder, which would cost more than the padded rows, is never
// needed. Every layer of a sub-model treats its rows independently in
// inference, so the padding cannot change the real rows' values.
//
//===----------------------------------------------------------------------===//

#include "SubModel.h"

#include "aenet/Runtime/Errors.h"

#include <algorithm>
#include <iostream>

namespace aenet {

/// The layers between |from| and |to| read only values in |from| or made
/// by those layers: the first value of |graph| that one of them reads
/// otherwise (an input the sub-model was not given), or -1.
static int missingValue(const ModelGraph &graph, const std::vector<int> &from,
                        const std::vector<int> &to) {
  std::vector<int> pending = to;
  std::vector<bool> seen(graph.values.size(), false);
  while (!pending.empty()) {
    int v = pending.back();
    pending.pop_back();
    if (seen[v] || std::count(from.begin(), from.end(), v))
      continue;
    seen[v] = true;
    int layer = graph.values[v].producer;
    if (layer < 0)
      return v;
    for (int operand : graph.layers[layer].operands)
      pending.push_back(operand);
  }
  return -1;
}

bool prepareWithoutData(const SourceFile &file, const CheckedProgram &program,
                        const RunOptions &options, RunSetup &setup) {
  if (!chooseModel(file, program, options, setup))
    return false;
  for (const InputInfo &input : setup.graph().inputs)
    if (!input.shape.isStatic())
      return prepareData(file, program, options, setup);
  return true;
}

rt::Dataset inputArrays(const RunSetup &setup) {
  if (setup.data.train.size() > 0)
    return setup.data.train;
  rt::Dataset arrays;
  for (const InputInfo &input : setup.graph().inputs)
    arrays.add(rt::Array(input.name, input.shape.dims));
  return arrays;
}

void capBatch(RunSetup &setup, int64_t samples) {
  setup.plan.batch =
      std::max<int64_t>(1, std::min(setup.plan.batch, samples));
}

std::unique_ptr<SubModel>
SubModel::compile(const SourceFile &file, const RunSetup &setup,
                  std::vector<int> from, std::vector<int> to, Backend backend,
                  const std::string &weights,
                  std::optional<uint64_t> sampleSeed) {
  const ModelGraph &graph = setup.graph();
  if (int v = missingValue(graph, from, to); v >= 0) {
    std::cerr << "aec: error: " << file.path() << ": the layers that make '"
              << graph.values[to.front()].name << "' read '"
              << graph.values[v].name << "', which they are not given\n";
    return nullptr;
  }
  if (weights.empty()) {
    std::cerr << "aec: error: --weights is required\n";
    return nullptr;
  }
  std::unique_ptr<SubModel> sub(new SubModel(graph));
  sub->from_ = from;
  sub->to_ = to;
  sub->batch_ = setup.plan.batch;
  CompileOptions options;
  options.batch = sub->batch_;
  options.backend = backend;
  options.sampleSeed = sampleSeed;
  options.from = std::move(from);
  options.to = std::move(to);
  CompileReport report;
  sub->model_ = CompiledModel::compile(file, setup.program, setup.model,
                                       options, &report);
  if (!sub->model_)
    return nullptr;
  const EntryPoint *entry = sub->model_->entry("submodel");
  for (const BufferSlot &slot : entry->slots) {
    if (slot.kind == BufferSlot::Kind::Param) {
      sub->store_.add(slot.name, slot.shape);
    } else if (slot.kind == BufferSlot::Kind::Input) {
      sub->arrayNames_.push_back(slot.name);
      sub->arraySizes_.push_back(slot.numElements() / sub->batch_);
    }
  }
  try {
    sub->store_.loadParameters(rt::loadSafetensors(weights), weights);
  } catch (const rt::FileError &e) {
    std::cerr << "aec: error: " << e.what() << '\n';
    return nullptr;
  }
  sub->entry_ = std::make_unique<BoundEntry>(
      *sub->model_, "submodel", sub->store_, report.hyperparameters,
      sub->arrayNames_, sub->arraySizes_);
  return sub;
}

std::vector<rt::NamedTensor> SubModel::run(const rt::Dataset &data) {
  // Which array of |data| feeds each input of the compiled function.
  std::vector<int> arrays;
  for (size_t i = 0; i < arrayNames_.size(); ++i) {
    int a = data.findArray(arrayNames_[i]);
    std::string source =
        data.arrays().empty() ? std::string() : data.arrays()[0].source;
    if (a < 0)
      throw rt::DataError(source, "has no values for '" + arrayNames_[i] +
                                      "'");
    if (data.arrays()[a].sampleSize() != arraySizes_[i])
      throw rt::DataError(
          data.arrays()[a].source,
          "'" + arrayNames_[i] + "' has " +
              std::to_string(data.arrays()[a].sampleSize()) +
              " values per sample; the model takes " +
              std::to_string(arraySizes_[i]));
    arrays.push_back(a);
  }
  std::vector<rt::NamedTensor> outputs;
  for (int v : to_) {
    std::vector<int64_t> shape = {data.size()};
    const Shape &s = graph_.values[v].shape;
    shape.insert(shape.end(), s.dims.begin(), s.dims.end());
    outputs.push_back({graph_.values[v].name, shape, {}});
  }
  entry_->resetStates();
  std::vector<int64_t> order = data.epochOrder(false, 0, 0);
  for (int64_t begin = 0; begin < data.size(); begin += batch_) {
    int64_t end = std::min(data.size(), begin + batch_);
    for (size_t i = 0; i < arrays.size(); ++i)
      data.gatherBatch(order, begin, end, arrays[i],
                       entry_->input(static_cast<int>(i)));
    entry_->run(0, rt::evaluationSeed(begin));
    for (rt::NamedTensor &out : outputs) {
      const std::vector<float> &v = *entry_->output(out.name);
      size_t rowSize = v.size() / batch_;
      out.data.insert(out.data.end(), v.begin(),
                      v.begin() + (end - begin) * rowSize);
    }
  }
  return outputs;
}

} // namespace aenet
