//===- DataLoading.cpp - Datasets from a train block ----------------------===//
//
// IDX files become images (scaled) or one-hot labels depending on the kind of
// input they feed; the sample size must match the input's shape. Sources the
// runtime cannot read yet are refused with the file named.
//
//===----------------------------------------------------------------------===//

#include "DataLoading.h"

#include "aenet/Runtime/Errors.h"
#include "aenet/Runtime/Idx.h"

#include <algorithm>

namespace aenet {

namespace {

std::string shapeText(const std::vector<int64_t> &dims) {
  std::string s;
  for (size_t i = 0; i < dims.size(); ++i)
    s += (i ? "x" : "") + std::to_string(dims[i]);
  return s;
}

const InputInfo &inputNamed(const ModelGraph &model, const std::string &name) {
  for (const InputInfo &input : model.inputs)
    if (input.name == name)
      return input;
  throw std::logic_error("Sema guarantees data feeds existing inputs");
}

rt::Array loadSource(const ModelGraph &model, const DataSource &source,
                     const std::string &inputName) {
  const InputInfo &input = inputNamed(model, inputName);
  if (source.kind != SourceKind::Idx)
    throw rt::DataError(source.path,
                        std::string(source.kind == SourceKind::Csv ? "csv"
                                                                   : "text") +
                            " sources are not supported by aec train yet");
  rt::IdxArray idx = rt::readIdx(source.path);
  if (input.kind == InputKind::Class) {
    if (idx.dims.size() != 1)
      throw rt::DataError(source.path,
                          "holds " + shapeText(idx.dims) +
                              " values, but input '" + input.name +
                              "' needs one class label per sample");
    return rt::fromIdxLabelsOneHot(idx, input.classes, input.name,
                                   source.path);
  }
  int64_t wanted = input.shape.numElements();
  // A file of one number per sample (labels) has no sample shape to name.
  if (idx.dims.size() == 1)
    throw rt::DataError(source.path,
                        "holds " + std::to_string(idx.dims[0]) +
                            " single values (labels?), but input '" +
                            input.name + "' needs samples of " +
                            (input.shape.rank() > 1
                                 ? shapeText(input.shape.dims) + " = "
                                 : std::string()) +
                            std::to_string(wanted) + " values");
  rt::Array array = rt::fromIdxImages(idx, source.scale, input.name,
                                      source.path);
  if (array.sampleSize() != wanted)
    throw rt::DataError(source.path,
                        "holds samples of " + shapeText(array.sampleShape) +
                            " = " + std::to_string(array.sampleSize()) +
                            " values, but input '" + input.name + "' has " +
                            std::to_string(wanted));
  array.sampleShape = input.shape.dims;
  return array;
}

/// One array per model input, in input order.
rt::Dataset loadSet(const ModelGraph &model,
                    const std::vector<DataSource> &sources) {
  std::vector<std::optional<rt::Array>> arrays(model.inputs.size());
  for (const DataSource &source : sources)
    for (const std::string &name : source.inputs)
      for (size_t i = 0; i < model.inputs.size(); ++i)
        if (model.inputs[i].name == name)
          arrays[i] = loadSource(model, source, name);
  rt::Dataset set;
  for (std::optional<rt::Array> &array : arrays)
    set.add(std::move(*array));
  return set;
}

} // namespace

LoadedData loadData(const ModelGraph &model, const TrainPlan &plan) {
  LoadedData data;
  data.train = loadSet(model, plan.data);
  if (!plan.validation.empty()) {
    data.validation = loadSet(model, plan.validation);
  } else if (plan.validationSplit > 0) {
    auto [train, validation] = data.train.split(plan.validationSplit);
    data.train = std::move(train);
    data.validation = std::move(validation);
  }
  return data;
}

} // namespace aenet
