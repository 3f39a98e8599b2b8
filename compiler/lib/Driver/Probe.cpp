//===- Probe.cpp - aec probe: a linear SVM on the codes and the pixels ----===//
//
// The course work's question about a trained autoencoder, "are its codes as
// good as the pixels for a linear classifier?", as one command: a linear
// SVM (rt::LinearSvm, liblinear) is trained on the codes of the training
// data and, as the baseline, on its raw inputs, and both are tested on the
// validation data. The table says how many numbers each feature set has,
// how often it classifies right, and how long the SVM took to train:
//
//   Linear SVM (liblinear, L2-loss, C = 1) on 3,000 training samples,
//   tested on 3,000 validation samples of 10 classes ('label'):
//     features      dimensions  accuracy  training s
//     codes (code)          64    0.7820        0.11
//     pixels (x)           784    0.7920        1.83
//   chance (the most frequent validation class): 0.1080
//
// The codes are those of the value the `encoder` block ends with, or of
// `--value NAME`; the labels are a `class[N]` input the encoder does not
// read (Codes.h); the pixels are the model's f32 inputs, one after another
// per sample.
//
//===----------------------------------------------------------------------===//

#include "Codes.h"
#include "RunSetup.h"

#include "aenet/Runtime/Errors.h"
#include "aenet/Runtime/LinearSvm.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>

namespace aenet {

namespace {

/// Row-major rows of features: a probe's training or test set.
struct Features {
  std::vector<float> x;
  int64_t rows = 0;
  int64_t dims = 0;
};

/// The f32 inputs of |graph| that |data| holds, in declaration order.
std::vector<const rt::Array *> pixelArrays(const ModelGraph &graph,
                                           const rt::Dataset &data) {
  std::vector<const rt::Array *> arrays;
  for (const InputInfo &input : graph.inputs) {
    int a = data.findArray(input.name);
    if (input.kind == InputKind::F32 && a >= 0 &&
        !data.arrays()[a].isWindows())
      arrays.push_back(&data.arrays()[a]);
  }
  return arrays;
}

/// Each sample of |data| as its f32 inputs one after another.
Features pixels(const ModelGraph &graph, const rt::Dataset &data) {
  Features f;
  f.rows = data.size();
  std::vector<const rt::Array *> arrays = pixelArrays(graph, data);
  for (const rt::Array *array : arrays)
    f.dims += array->sampleSize();
  f.x.reserve(f.rows * f.dims);
  for (int64_t i = 0; i < f.rows; ++i)
    for (const rt::Array *array : arrays) {
      const float *row = array->data.data() + i * array->sampleSize();
      f.x.insert(f.x.end(), row, row + array->sampleSize());
    }
  return f;
}

/// The codes as rows of features.
Features codeRows(Codes &codes) {
  Features f;
  f.rows = codes.values.shape.empty() ? 0 : codes.values.shape[0];
  f.dims = f.rows ? static_cast<int64_t>(codes.values.data.size()) / f.rows
                  : 0;
  f.x = std::move(codes.values.data);
  return f;
}

/// One row of the table.
struct ProbeRow {
  std::string features;
  int64_t dims = 0;
  double accuracy = 0;
  double seconds = 0;
};

/// The row |name|: the accuracy on |test| of an SVM trained on |train|, and
/// how long the training took.
ProbeRow probe(const std::string &name, const Features &train,
               const std::vector<int64_t> &trainLabels, const Features &test,
               const std::vector<int64_t> &testLabels, int64_t classes) {
  auto start = std::chrono::steady_clock::now();
  rt::LinearSvm svm = rt::LinearSvm::train(train.x.data(), train.rows,
                                           train.dims, trainLabels, classes);
  std::chrono::duration<double> took =
      std::chrono::steady_clock::now() - start;
  return {name, train.dims, svm.accuracy(test.x.data(), test.rows, testLabels),
          took.count()};
}

/// The fraction of |labels| that are its most frequent class: what always
/// guessing that class would score.
double chance(const std::vector<int64_t> &labels, int64_t classes) {
  std::vector<int64_t> counts(classes, 0);
  for (int64_t label : labels)
    ++counts[label];
  return static_cast<double>(*std::max_element(counts.begin(), counts.end())) /
         static_cast<double>(labels.size());
}

/// |value| with |decimals| digits after the point.
std::string fixed(double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

/// Prints the table of the file's banner: a heading, |rows| and the chance
/// level of |testCodes|' labels.
void printTable(const std::vector<ProbeRow> &rows, int64_t trainSamples,
                int64_t testSamples, const Codes &testCodes) {
  std::cout << "Linear SVM (liblinear, L2-loss, C = 1) on "
            << thousands(trainSamples) << " training samples, tested on "
            << thousands(testSamples) << " validation samples of "
            << testCodes.classes << " classes ('" << testCodes.labelName
            << "'):\n";
  size_t width = std::string("features").size();
  for (const ProbeRow &row : rows)
    width = std::max(width, row.features.size());
  auto pad = [](const std::string &text, size_t n, bool right) {
    std::string fill(n > text.size() ? n - text.size() : 0, ' ');
    return right ? fill + text : text + fill;
  };
  std::cout << "  " << pad("features", width, false) << "  dimensions"
            << "  accuracy  training s\n";
  for (const ProbeRow &row : rows)
    std::cout << "  " << pad(row.features, width, false) << "  "
              << pad(thousands(row.dims), 10, true) << "  "
              << pad(fixed(row.accuracy, 4), 8, true) << "  "
              << pad(fixed(row.seconds, 2), 10, true) << '\n';
  std::cout << "chance (the most frequent validation class): "
            << fixed(chance(testCodes.labels, testCodes.classes), 4) << '\n';
}

} // namespace

int runProbe(const SourceFile &file, const CheckedProgram &program,
             const RunOptions &options) {
  RunSetup setup;
  if (!prepareData(file, program, options, setup))
    return 1;
  const ModelGraph &graph = setup.graph();
  // Both problems are found before anything is compiled.
  Codes labels;
  readLabels(graph, setup.data.train, {}, labels);
  if (labels.labels.empty()) {
    std::cerr << "aec: error: " << file.path() << ": the data of model '"
              << graph.name
              << "' has no labels, and the probe scores a classifier of "
                 "them; declare a class input (e.g. `input label: "
                 "class[10]`) and feed it labels in the train block (e.g. "
                 "`data idx(\"...-labels-idx1-ubyte.gz\") as label`, and "
                 "`validate` the same)\n";
    return 1;
  }
  if (!setup.data.validation) {
    std::cerr << "aec: error: " << file.path() << ": the train block of '"
              << graph.name
              << "' has no validation data, and the probe tests on it; add "
                 "`validate` sources or a `split`\n";
    return 1;
  }
  std::unique_ptr<Encoder> encoder =
      Encoder::create(file, setup, options, options.value);
  if (!encoder)
    return 1;
  try {
    const rt::Dataset &validation = *setup.data.validation;
    Codes trainCodes = encoder->encode(setup.data.train);
    Codes testCodes = encoder->encode(validation);
    if (trainCodes.labels.empty() || testCodes.labels.empty()) {
      std::cerr << "aec: error: " << file.path() << ": the only class input "
                << "of model '" << graph.name
                << "' is read by its encoder, so it cannot be the labels\n";
      return 1;
    }
    std::vector<int64_t> trainLabels = trainCodes.labels;
    std::vector<int64_t> testLabels = testCodes.labels;
    std::vector<ProbeRow> rows;
    std::string codeName = "codes (" + encoder->valueName() + ")";
    rows.push_back(probe(codeName, codeRows(trainCodes), trainLabels,
                         codeRows(testCodes), testLabels, testCodes.classes));
    Features trainPixels = pixels(graph, setup.data.train);
    std::string pixelName;
    for (const rt::Array *array : pixelArrays(graph, setup.data.train))
      pixelName += (pixelName.empty() ? "" : ", ") + array->name;
    if (trainPixels.dims > 0)
      rows.push_back(probe("pixels (" + pixelName + ")", trainPixels,
                           trainLabels, pixels(graph, validation), testLabels,
                           testCodes.classes));
    printTable(rows, setup.data.train.size(), validation.size(), testCodes);
  } catch (const rt::FileError &e) {
    std::cerr << "aec: error: " << e.what() << '\n';
    return 1;
  } catch (const rt::SvmError &e) {
    std::cerr << "aec: error: " << file.path() << ": linear SVM: " << e.what()
              << '\n';
    return 1;
  }
  return 0;
}

} // namespace aenet
