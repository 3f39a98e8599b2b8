//===- Train.cpp - aec train ----------------------------------------------===//
//
// Sets up a run (fresh, resumed, or with layers initialised from another
// checkpoint), trains it with the runtime's loop, and draws the pictures.
//
//===----------------------------------------------------------------------===//

#include "InitFrom.h"
#include "LatentPictures.h"
#include "Pictures.h"
#include "RunSetup.h"
#include "TextData.h"

#include "aenet/Lang/Params.h"
#include "aenet/Runtime/Errors.h"
#include "aenet/Runtime/Plot.h"
#include "aenet/Runtime/Progress.h"
#include "aenet/Runtime/Random.h"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <optional>

namespace aenet {

namespace {

/// The files a run writes into its output folder besides temporaries, which
/// --overwrite removes so that none of an earlier run's outputs stay beside
/// the new run's: train's own and its latent pictures (a new run may draw
/// none, e.g. when its latent is no longer 2-D), and what predict, encode
/// and decode write there by default (made from the old weights too).
constexpr const char *kOutputs[] = {
    "model.safetensors",   "metrics.csv",         "loss.png",
    "reconstructions.png", "codes.png",           "latent.png",
    "latent_grid.png",     "interpolation.png",   "predictions.safetensors",
    "codes.safetensors",   "decoded.safetensors", "decoded.png",
    kSweptImagesFile};

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

/// a + b, or INT64_MAX where that overflows (phases of `--epochs` huge).
int64_t saturatingAdd(int64_t a, int64_t b) {
  return b > INT64_MAX - a ? INT64_MAX : a + b;
}

/// The names of |plan|'s phases in order, for the loss curve's markers.
std::vector<std::string> phaseNames(const TrainPlan &plan) {
  std::vector<std::string> names;
  for (const PhasePlan &phase : plan.phases)
    names.push_back(phase.name);
  return names;
}

/// The values of the file's parameters as a checkpoint records them:
/// `code=8,act=tanh`; empty without parameters.
std::string paramValues(const CheckedProgram &program) {
  return settingsText(program.params);
}

/// Prints what summing the gradients over the ranks cost (rank 0's view;
/// the others print nothing to stdout).
void printExchange(const CompiledSteps &steps, const rt::ProcessGroup &group) {
  int64_t count = 0, bytes = 0;
  size_t buckets = 0;
  double communicating = 0, waiting = 0;
  for (const rt::GradientExchange *exchange : steps.exchanges()) {
    count += exchange->steps();
    bytes = std::max(bytes, exchange->bytesPerStep());
    buckets = std::max(buckets, exchange->bucketCount());
    communicating += exchange->communicationSeconds();
    waiting += exchange->waitSeconds();
  }
  if (count == 0)
    return;
  std::cout << std::fixed << std::setprecision(3)
            << "Gradients summed over " << group.size() << " processes: "
            << bytes / 1024.0 << " KiB in " << buckets
            << (buckets == 1 ? " bucket" : " buckets") << " per step, "
            << 1e3 * communicating / count
            << " ms per step in allreduce, of which the step waited "
            << 1e3 * waiting / count << " ms after its backward pass\n"
            << std::defaultfloat;
}

/// trainPhase's result for a run that diverged (reported); runTrain exits
/// 1 for it as for an error, and tells a TrainReport.
constexpr int kDiverged = 3;

/// Trains phase |phase| of |setup| (|plan|, the block as that phase runs
/// it, which begins at epoch |firstEpoch|) from |state|: 0 when it ends,
/// 130 when interrupted, kDiverged after a divergence and 1 after an error
/// (both reported).
int trainPhase(const SourceFile &file, const RunOptions &options,
               RunSetup &setup, const TrainPlan &plan,
               size_t phase, int64_t firstEpoch, uint64_t seed,
               rt::LoopState &state) {
  const ModelGraph &graph = setup.graph();
  // Bind the steps of the last, smaller batches now (compilePhase compiled
  // them with the full batch's), so that a failure shows before epoch 1.
  int64_t batch = setup.plan.batch;
  const rt::ProcessGroup *group = options.group;
  try {
    // This process's shard of them.
    if (int64_t rest =
            rt::shardOf(setup.data.train.size() % batch, group).count)
      setup.steps->trainStep(rest);
    if (setup.data.validation)
      if (int64_t rest =
              rt::shardOf(setup.data.validation->size() % batch, group).count)
        setup.steps->evalStep(rest);
  } catch (const std::exception &e) {
    std::cerr << "aec: error: " << e.what() << '\n';
    return 1;
  }
  int64_t params = graph.paramCount();
  bool phased = !setup.plan.phases.empty();
  if (phased) {
    int64_t frozen = frozenParamCount(graph, plan.frozen);
    std::cout << "Phase " << phase + 1 << "/" << setup.plan.phases.size()
              << " '" << setup.plan.phases[phase].name << "': "
              << plan.epochs << " epochs, "
              << optimizerKindName(plan.optimizer.kind) << " lr "
              << plan.optimizer.learningRate << ", "
              << thousands(params - frozen) << " trainable and "
              << thousands(frozen) << " frozen parameters\n";
  }
  // The parameters in effect, which --set may have changed.
  std::string settings;
  for (const ParamSetting &param : setup.program.params)
    settings += (settings.empty() ? " (" : ", ") + param.name + " = " +
                param.text;
  if (!settings.empty())
    settings += ")";
  std::cout << "Training " << graph.name << settings << ": "
            << thousands(params)
            << " parameters, " << thousands(setup.data.train.size())
            << " training samples"
            << (setup.data.validation
                    ? ", " + thousands(setup.data.validation->size()) +
                          " validation samples"
                    : std::string())
            << ", batch " << batch << ", "
            << optimizerKindName(plan.optimizer.kind) << ", "
            << backendName(options.backend) << " backend, seed "
            << seed << "; "
            << (setup.steps->allReused() ? "compiled code reused from an "
                                           "earlier run, in "
                                         : "compiled in ")
            << std::fixed << std::setprecision(2)
            << setup.steps->compileSeconds() << std::defaultfloat
            << " s" << std::endl;
  if (group) {
    int64_t fewest = batch / group->size();
    std::cout << "Data-parallel on " << group->size()
              << " processes: every batch of " << batch << " is cut into "
              << group->size() << " shards of " << fewest
              << (batch % group->size() ? "-" + std::to_string(fewest + 1)
                                        : std::string())
              << " rows, whose gradients are summed (MPI allreduce) before "
                 "each update\n";
  }

  rt::LoopOptions loop;
  loop.epochs = saturatingAdd(firstEpoch, plan.epochs);
  loop.batch = batch;
  loop.shuffle = plan.shuffle;
  loop.resetStatesEvery = plan.resetStateEvery;
  loop.seed = seed;
  loop.checkpointPath = setup.outDir + "/model.safetensors";
  loop.metricsPath = setup.outDir + "/metrics.csv";
  // mpirun forwards the processes' output through a terminal of its own,
  // which it stops reading once Ctrl-C reaches it: a progress bar redrawn
  // every batch would then block rank 0 in a write, and the others with it,
  // before they could stop. Under mpirun, a line per epoch.
  loop.terminal = !rt::ProcessGroup::launchedByMpirun() &&
                  rt::ProgressBar::stdoutIsTerminal();
  loop.group = group;
  if (phased) {
    loop.phase = static_cast<int64_t>(phase) + 1;
    loop.phaseName = setup.plan.phases[phase].name;
    loop.totalEpochs = setup.plan.epochs;
    loop.phaseFirstStep = firstEpoch * setup.data.train.batchCount(batch);
  }

  std::map<std::string, std::string> metadata = {
      {"model", graph.name},
      {"seed", std::to_string(seed)},
      {"source", file.path()},
      {"optimizer", optimizerKindName(plan.optimizer.kind)},
      {"frozen", frozenParamLayers(graph, plan.frozen)}};
  if (!setup.program.params.empty())
    metadata["params"] = paramValues(setup.program);
  if (phased)
    metadata["phase"] = setup.plan.phases[phase].name;
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
  if (group)
    printExchange(*setup.steps, *group);
  if (outcome == rt::LoopOutcome::Diverged)
    return kDiverged;
  return outcome == rt::LoopOutcome::Interrupted ? 130 : 0;
}

/// "'enc1', 'enc2'" or "none": a checkpoint's comma-separated `frozen`
/// metadata as a message names it.
std::string frozenText(const std::string &layers) {
  if (layers.empty())
    return "none";
  std::string text;
  for (size_t begin = 0; begin <= layers.size();) {
    size_t end = std::min(layers.find(',', begin), layers.size());
    text += (text.empty() ? "'" : ", '") +
            layers.substr(begin, end - begin) + "'";
    begin = end + 1;
  }
  return text;
}

/// A checkpoint to resume from and where its run goes on.
struct Resumed {
  rt::Checkpoint saved;
  ResumePoint point;
};

/// Reads the checkpoint |path| to resume |setup|'s run from, and its loop
/// state into |state|, before anything is compiled (only the phase it goes
/// on in will be). Throws CheckpointError when it holds another model or
/// was trained with other values of the file's parameters, was saved in a
/// phase the train block no longer has where it was (phase
/// lengths edited), holds another optimizer's state, or indexed other
/// characters.
Resumed readResumed(const RunSetup &setup, const std::string &path,
                    rt::LoopState &state) {
  Resumed resumed{rt::loadSafetensors(path), {}};
  const std::map<std::string, std::string> &metadata = resumed.saved.metadata;
  state = rt::LoopState::fromMetadata(metadata, path);
  const std::string &name = setup.graph().name;
  auto model = metadata.find("model");
  if (model == metadata.end() || model->second != name)
    throw rt::CheckpointError(
        path, "holds model '" +
                  (model == metadata.end() ? std::string("?")
                                           : model->second) +
                  "', not '" + name + "'; resume it with its own model or "
                  "train into another --out folder");
  // Other values of the file's parameters are another model or another
  // training; a checkpoint of a file without them records none.
  auto params = metadata.find("params");
  std::string nowParams = paramValues(setup.program);
  std::string saved = params == metadata.end() ? "" : params->second;
  if (saved != nowParams)
    throw rt::CheckpointError(
        path, "was trained with the parameter values " +
                  (saved.empty() ? std::string("of a file without them")
                                 : "'" + saved + "'") +
                  ", but they are now " +
                  (nowParams.empty() ? std::string("none")
                                     : "'" + nowParams + "'") +
                  "; resume with the values it was trained with (--set), "
                  "or start again with --overwrite");
  // The phase the checkpoint was saved in, not its epoch alone, says whose
  // optimizer state it holds. One saved where its phase ended holds state
  // the next phase does not take over.
  auto savedPhase = metadata.find("phase");
  resumed.point = resumePoint(
      setup.plan, savedPhase == metadata.end() ? "" : savedPhase->second,
      state.epoch, state.batchInEpoch);
  const ResumePoint &point = resumed.point;
  if (!point.error.empty())
    throw rt::CheckpointError(path, point.error);
  // An optimizer's state means nothing to another optimizer.
  const char *optimizer = optimizerKindName(
      planOfPhase(setup.plan, point.phase).optimizer.kind);
  std::string inPhase =
      setup.plan.phases.empty()
          ? std::string()
          : " in phase '" + setup.plan.phases[point.phase].name + "'";
  auto used = metadata.find("optimizer");
  if (point.optimizerState && used != metadata.end() &&
      used->second != optimizer)
    throw rt::CheckpointError(
        path, "was trained with " + used->second + inPhase +
                  ", but the train block now uses " + optimizer + inPhase +
                  "; its state does not carry over to another optimizer: "
                  "resume with " + used->second +
                  ", or start again with --overwrite");
  // Optimizer state is kept for trainable parameters only: a frozen set
  // edited between the runs would lose some layers' state or lack others'.
  auto frozen = metadata.find("frozen");
  const std::string nowFrozen = frozenParamLayers(
      setup.graph(), planOfPhase(setup.plan, point.phase).frozen);
  if (point.optimizerState && frozen != metadata.end() &&
      frozen->second != nowFrozen)
    throw rt::CheckpointError(
        path, "was trained" + inPhase + " with frozen layers " +
                  frozenText(frozen->second) +
                  ", but the train block now freezes " +
                  frozenText(nowFrozen) +
                  "; the optimizer state of one set of trainable layers "
                  "does not fit another: resume with the frozen layers it "
                  "was trained with, or start again with --overwrite");
  // One-hot positions mean the characters of the vocabulary trained on.
  if (setup.data.vocabulary)
    checkResumedVocabulary(resumed.saved, path, *setup.data.vocabulary);
  return resumed;
}

/// A hash of every sample of |data|'s arrays, as the model reads them.
uint64_t dataHash(const rt::Dataset &data, uint64_t h) {
  std::vector<int64_t> order = data.epochOrder(false, 0, 0);
  std::vector<float> rows;
  constexpr int64_t kChunk = 1024;
  for (size_t a = 0; a < data.arrays().size(); ++a) {
    const rt::Array &array = data.arrays()[a];
    h = rt::hashBytes(array.name.data(), array.name.size(), h);
    for (int64_t begin = 0; begin < data.size(); begin += kChunk) {
      int64_t end = std::min(data.size(), begin + kChunk);
      rows.resize(static_cast<size_t>((end - begin) * array.sampleSize()));
      data.gatherBatch(order, begin, end, static_cast<int>(a), rows.data());
      h = rt::hashBytes(rows.data(), rows.size() * sizeof(float), h);
    }
  }
  return h;
}

/// On several processes: false, after rank 0 said why, when a batch would
/// leave a process without rows, or when the processes were not given the
/// same model, parameter values, options and data (mpirun starts one
/// command everywhere, but each process reads its own files, which a
/// cluster's nodes may hold in different versions).
bool checkProcesses(const SourceFile &file, const RunOptions &options,
                    const RunSetup &setup, const rt::ProcessGroup &group) {
  auto fail = [&](const std::string &message) {
    if (group.isRoot())
      std::cerr << "aec: error: " << message << '\n';
    group.stopTogether();
    return false;
  };
  // The hashes first: once every process holds the same data, the checks
  // after them agree on every process.
  int64_t batch = setup.plan.batch, processes = group.size();
  std::string settings = setup.graph().name + "\n" +
                         settingsText(setup.program.params) + "\n" +
                         std::to_string(batch) + " " +
                         std::to_string(setup.plan.epochs) + " " +
                         backendName(options.backend) + " " +
                         (options.seed ? std::to_string(*options.seed) : "-") +
                         (options.resume ? " resume" : "") + "\n";
  uint64_t model = rt::hashBytes(file.text().data(), file.text().size());
  model = rt::hashBytes(settings.data(), settings.size(), model);
  uint64_t data = dataHash(setup.data.train, 1);
  if (setup.data.validation)
    data = dataHash(*setup.data.validation, data);
  std::vector<uint64_t> models = group.gather(model);
  std::vector<uint64_t> datas = group.gather(data);
  for (int r = 1; r < group.size(); ++r) {
    if (models[r] != models[0])
      return fail("process " + std::to_string(r) +
                  " was given another model file, other parameter values or "
                  "other options than process 0 (" + file.path() +
                  "); every process must train the same model: give them "
                  "the same file and command line");
    if (datas[r] != datas[0])
      return fail("process " + std::to_string(r) +
                  " read other training or validation data than process 0; "
                  "every process must read the same data (check the data "
                  "files on every machine)");
  }
  int64_t samples = setup.data.train.size();
  int64_t rest = samples % batch;
  int64_t fewest = rest ? std::min(batch, rest) : batch;
  if (fewest < processes)
    return fail(
        std::to_string(processes) + " processes, but " +
        (batch < processes
             ? "a batch has only " + std::to_string(batch) + " samples"
             : "the last batch of an epoch has only " + std::to_string(rest) +
                   " samples (" + std::to_string(samples) +
                   " training samples in batches of " +
                   std::to_string(batch) + ")") +
        "; every process needs at least one sample of every batch: start "
        "at most " + std::to_string(fewest) +
        " processes, or choose a --batch that leaves more");
  return true;
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
             const RunOptions &options, TrainReport *report) {
  RunSetup setup;
  if (!prepareData(file, program, options, setup))
    return 1;
  const ModelGraph &graph = setup.graph();
  // Before any check whose answer depends on the data: every process must
  // come to the same one.
  const rt::ProcessGroup *group = options.group;
  if (group && !checkProcesses(file, options, setup, *group))
    return 1;
  if (!checkStatefulBatches(graph, setup))
    return 1;
  // Only rank 0 writes into the output folder.
  const bool writes = !group || group->isRoot();
  std::string checkpoint = setup.outDir + "/model.safetensors";
  std::string metrics = setup.outDir + "/metrics.csv";

  // A resumed run reads its checkpoint first, to know which phase to
  // compile; a fresh run clears its folder (--overwrite) only once it
  // compiled.
  rt::LoopState state;
  std::optional<Resumed> resumed;
  if (options.resume) {
    if (!prepareOutputFolder(setup.outDir, options))
      return 1;
    try {
      resumed = readResumed(setup, checkpoint, state);
    } catch (const rt::FileError &e) {
      std::cerr << "aec: error: " << e.what() << '\n';
      return 1;
    }
  }
  // Only the phases that run are compiled: a run resumed in a later phase
  // starts with that phase's compile.
  size_t firstPhase = resumed ? resumed->point.phase : 0;
  if (!compilePhase(file, options, setup, firstPhase))
    return 1;
  if (report)
    report->compileSeconds += setup.steps->compileSeconds();
  if (writes && !options.resume &&
      !prepareOutputFolder(setup.outDir, options))
    return 1;
  namespace fs = std::filesystem;
  std::error_code ec;
  if (writes)
    fs::create_directories(setup.outDir, ec);
  if (ec) {
    std::cerr << "aec: error: cannot create " << setup.outDir << ": "
              << ec.message() << '\n';
    return 1;
  }

  uint64_t seed = setup.plan.seedGiven ? setup.plan.seed : rt::freshSeed();
  // Every rank draws the same initial weights and data order: rank 0's.
  if (group) {
    int64_t shared = static_cast<int64_t>(seed);
    group->broadcast(shared);
    seed = static_cast<uint64_t>(shared);
  }
  try {
    if (resumed) {
      state.checkResumable(setup.data.train.size(), setup.plan.batch,
                           setup.steps->scalarNames().size(), checkpoint);
      auto it = resumed->saved.metadata.find("seed");
      if (it != resumed->saved.metadata.end()) {
        uint64_t stored = savedSeed(it->second, checkpoint);
        if (!options.seed)
          seed = stored;
      }
      setup.steps->initializeStore(seed);
      if (resumed->point.optimizerState)
        setup.store.load(resumed->saved, checkpoint);
      else
        setup.store.loadParameters(resumed->saved, checkpoint);
      std::cout << "Resuming " << graph.name << " from " << checkpoint
                << " (epoch " << state.epoch << ", step " << state.step
                << ")\n";
    } else {
      setup.steps->initializeStore(seed);
      for (const InitFrom &init : setup.plan.inits) {
        loadInit(setup.store, graph, init, options.byOrder);
        std::cout << "Initialised " << init.target << " from " << init.path
                  << '\n';
      }
    }
  } catch (const rt::FileError &e) {
    std::cerr << "aec: error: " << e.what() << '\n';
    return 1;
  }

  // Phases run one after the other on the same loop state, so one
  // metrics.csv and one epoch count span them all; a run without phases is
  // one phase of the block's own settings.
  size_t phases = std::max<size_t>(1, setup.plan.phases.size());
  int code = 0;
  for (size_t phase = firstPhase; phase < phases; ++phase) {
    if (phase != firstPhase) {
      if (!enterPhase(file, options, setup, phase, seed))
        return 1;
      if (report)
        report->compileSeconds += setup.steps->compileSeconds();
    }
    TrainPlan plan = planOfPhase(setup.plan, phase);
    code = trainPhase(file, options, setup, plan, phase,
                      phaseStart(setup.plan, phase), seed, state);
    if (code != 0)
      break;
  }
  if (code == kDiverged && report)
    report->diverged = true;
  if (code == 1 || code == kDiverged)
    return 1;
  if (!writes)
    return code;

  try {
    std::vector<std::string> series = {"loss"};
    if (setup.data.validation)
      series.push_back("val_loss");
    bool plotted = state.epoch > 0;
    if (plotted)
      rt::plotLossCurves(metrics, setup.outDir + "/loss.png",
                         graph.name + ": loss per epoch", series,
                         rt::kPlotTimeoutSeconds, phaseNames(setup.plan));
    const rt::Dataset &shown =
        setup.data.validation ? *setup.data.validation : setup.data.train;
    // The program already compiled: a slice's, when batches were split.
    int64_t rows = setup.steps->compiledRows();
    BoundEntry &predict = setup.steps->predictStep(rows);
    // A sweep's runs keep the images too, for its picture of every point.
    bool drew = writeReconstructions(
        graph, shown, predict, rows, setup.outDir + "/reconstructions.png",
        report ? setup.outDir + "/" + kSweptImagesFile : std::string());
    bool codes = writeCodes(graph, shown, predict, rows,
                            setup.outDir + "/codes.png");
    std::vector<std::string> latent = writeLatentPictures(
        file, setup, shown, predict, rows, options.backend, checkpoint);
    std::cout << "Wrote " << checkpoint << ", " << metrics
              << (plotted ? ", " + setup.outDir + "/loss.png" : "")
              << (drew ? ", " + setup.outDir + "/reconstructions.png" : "")
              << (codes ? ", " + setup.outDir + "/codes.png" : "");
    for (const std::string &png : latent)
      std::cout << ", " << png;
    std::cout << '\n';
  } catch (const std::exception &e) {
    std::cerr << "aec: error: " << e.what() << '\n';
    return 1;
  }
  return code;
}

} // namespace aenet
