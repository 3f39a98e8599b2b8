//===- Train.cpp - aec train ----------------------------------------------===//
//
// Sets up a run (fresh, resumed, or with layers initialised from another
// checkpoint), trains it with the runtime's loop, and draws the pictures.
//
//===----------------------------------------------------------------------===//

#include "Pictures.h"
#include "RunSetup.h"
#include "TextData.h"

#include "aenet/Runtime/Errors.h"
#include "aenet/Runtime/Plot.h"
#include "aenet/Runtime/Progress.h"

#include <charconv>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <random>

namespace aenet {

namespace {

/// Names of the layers (as parameter prefixes) that a block or layer name
/// covers.
std::vector<std::string> layersOf(const ModelGraph &graph,
                                  const std::string &name) {
  std::vector<std::string> layers;
  if (const BlockInfo *block = graph.findBlock(name))
    for (int i = block->firstLayer; i < block->endLayer; ++i)
      layers.push_back(graph.layers[i].name);
  else
    layers.push_back(name);
  return layers;
}

/// The files a run writes into its output folder besides temporaries, which
/// --overwrite removes so that none of an earlier run's outputs stay beside
/// the new run's (predict's outputs were made from the old weights too).
constexpr const char *kOutputs[] = {
    "model.safetensors", "metrics.csv",  "loss.png",
    "reconstructions.png", "codes.png", "predictions.safetensors"};

/// Refuses to replace a checkpoint unless told to; with --overwrite removes
/// the previous run's outputs. Prints and returns false on a problem.
bool prepareOutputFolder(const std::string &outDir, const RunOptions &options) {
  namespace fs = std::filesystem;
  std::string checkpoint = outDir + "/model.safetensors";
  std::error_code ec;
  if (fs::is_directory(checkpoint, ec)) {
    std::cerr << "aec: error: " << checkpoint << ": is a directory\n";
    return false;
  }
  if (options.resume) {
    if (!fs::exists(checkpoint, ec)) {
      std::cerr << "aec: error: " << checkpoint
                << ": no checkpoint to resume from\n";
      return false;
    }
    return true;
  }
  if (!options.overwrite) {
    if (fs::exists(checkpoint, ec)) {
      std::cerr << "aec: error: " << checkpoint
                << " already holds a checkpoint; continue it with --resume, "
                   "or replace it and the run's metrics and pictures with "
                   "--overwrite\n";
      return false;
    }
    return true;
  }
  for (const char *name : kOutputs) {
    std::string path = outDir + "/" + name;
    if (fs::is_directory(path, ec)) {
      std::cerr << "aec: error: " << path
                << ": is a directory; --overwrite replaces only files\n";
      return false;
    }
    if (!fs::remove(path, ec) && ec) {
      std::cerr << "aec: error: cannot remove " << path << ": "
                << ec.message() << '\n';
      return false;
    }
  }
  return true;
}

/// The seed a checkpoint was trained with; throws CheckpointError naming
/// |path| when it is not a whole number that fits in 64 bits.
uint64_t savedSeed(const std::string &text, const std::string &path) {
  uint64_t seed = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(),
                                   seed);
  if (ec != std::errc() || end != text.data() + text.size())
    throw rt::CheckpointError(path, "metadata 'seed' is \"" + text +
                                        "\", not a whole number from 0 to "
                                        "18446744073709551615");
  return seed;
}

} // namespace

/// A stateful layer carries sample i's state to sample i of the next batch,
/// so every batch must be full: false (after saying so) when the batch does
/// not divide the training or validation samples.
bool checkStatefulBatches(const ModelGraph &graph, const RunSetup &setup) {
  const LayerNode *stateful = nullptr;
  for (const LayerNode &layer : graph.layers)
    if (layer.spec.stateful)
      stateful = &layer;
  if (!stateful)
    return true;
  int64_t batch = setup.plan.batch;
  auto check = [&](const rt::Dataset &data, const char *what) {
    if (data.size() % batch == 0)
      return true;
    std::cerr << "aec: error: layer '" << stateful->name
              << "' is stateful, so every batch must be full, but the batch of "
              << batch << " does not divide the " << data.size() << " "
              << what << " samples; choose a batch that divides them\n";
    return false;
  };
  return check(setup.data.train, "training") &&
         (!setup.data.validation || check(*setup.data.validation, "validation"));
}

int runTrain(const SourceFile &file, const CheckedProgram &program,
             const RunOptions &options) {
  RunSetup setup;
  if (!prepareRun(file, program, options, setup))
    return 1;
  const ModelGraph &graph = setup.graph();
  if (!checkStatefulBatches(graph, setup))
    return 1;
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!prepareOutputFolder(setup.outDir, options))
    return 1;
  fs::create_directories(setup.outDir, ec);
  if (ec) {
    std::cerr << "aec: error: cannot create " << setup.outDir << ": "
              << ec.message() << '\n';
    return 1;
  }
  std::string checkpoint = setup.outDir + "/model.safetensors";
  std::string metrics = setup.outDir + "/metrics.csv";

  rt::LoopState state;
  uint64_t seed = setup.plan.seedGiven ? setup.plan.seed
                                       : std::random_device()() |
                                             (uint64_t(std::random_device()())
                                              << 32);
  try {
    if (options.resume) {
      rt::Checkpoint saved = rt::loadSafetensors(checkpoint);
      state = rt::LoopState::fromMetadata(saved.metadata, checkpoint);
      auto model = saved.metadata.find("model");
      if (model == saved.metadata.end() || model->second != graph.name)
        throw rt::CheckpointError(
            checkpoint, "holds model '" +
                            (model == saved.metadata.end() ? std::string("?")
                                                           : model->second) +
                            "', not '" + graph.name + "'; resume it with its "
                            "own model or train into another --out folder");
      // An optimizer's state means nothing to another optimizer.
      const char *optimizer = optimizerKindName(setup.plan.optimizer.kind);
      auto used = saved.metadata.find("optimizer");
      if (used != saved.metadata.end() && used->second != optimizer)
        throw rt::CheckpointError(
            checkpoint, "was trained with " + used->second +
                            ", but the train block now uses " + optimizer +
                            "; its state does not carry over to another "
                            "optimizer: resume with " + used->second +
                            ", or start again with --overwrite");
      // One-hot positions mean the characters of the vocabulary trained on.
      if (setup.data.vocabulary)
        checkResumedVocabulary(saved, checkpoint, *setup.data.vocabulary);
      state.checkResumable(setup.data.train.size(), setup.plan.batch,
                           setup.steps->scalarNames().size(), checkpoint);
      auto it = saved.metadata.find("seed");
      if (it != saved.metadata.end()) {
        uint64_t stored = savedSeed(it->second, checkpoint);
        if (!options.seed)
          seed = stored;
      }
      setup.steps->initializeStore(seed);
      setup.store.load(saved, checkpoint);
      std::cout << "Resuming " << graph.name << " from " << checkpoint
                << " (epoch " << state.epoch << ", step " << state.step
                << ")\n";
    } else {
      setup.steps->initializeStore(seed);
      for (const InitFrom &init : setup.plan.inits) {
        setup.store.load(rt::loadSafetensors(init.path), init.path,
                         layersOf(graph, init.target));
        std::cout << "Initialised " << init.target << " from " << init.path
                  << '\n';
      }
    }
  } catch (const rt::FileError &e) {
    std::cerr << "aec: error: " << e.what() << '\n';
    return 1;
  }

  // Compile the steps of the last, smaller batches now, so their compile
  // time is reported with the rest and not counted in epoch 1.
  try {
    int64_t batch = setup.plan.batch;
    if (int64_t rest = setup.data.train.size() % batch)
      setup.steps->trainStep(rest);
    if (setup.data.validation)
      if (int64_t rest = setup.data.validation->size() % batch)
        setup.steps->evalStep(rest);
  } catch (const std::exception &e) {
    std::cerr << "aec: error: " << e.what() << '\n';
    return 1;
  }
  int64_t params = graph.paramCount();
  std::cout << "Training " << graph.name << ": " << thousands(params)
            << " parameters, " << thousands(setup.data.train.size())
            << " training samples"
            << (setup.data.validation
                    ? ", " + thousands(setup.data.validation->size()) +
                          " validation samples"
                    : std::string())
            << ", batch " << setup.plan.batch << ", "
            << optimizerKindName(setup.plan.optimizer.kind) << ", "
            << backendName(options.backend) << " backend, seed "
            << seed << "; compiled in " << std::fixed << std::setprecision(2)
            << setup.steps->compileSeconds() << std::defaultfloat
            << " s" << std::endl;

  rt::LoopOptions loop;
  loop.epochs = setup.plan.epochs;
  loop.batch = setup.plan.batch;
  loop.shuffle = setup.plan.shuffle;
  loop.resetStatesEvery = setup.plan.resetStateEvery;
  loop.seed = seed;
  loop.checkpointPath = checkpoint;
  loop.metricsPath = metrics;
  loop.terminal = rt::ProgressBar::stdoutIsTerminal();

  std::map<std::string, std::string> metadata = {
      {"model", graph.name},
      {"seed", std::to_string(seed)},
      {"source", file.path()},
      {"optimizer", optimizerKindName(setup.plan.optimizer.kind)}};
  if (setup.data.vocabulary)
    metadata[kVocabularyKey] = setup.data.vocabulary->utf8();
  rt::TrainLoop trainLoop(*setup.steps, setup.store, setup.data.train,
                          setup.data.validation ? &*setup.data.validation
                                                : nullptr,
                          loop, std::cout);
  rt::LoopOutcome outcome;
  try {
    outcome = trainLoop.run(state, metadata);
  } catch (const std::exception &e) {
    std::cerr << "aec: error: " << e.what() << '\n';
    return 1;
  }
  if (outcome == rt::LoopOutcome::Diverged)
    return 1;

  try {
    std::vector<std::string> series = {"loss"};
    if (setup.data.validation)
      series.push_back("val_loss");
    bool plotted = state.epoch > 0;
    if (plotted)
      rt::plotLossCurves(metrics, setup.outDir + "/loss.png",
                         graph.name + ": loss per epoch", series);
    const rt::Dataset &shown =
        setup.data.validation ? *setup.data.validation : setup.data.train;
    BoundEntry &predict = setup.steps->predictStep(setup.plan.batch);
    bool drew = writeReconstructions(graph, shown, predict, setup.plan.batch,
                                     setup.outDir + "/reconstructions.png");
    bool codes = writeCodes(graph, shown, predict, setup.plan.batch,
                            setup.outDir + "/codes.png");
    std::cout << "Wrote " << checkpoint << ", " << metrics
              << (plotted ? ", " + setup.outDir + "/loss.png" : "")
              << (drew ? ", " + setup.outDir + "/reconstructions.png" : "")
              << (codes ? ", " + setup.outDir + "/codes.png" : "") << '\n';
  } catch (const std::exception &e) {
    std::cerr << "aec: error: " << e.what() << '\n';
    return 1;
  }
  return outcome == rt::LoopOutcome::Interrupted ? 130 : 0;
}

} // namespace aenet
