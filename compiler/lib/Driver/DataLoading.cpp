//===- DataLoading.cpp - Datasets from a train block ----------------------===//
//
// IDX files become images (scaled) or one-hot labels depending on the kind of
// input they feed; the sample size must match the input's shape. CSV rows
// become samples; CSV sequences are padded to one number of steps for every
// set of the run, the longest sequence of training and validation data for a
// `?` length, so that one compiled model takes both; their lengths go into
// the set as one more array (`sequenceLengthsName`). The csv sources of one
// set that name a sequence column must list the same ids in the same order,
// so that a targets file cannot pair its rows with the wrong sequences when
// only its order differs. A text becomes the
// windows and targets of the inputs it feeds (TextData.h), all indexed with
// the run's one vocabulary.
//
//===----------------------------------------------------------------------===//

#include "DataLoading.h"
#include "TextData.h"

#include "aenet/Runtime/Csv.h"
#include "aenet/Runtime/Errors.h"
#include "aenet/Runtime/Idx.h"

#include <algorithm>

namespace aenet {

namespace {

const InputInfo &inputNamed(const ModelGraph &model, const std::string &name) {
  for (const InputInfo &input : model.inputs)
    if (input.name == name)
      return input;
  throw std::logic_error("Sema guarantees data feeds existing inputs");
}

/// Reads the csv |source| of |input| (Sema lets csv feed only f32 inputs of
/// rank 1, or sequences of rank 2); throws DataError naming the file unless
/// its rows give as many numbers as the input has per sample or step.
/// A sequence column on an input of rank 1 holds each sample's id.
rt::CsvData readCsvSource(const DataSource &source, const InputInfo &input) {
  bool sequence = input.shape.rank() == 2;
  int64_t features = input.shape.dims.back();
  rt::CsvData data = rt::readCsv(
      source.path, {source.columns, source.sequence, source.header,
                    /*oneRowPerId=*/!sequence});
  if (data.features != features)
    throw rt::DataError(source.path,
                        "reads " + std::to_string(data.features) +
                            " columns per row, but input '" + input.name +
                            "' has " + std::to_string(features) +
                            " values per " + (sequence ? "step" : "sample") +
                            "; list its columns with columns = [...]");
  return data;
}

/// A csv source of one set, read for the input it feeds (at |input| in the
/// model's inputs) but not yet made into arrays.
struct CsvRead {
  const DataSource *source;
  size_t input;
  rt::CsvData data;
};

/// Throws DataError when a csv source of |reads| that names a sequence
/// column lists other ids than the first such source, at the first place
/// they differ. Sources with other numbers of samples are left to the
/// data set, which names both counts, as it does for sources without ids.
void checkSameSequences(const std::vector<CsvRead> &reads) {
  const CsvRead *reference = nullptr;
  for (const CsvRead &read : reads) {
    if (read.source->sequence < 0)
      continue;
    if (!reference)
      reference = &read;
    else if (read.data.samples() == reference->data.samples())
      rt::checkSameIds(reference->data, reference->source->path, read.data,
                       read.source->path);
  }
}

rt::Array loadSource(const ModelGraph &model, const DataSource &source,
                     const std::string &inputName) {
  const InputInfo &input = inputNamed(model, inputName);
  if (source.kind != SourceKind::Idx)
    throw std::logic_error("csv and text sources are read by readSet");
  if (!input.shape.isStatic())
    throw rt::DataError(source.path,
                        "idx files hold samples of one size, but input '" +
                            input.name + "' has a variable length; feed it "
                            "with csv(\"...\", sequence = COLUMN)");
  rt::IdxArray idx = rt::readIdx(source.path);
  if (input.kind == InputKind::Class) {
    if (idx.dims.size() != 1)
      throw rt::DataError(source.path,
                          "holds " + rt::sizeText(idx.dims) +
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
                                 ? rt::sizeText(input.shape.dims) + " = "
                                 : std::string()) +
                            std::to_string(wanted) + " values");
  rt::Array array = rt::fromIdxImages(idx, source.scale, input.name,
                                      source.path);
  if (array.sampleSize() != wanted)
    throw rt::DataError(source.path,
                        "holds samples of " + rt::sizeText(array.sampleShape) +
                            " = " + std::to_string(array.sampleSize()) +
                            " values, but input '" + input.name + "' has " +
                            std::to_string(wanted));
  array.sampleShape = input.shape.dims;
  return array;
}

/// What the sources of one set hold, per model input: an array, or the
/// sequences of a csv source, which wait for the number of steps of the run.
struct SetParts {
  std::vector<std::optional<rt::Array>> arrays;
  std::vector<std::optional<rt::CsvData>> sequences;
  std::vector<const DataSource *> sequenceSources;
};

/// Reads every source of one set (training or validation).
SetParts readSet(const ModelGraph &model,
                 const std::vector<DataSource> &sources,
                 std::optional<rt::Vocabulary> &vocabulary) {
  SetParts parts;
  parts.arrays.resize(model.inputs.size());
  parts.sequences.resize(model.inputs.size());
  parts.sequenceSources.resize(model.inputs.size());
  std::vector<CsvRead> csvReads;
  for (const DataSource &source : sources) {
    // One text read gives the arrays of all the inputs it feeds.
    if (source.kind == SourceKind::Text) {
      std::vector<rt::Array> arrays =
          loadTextSource(model, source, vocabulary);
      for (size_t k = 0; k < arrays.size(); ++k)
        for (size_t i = 0; i < model.inputs.size(); ++i)
          if (model.inputs[i].name == source.inputs[k])
            parts.arrays[i] = std::move(arrays[k]);
      continue;
    }
    for (const std::string &name : source.inputs)
      for (size_t i = 0; i < model.inputs.size(); ++i) {
        if (model.inputs[i].name != name)
          continue;
        if (source.kind == SourceKind::Csv)
          csvReads.push_back(
              {&source, i, readCsvSource(source, model.inputs[i])});
        else
          parts.arrays[i] = loadSource(model, source, name);
      }
  }
  checkSameSequences(csvReads);
  for (CsvRead &read : csvReads) {
    const InputInfo &input = model.inputs[read.input];
    if (input.shape.rank() == 2) {
      parts.sequences[read.input] = std::move(read.data);
      parts.sequenceSources[read.input] = read.source;
    } else {
      parts.arrays[read.input] = rt::csvRows(read.data, read.source->scale,
                                             input.name, read.source->path);
    }
  }
  return parts;
}

/// One array per model input, in input order, sequences padded to
/// |steps|[input]; then the lengths of the variable-length ones.
rt::Dataset finishSet(const ModelGraph &model, SetParts parts,
                      const std::vector<int64_t> &steps) {
  rt::Dataset set;
  std::vector<rt::Array> lengths;
  for (size_t i = 0; i < model.inputs.size(); ++i) {
    if (!parts.sequences[i]) {
      set.add(std::move(*parts.arrays[i]));
      continue;
    }
    const InputInfo &input = model.inputs[i];
    const DataSource &source = *parts.sequenceSources[i];
    bool variable = input.shape.dims[0] < 0;
    auto [values, length] = rt::csvSequences(
        *parts.sequences[i], steps[i], /*exact=*/!variable, source.scale,
        input.name, sequenceLengthsName(input.name), source.path);
    parts.sequences[i].reset();
    set.add(std::move(values));
    if (variable)
      lengths.push_back(std::move(length));
  }
  for (rt::Array &array : lengths)
    set.add(std::move(array));
  return set;
}

} // namespace

LoadedData loadData(const ModelGraph &model, const TrainPlan &plan,
                    const std::optional<rt::Vocabulary> &vocabulary) {
  LoadedData data;
  data.vocabulary = vocabulary;
  SetParts trainParts = readSet(model, plan.data, data.vocabulary);
  std::optional<SetParts> validationParts;
  if (!plan.validation.empty())
    validationParts = readSet(model, plan.validation, data.vocabulary);
  // A fixed length is the input's; a `?` one the longest sequence of all the
  // data the run uses.
  std::vector<int64_t> steps(model.inputs.size(), 0);
  for (size_t i = 0; i < model.inputs.size(); ++i) {
    const Shape &shape = model.inputs[i].shape;
    if (shape.rank() != 2)
      continue;
    steps[i] = shape.dims[0];
    if (steps[i] >= 0)
      continue;
    steps[i] = trainParts.sequences[i] ? trainParts.sequences[i]->longest() : 0;
    if (validationParts && validationParts->sequences[i])
      steps[i] = std::max(steps[i], validationParts->sequences[i]->longest());
  }
  data.train = finishSet(model, std::move(trainParts), steps);
  if (validationParts) {
    data.validation = finishSet(model, std::move(*validationParts), steps);
  } else if (plan.validationSplit > 0) {
    auto [train, validation] = data.train.split(plan.validationSplit);
    data.train = std::move(train);
    data.validation = std::move(validation);
  }
  return data;
}

} // namespace aenet
