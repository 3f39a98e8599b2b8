//===- RunSetup.cpp - What train, eval and predict share ------------------===//
//
// Data errors are reported with the file and what is wrong with it; compile
// errors were already printed with the model file's line and column.
//
//===----------------------------------------------------------------------===//

#include "RunSetup.h"

#include "MemoryEstimate.h"
#include "TextData.h"

#include "aenet/Lang/Parser.h"
#include "aenet/Lang/Printers.h"
#include "aenet/Runtime/AvailableMemory.h"
#include "aenet/Runtime/Errors.h"
#include "aenet/Runtime/Random.h"
#include "aenet/Runtime/SplitStep.h"

#include <algorithm>
#include <iostream>

namespace aenet {

std::string thousands(int64_t n) { return withThousands(n); }

/// The first |n| samples of |data|.
static rt::Dataset head(const rt::Dataset &data, int64_t n) {
  rt::Dataset out;
  for (const rt::Array &array : data.arrays())
    out.add(array.slice(0, std::min<int64_t>(n, array.count())));
  return out;
}

/// Checks |file| again with the `?` extents of |graph|'s inputs fixed to the
/// sample shapes of |data| into |resolved|; prints the diagnostics and
/// returns false if the model's layers do not fit those shapes.
static bool fixVariableInputs(const SourceFile &file, const ModelGraph &graph,
                              const rt::Dataset &data,
                              CheckedProgram &resolved) {
  FixedInputs fixed{graph.name, {}, {}};
  for (const InputInfo &input : graph.inputs) {
    int array = data.findArray(input.name);
    if (input.shape.isStatic() || array < 0)
      continue;
    fixed.shapes[input.name] = Shape(data.arrays()[array].sampleShape);
    if (data.findArray(sequenceLengthsName(input.name)) >= 0)
      fixed.padded.insert(input.name);
  }
  if (fixed.shapes.empty())
    return true;
  DiagnosticEngine diags(file);
  ast::Program ast = parseProgram(file, diags);
  // The values the program was checked with; they bound once already.
  std::string bound = bindParams(ast, resolved.params, diags);
  if (!bound.empty()) {
    std::cerr << "aec: error: " << bound << '\n';
    return false;
  }
  resolved = checkProgram(ast, file, diags, &fixed);
  if (!diags.hasErrors())
    return true;
  diags.print(std::cerr);
  for (const auto &[name, shape] : fixed.shapes)
    std::cerr << "aec: note: the data gives input '" << name
              << "' samples of " << shape.str() << '\n';
  return false;
}

bool chooseModel(const SourceFile &file, const CheckedProgram &program,
                 const RunOptions &options, RunSetup &setup) {
  // The model: named, or the first one with a train block.
  for (size_t i = 0; i < program.models.size(); ++i) {
    const std::string &name = program.models[i].name;
    if (options.model.empty() ? program.trainFor(name) != nullptr
                              : name == options.model) {
      setup.model = static_cast<int>(i);
      break;
    }
  }
  if (setup.model < 0) {
    std::cerr << "aec: error: "
              << (options.model.empty()
                      ? "no model in " + file.path() + " has a train block"
                      : "no model named '" + options.model + "' in " +
                            file.path())
              << '\n';
    return false;
  }
  const ModelGraph &graph = program.models[setup.model];
  const TrainPlan *plan = program.trainFor(graph.name);
  if (!plan) {
    std::cerr << "aec: error: model '" << graph.name
              << "' has no train block, so aec does not know its data\n";
    return false;
  }
  setup.plan = *plan;
  // With phases, --epochs N runs each phase N epochs.
  if (options.epochs) {
    setup.plan.epochs = *options.epochs;
    for (PhasePlan &phase : setup.plan.phases)
      phase.epochs = *options.epochs;
    if (!setup.plan.phases.empty())
      setup.plan.epochs =
          *options.epochs > INT64_MAX / int64_t(setup.plan.phases.size())
              ? INT64_MAX
              : *options.epochs * int64_t(setup.plan.phases.size());
  }
  if (options.batch)
    setup.plan.batch = *options.batch;
  if (options.seed) {
    setup.plan.seed = *options.seed;
    setup.plan.seedGiven = true;
  }
  setup.outDir = options.outDir.empty() ? "out/" + graph.name : options.outDir;
  setup.program = program;
  if (options.sample && !graph.hasLayerOf(LayerKind::SampleNormal)) {
    std::cerr << "aec: error: " << file.path() << ": model '" << graph.name
              << "' has no sample_normal layer for --sample to draw from\n";
    return false;
  }
  // Draws from a seed nobody gave are repeatable only if it is printed.
  if (options.sample && !setup.plan.seedGiven) {
    setup.plan.seed = rt::freshSeed();
    setup.plan.seedGiven = true;
    std::cout << "Sampling with seed " << setup.plan.seed
              << " (repeat the draws with --seed " << setup.plan.seed
              << ")\n";
  }
  return true;
}

bool prepareData(const SourceFile &file, const CheckedProgram &program,
                 const RunOptions &options, RunSetup &setup) {
  if (!chooseModel(file, program, options, setup))
    return false;
  const ModelGraph &graph = program.models[setup.model];
  try {
    // eval and predict index texts with the vocabulary the model learned.
    std::optional<rt::Vocabulary> vocabulary;
    if (!options.weights.empty() && readsText(setup.plan))
      vocabulary = requireVocabulary(rt::loadSafetensors(options.weights),
                                     options.weights, "a model trained on "
                                                      "text");
    setup.data = loadData(graph, setup.plan, vocabulary);
  } catch (const rt::FileError &e) {
    std::cerr << "aec: error: " << e.what() << '\n';
    return false;
  }
  if (options.limit > 0) {
    setup.data.train = head(setup.data.train, options.limit);
    if (setup.data.validation)
      setup.data.validation = head(*setup.data.validation, options.limit);
  }
  if (setup.data.train.size() == 0) {
    std::cerr << "aec: error: the training data of '" << graph.name
              << "' is empty\n";
    return false;
  }
  if (!fixVariableInputs(file, graph, setup.data.train, setup.program))
    return false;
  // Buffers are sized by the batch, so a batch larger than the data would
  // allocate rows that are never filled; Keras simply runs one smaller
  // batch, which is what the capped batch does.
  int64_t samples = setup.data.train.size();
  if (setup.data.validation)
    samples = std::max(samples, setup.data.validation->size());
  if (setup.plan.batch > samples) {
    std::cerr << "aec: note: batch " << setup.plan.batch << " is more than the "
              << samples << " samples; using batch " << samples << '\n';
    setup.plan.batch = samples;
  }
  std::string memory = memoryProblem(
      estimateMemory(setup.graph(), setup.plan.optimizer, setup.plan.batch),
      static_cast<double>(rt::availableMemoryBytes()),
      "running '" + graph.name + "'", setup.plan.batch);
  if (!memory.empty()) {
    std::cerr << "aec: error: " << memory << '\n';
    return false;
  }
  return true;
}

/// Compiles the model of |setup| as |setup.program| has it into
/// |setup.steps|, bound to |setup.store|, for the full batch, and its
/// training step and evaluate for the last batches of |trainRest| and
/// |evalRest| rows (CompiledSteps::compile); with |splitBatches|
/// (training), each batch runs as slices on all the cores where the model
/// allows.
static bool compileSteps(const SourceFile &file, const RunOptions &options,
                         RunSetup &setup, int64_t batch, int64_t trainRest = 0,
                         int64_t evalRest = 0, bool splitBatches = false) {
  std::vector<std::string> arrayNames;
  std::vector<int64_t> arraySizes;
  for (const rt::Array &array : setup.data.train.arrays()) {
    arrayNames.push_back(array.name);
    arraySizes.push_back(array.sampleSize());
  }
  setup.steps = std::make_unique<CompiledSteps>(
      file, setup.program, setup.model, batch, options.backend,
      setup.store, arrayNames, arraySizes);
  if (options.sample)
    setup.steps->sampleAtInference(setup.plan.seed);
  setup.steps->shareCompiles(options.compileCache);
  if (splitBatches)
    setup.steps->splitBatches(rt::stepThreads());
  if (splitBatches && options.group)
    setup.steps->distribute(*options.group);
  return setup.steps->compile(trainRest, evalRest);
}

bool prepareRun(const SourceFile &file, const CheckedProgram &program,
                const RunOptions &options, RunSetup &setup) {
  if (!prepareData(file, program, options, setup))
    return false;

  return compileSteps(file, options, setup, setup.plan.batch);
}

bool compilePhase(const SourceFile &file, const RunOptions &options,
                  RunSetup &setup, size_t phase) {
  for (TrainPlan &plan : setup.program.trains)
    if (plan.model == setup.graph().name)
      plan = planOfPhase(setup.plan, phase);
  // The last, smaller batches of an epoch and of validation need programs
  // of their own: compiled now, beside the full batch's, so that their
  // compile is reported with the rest and not counted in epoch 1.
  int64_t batch = setup.plan.batch;
  int64_t trainRest = setup.data.train.size() % batch;
  int64_t evalRest =
      setup.data.validation ? setup.data.validation->size() % batch : 0;
  // On several processes, each compiles for its own shard of the batches.
  if (options.group) {
    batch = rt::shardOf(batch, options.group).count;
    trainRest = rt::shardOf(trainRest, options.group).count;
    evalRest = rt::shardOf(evalRest, options.group).count;
  }
  return compileSteps(file, options, setup, batch, trainRest, evalRest,
                      /*splitBatches=*/true);
}

bool enterPhase(const SourceFile &file, const RunOptions &options,
                RunSetup &setup, size_t phase, uint64_t seed) {
  rt::Checkpoint current;
  current.tensors = setup.store.snapshot();
  // The steps bind the store's buffers: drop them before the store.
  setup.steps.reset();
  setup.store = rt::ParameterStore();
  if (!compilePhase(file, options, setup, phase))
    return false;
  setup.steps->initializeStore(seed);
  try {
    setup.store.loadParameters(current, "the previous phase");
  } catch (const rt::FileError &e) {
    std::cerr << "aec: error: " << e.what() << '\n';
    return false;
  }
  return true;
}

} // namespace aenet
