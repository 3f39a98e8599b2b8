//===- Commands.h - The aec commands that run models ------------*- C++ -*-===//
//
// The commands that run compiled models on data. Each returns the process
// exit status: 0 on success, 1 on an error (reported with the file and what
// is wrong), 130 when interrupted.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_DRIVER_COMMANDS_H
#define AENET_DRIVER_COMMANDS_H

#include "aenet/Lang/Sema.h"
#include "aenet/Pipeline/Stages.h"
#include "aenet/Runtime/ProcessGroup.h"

#include <cstdint>
#include <optional>
#include <string>

namespace aenet {

struct RunOptions {
  std::string model;                ///< empty: the first model with a train block
  std::optional<int64_t> epochs;    ///< overrides the train block
  std::optional<int64_t> batch;     ///< overrides the train block
  std::optional<uint64_t> seed;     ///< overrides the train block
  std::string outDir;               ///< empty: out/<model>
  std::string weights;              ///< eval/predict: the checkpoint
  /// predict, encode: a safetensors file of inputs by name, instead of the
  /// data.
  std::string inputs;
  /// encode: the value to compute (empty: the `encoder` block's last).
  std::string value;
  /// encode, decode: the file to write (empty: one in out/MODEL).
  std::string outFile;
  /// eval, predict, encode: `sample_normal` draws z = mu + exp(logvar / 2)
  /// * eps, keyed by the seed, instead of giving mu.
  bool sample = false;
  bool resume = false;
  bool overwrite = false;           ///< train: replace an existing checkpoint
  /// train: `init ... from` a Keras weights file matches the model's layers
  /// to the file's in order, not by name.
  bool byOrder = false;
  Backend backend = Backend::OneDNN;
  int64_t limit = 0;                ///< use only the first N samples (0: all)
  /// train: programs compiled by earlier runs of this process (aec sweep's
  /// points and repeats), reused when a run builds the same one.
  CompileCache *compileCache = nullptr;
  /// train: the processes that train together (mpirun), each on its shard
  /// of every batch; null or a group of one: this process alone.
  const rt::ProcessGroup *group = nullptr;
};

/// What a training run measured beyond its metrics.csv, for aec sweep.
struct TrainReport {
  /// Every phase's compile, the remainder batches' programs included.
  double compileSeconds = 0;
  /// The run stopped because its loss diverged (runTrain returned 1).
  bool diverged = false;
};

int runTrain(const SourceFile &file, const CheckedProgram &program,
             const RunOptions &options, TrainReport *report = nullptr);
int runEval(const SourceFile &file, const CheckedProgram &program,
            const RunOptions &options);
int runPredict(const SourceFile &file, const CheckedProgram &program,
               const RunOptions &options);
/// `aec encode`: the codes of the validation data or of |options.inputs|,
/// with their labels (Encode.cpp).
int runEncode(const SourceFile &file, const CheckedProgram &program,
              const RunOptions &options);

/// What `aec decode` decodes: the codes of a file, |random| codes from
/// N(0, I), or a |grid| x |grid| walk of a 2-D latent; one is set.
struct DecodeOptions {
  std::string codes;  ///< a safetensors file: the code tensor [N, ...]
  int64_t random = 0; ///< N codes drawn from N(0, I)
  int64_t grid = 0;   ///< K: K x K codes at normal quantiles
  double noise = 0;   ///< stddev of Gaussian noise added to the codes
  uint64_t seed = 0;  ///< of the random codes and the noise
};

/// `aec decode`: the `decoder` block alone on the codes of |options|
/// (Decode.cpp).
int runDecode(const SourceFile &file, const CheckedProgram &program,
              const RunOptions &run, const DecodeOptions &options);

/// What `aec export` writes: the entries, the batch, where the weights go.
struct ExportOptions {
  /// "predict", "encode", "decode"; each a function of the header.
  std::vector<std::string> entries = {"predict"};
  /// The rows each program runs at once; 0: dynamic, programs for the train
  /// block's batch and for 1 row (the rows a call leaves over).
  int64_t batch = 0;
  /// The weights compiled into the library instead of read at open.
  bool embedWeights = false;
  /// "so": the library, object file and header; "onnx": an ONNX model
  /// per entry; "keras-weights": the weights as Keras 3's
  /// MODEL.weights.h5.
  std::string format = "so";
};

/// `aec export`: a trained model's inference entries as an object file, a
/// shared library and a C header, or as ONNX models (Export.cpp).
int runExport(const SourceFile &file, const CheckedProgram &program,
              const RunOptions &options, const ExportOptions &exportOptions);

/// `aec probe`: a linear SVM on the training codes and on the raw inputs,
/// both tested on the validation data; prints one table.
int runProbe(const SourceFile &file, const CheckedProgram &program,
             const RunOptions &options);

/// What `aec generate` samples: how much, how hot, from which state.
struct GenerateOptions {
  std::string model;                ///< empty: the first with a chars input
  std::string weights;              ///< the checkpoint, with its vocabulary
  std::optional<std::string> prime; ///< UTF-8; none: a window of newlines
  std::optional<int64_t> length;    ///< characters, or the most of a name
  double temperature = 1;           ///< > 0
  std::optional<uint64_t> seed;     ///< none: a random seed
  std::optional<int64_t> count;     ///< names, one per line
  Backend backend = Backend::OneDNN;
};

int runGenerate(const SourceFile &file, const CheckedProgram &program,
                const GenerateOptions &options);

/// The file in each of a sweep's run folders with the images its
/// reconstructions.png shows, as safetensors, from which the sweep draws
/// its own reconstructions.png of every point.
constexpr const char *kSweptImagesFile = "reconstructions.safetensors";

/// A sweep of more runs than this must be asked for (`--yes`): a typo in a
/// list should not start days of training.
constexpr int64_t kMaxSweepRunsUnasked = 100;

/// What `aec sweep` trains: the points of |sets|, each |repeat| times.
struct SweepOptions {
  /// `NAME=V1,V2,...`, one per swept parameter.
  std::vector<std::string> sets;
  /// The i-th values of every list together, instead of their product.
  bool zip = false;
  int64_t repeat = 1;
  /// The metric the tables rank by (empty: val_loss, else loss).
  std::string metric;
  bool yes = false;
  /// As `aec train` takes them; outDir is the sweep's folder (empty:
  /// out/MODEL/sweep) and seed the sweep's.
  RunOptions run;
  /// The command line, quoted in summary.md.
  std::string command;
  /// The processes that share the runs (mpirun), each taking the next run
  /// when it finishes one; rank 0 writes the tables. Null: this one alone.
  const rt::ProcessGroup *group = nullptr;
};

/// `aec sweep`: trains every point, skipping runs finished before and
/// resuming an interrupted one, and writes results.csv, summary.md, the
/// plots and report.html (Sweep.cpp). Each point is checked with its values
/// first.
int runSweep(const SourceFile &file, const SweepOptions &options);

} // namespace aenet

#endif // AENET_DRIVER_COMMANDS_H
