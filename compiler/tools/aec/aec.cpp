//===- aec.cpp - The aec command-line driver ------------------------------===//
//
// `aec check | summary | compile | train | sweep | eval | predict | encode
// | decode | export | generate | probe` on a model file.
// Each command runs the front end, prints every diagnostic, and exits 1 on
// any error, 0 otherwise. Command-line numbers are range-checked by CLI11,
// so a message names the option.
//
//===----------------------------------------------------------------------===//

#include "Frontend.h"
#include "Processes.h"
#include "Validators.h"

#include "aenet/Driver/Commands.h"
#include "aenet/Lang/Parser.h"
#include "aenet/Lang/Printers.h"
#include "aenet/Lang/Sema.h"
#include "aenet/Pipeline/Stages.h"
#include "aenet/Runtime/Interrupt.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <new>

using namespace aenet;

namespace {

/// |arg| as a POSIX shell reads it back: as is when it holds nothing the
/// shell would act on, else in single quotes (a summary's command line is
/// for pasting into a shell).
std::string shellQuoted(const std::string &arg) {
  bool plain = !arg.empty() &&
               std::all_of(arg.begin(), arg.end(), [](unsigned char c) {
                 return std::isalnum(c) || std::strchr("_-+=.,/:@%", c);
               });
  if (plain)
    return arg;
  std::string quoted = "'";
  for (char c : arg)
    quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

/// The commands, in the order the help lists them.
constexpr const char *kCommands[] = {"check",  "summary", "compile",
                                     "train",  "sweep",   "eval",
                                     "predict", "encode", "decode",
                                     "export", "generate", "probe"};

/// Says what the commands are when the first argument is none of them (the
/// top level takes only --help and --help-all): CLI11 would only say that a
/// subcommand is required. Returns false after printing the error.
bool checkCommand(int argc, char **argv) {
  std::string list;
  for (const char *command : kCommands)
    list += std::string(list.empty() ? "" : ", ") + command;
  if (argc < 2) {
    std::cerr << "aec: error: no command given; the commands are " << list
              << " (see aec --help)\n";
    return false;
  }
  std::string first = argv[1];
  if (first.empty() || first[0] == '-')
    return true;
  for (const char *command : kCommands)
    if (first == command)
      return true;
  std::cerr << "aec: error: unknown command '" << first
            << "'; the commands are " << list << " (see aec --help)\n";
  return false;
}

/// The backend named |name| (already checked by CLI11).
Backend backendNamed(const std::string &name) {
  return name == "loops" ? Backend::Loops : Backend::OneDNN;
}

/// Batches beyond 2^31 rows overflow the compiled code's buffer sizes long
/// before memory runs out; a run caps its batch at its data's size anyway.
constexpr int64_t kMaxBatch = int64_t(1) << 31;

/// Makes phase |name| of the train block of model |model| the plan that
/// `aec compile` compiles (its optimizer and frozen set, where the first
/// phase's stand by default). Prints and returns false when the block has
/// no phase of that name, or no phases.
bool selectPhase(CheckedProgram &program, int model, const std::string &name) {
  const std::string &modelName = program.models[model].name;
  for (TrainPlan &plan : program.trains) {
    if (plan.model != modelName)
      continue;
    if (plan.phases.empty()) {
      std::cerr << "aec: error: --phase " << name << ": the train block of '"
                << modelName << "' has no phases\n";
      return false;
    }
    int phase = findPhase(plan, name);
    if (phase < 0) {
      std::cerr << "aec: error: --phase " << name << ": the train block of '"
                << modelName << "' has no phase '" << name
                << "'; its phases are " << phaseList(plan) << '\n';
      return false;
    }
    plan = planOfPhase(plan, static_cast<size_t>(phase));
    return true;
  }
  std::cerr << "aec: error: --phase " << name << ": model '" << modelName
            << "' has no train block, so no phases\n";
  return false;
}

} // namespace

/// aec's command line, run; its exit status.
int runCommand(int argc, char **argv) {
  if (!checkCommand(argc, argv))
    return 1;
  CLI::App app{"aec: compile, train and run neural networks written in .aenet",
               "aec"};
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "Show the help of every command");

  std::string file;
  auto addBackend = [](CLI::App *cmd, std::string &backend,
                       const std::string &help) {
    cmd->add_option("--backend", backend, help)
        ->check(CLI::IsMember({"onednn", "loops"}, CLI::ignore_case))
        ->option_text("onednn|loops");
  };
  std::vector<std::string> sets;
  auto addFile = [&](CLI::App *cmd) {
    cmd->add_option("FILE", file, "The .aenet model file")->required();
    cmd->add_option("--set", sets,
                    "Give the file's 'param NAME = VALUE' another value "
                    "(sweep: a list, NAME=V1,V2,...); repeat for each "
                    "parameter")
        ->type_name("NAME=VALUE")
        ->expected(1)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  };

  CLI::App *check = app.add_subcommand(
      "check", "Parse and check a model file; print diagnostics only");
  addFile(check);

  CLI::App *summary = app.add_subcommand(
      "summary", "Print a Keras-style table of each model's layers, output "
                 "shapes and parameter counts");
  addFile(summary);
  std::string modelName;
  summary->add_option("--model", modelName,
                      "Only this model (default: every model in the file)");

  CLI::App *compile =
      app.add_subcommand("compile", "Print a stage of the compilation");
  addFile(compile);
  std::string emit = "aenet";
  compile
      ->add_option("--emit", emit,
                   "The stage to print: ast, aenet (the model as aenet ops), "
                   "grad (with train_step), onednn (lowered to oneDNN "
                   "calls), linalg, llvm (default: aenet)")
      ->check(CLI::IsMember(
          {"ast", "aenet", "grad", "onednn", "linalg", "llvm"}))
      ->option_text("ast|aenet|grad|onednn|linalg|llvm");
  std::string compileBackend = "onednn";
  addBackend(compile, compileBackend,
             "The backend to lower for: onednn (default) or loops");
  int64_t batch = 0;
  compile
      ->add_option("--batch", batch,
                   "Batch size to compile for (default: the train block's)")
      ->check(wholeNumber<int64_t>(1, kMaxBatch))
      ->type_name("N");
  compile->add_option("--model", modelName,
                      "The model to compile (default: the first in the file)");
  bool compileSample = false;
  CLI::Option *compileSampleFlag = compile->add_flag(
      "--sample", compileSample,
      "The evaluate and predict functions draw sample_normal's z, as "
      "predict --sample does, instead of taking mu");
  uint64_t compileSeed = 0;
  compile
      ->add_option("--seed", compileSeed,
                   "The seed --sample's draws are keyed by (default 0)")
      ->check(wholeNumber<uint64_t>(0))
      ->type_name("S")
      ->needs(compileSampleFlag);
  std::string phaseName;
  compile->add_option("--phase", phaseName,
                      "The phase of the train block to compile, with its "
                      "optimizer and frozen set (default: the first)");

  RunOptions run;
  std::string runBackend = "onednn";
  // Every number is range-checked here, before anything runs or is
  // written: a batch of 0 divides by zero, a negative one never ends.
  // encode and decode write one file, |outFile| says what --out is then.
  auto addRunOptions = [&](CLI::App *cmd, const char *outFile = nullptr,
                           const char *outDir = nullptr) {
    addFile(cmd);
    cmd->add_option("--model", run.model,
                    "The model to run (default: the first with a train "
                    "block)");
    cmd->add_option("--batch", run.batch,
                    "Batch size, at most the number of samples (default: "
                    "the train block's)")
        ->check(wholeNumber<int64_t>(1, kMaxBatch))
        ->type_name("N");
    if (outFile)
      cmd->add_option("--out", run.outFile, outFile)->type_name("F");
    else
      cmd->add_option("--out", run.outDir,
                      outDir ? outDir
                             : "Folder for checkpoints, metrics and pictures "
                               "(default: out/MODEL)");
    addBackend(cmd, runBackend,
               "Where heavy ops run: onednn (oneDNN primitives, the "
               "default: faster on every model measured) or loops "
               "(MLIR-compiled loops)");
    cmd->add_option("--limit", run.limit,
                    "Use only the first N samples of the training and "
                    "validation data (N >= 1)")
        ->check(wholeNumber<int64_t>(1))
        ->type_name("N");
  };
  CLI::App *train = app.add_subcommand(
      "train", "Train a model on the data of its train block: progress, "
               "metrics.csv, checkpoint, loss curves and reconstructions");
  addRunOptions(train);
  train
      ->add_option("--epochs", run.epochs,
                   "Epochs, 0 or more (default: the train block's)")
      ->check(wholeNumber<int64_t>(0))
      ->type_name("N");
  train
      ->add_option("--seed", run.seed,
                   "Seed for initialisation, shuffling and noise, from 0 to "
                   "2^64-1; the same seed repeats a run bit for bit")
      ->check(wholeNumber<uint64_t>(0))
      ->type_name("S");
  CLI::Option *resume = train->add_flag(
      "--resume", run.resume,
      "Continue from the checkpoint in the output folder");
  train
      ->add_flag("--overwrite", run.overwrite,
                 "Replace the checkpoint in the output folder, with its "
                 "metrics and pictures (without this, train refuses to)")
      ->excludes(resume);
  train->add_flag("--by-order", run.byOrder,
                  "init ... from a Keras weights file (.h5) matches the "
                  "model's layers with parameters to the file's with weights "
                  "in order, not by name (Keras 2 files only: Keras 3's "
                  "record no order)");

  CLI::App *sweep = app.add_subcommand(
      "sweep", "Train every point of --set lists (NAME=V1,V2,...), each "
               "--repeat times, as train would; write results.csv and "
               "summary.md. Rerun to continue an interrupted sweep");
  SweepOptions sweepOptions;
  addRunOptions(sweep, nullptr,
                "The sweep's folder, a folder per point and run inside "
                "(default: out/MODEL/sweep)");
  sweep
      ->add_option("--epochs", run.epochs,
                   "Epochs of each run, 0 or more (default: the train "
                   "block's)")
      ->check(wholeNumber<int64_t>(0))
      ->type_name("N");
  sweep
      ->add_option("--seed", run.seed,
                   "The sweep's seed, from 0 to 2^64-1; run R of every point "
                   "gets a seed derived from it (default: the one the "
                   "folder's sweep has, else the train block's, else a "
                   "fresh one)")
      ->check(wholeNumber<uint64_t>(0))
      ->type_name("S");
  sweep
      ->add_option("--repeat", sweepOptions.repeat,
                   "Runs per point, each with its own seed (default 1)")
      ->check(wholeNumber<int64_t>(1, 1000))
      ->type_name("N");
  sweep->add_flag("--zip", sweepOptions.zip,
                  "Take the i-th value of every list together instead of "
                  "every combination");
  sweep->add_option("--metric", sweepOptions.metric,
                    "The metrics.csv column the tables rank by (default: "
                    "val_loss, else loss)");
  sweep->add_flag("--yes", sweepOptions.yes,
                  "Run a sweep of more than " +
                      std::to_string(kMaxSweepRunsUnasked) + " runs");

  // Inference gives a VAE's mu; asked, it draws z as training does.
  auto addSampleOptions = [&](CLI::App *cmd) {
    CLI::Option *sample =
        cmd->add_flag("--sample", run.sample,
                      "Draw the codes of sample_normal layers, z = mu + "
                      "exp(logvar / 2) * eps, instead of taking mu");
    cmd->add_option("--seed", run.seed,
                    "Seed of --sample's draws, from 0 to 2^64-1 (default: "
                    "the train block's, else a fresh one, printed)")
        ->check(wholeNumber<uint64_t>(0))
        ->type_name("S")
        ->needs(sample);
  };
  CLI::App *eval = app.add_subcommand(
      "eval", "Print the loss and metrics of trained weights on the "
              "validation data");
  addRunOptions(eval);
  eval->add_option("--weights", run.weights, "The checkpoint to evaluate")
      ->required();
  addSampleOptions(eval);

  CLI::App *predict = app.add_subcommand(
      "predict", "Run trained weights on the validation data; write every "
                 "named output and a picture of the reconstructions");
  addRunOptions(predict);
  predict->add_option("--weights", run.weights, "The checkpoint to run")
      ->required();
  addSampleOptions(predict);
  predict
      ->add_option("--inputs", run.inputs,
                   "A safetensors file holding the samples to predict, one "
                   "tensor [N, ...] per input the layers read (named as the "
                   "input), instead of the validation data")
      ->check(CLI::ExistingFile);

  CLI::App *probe = app.add_subcommand(
      "probe", "Train a linear SVM (liblinear) on the codes of the training "
               "data and on its raw inputs; print both accuracies on the "
               "validation data");
  addRunOptions(probe);
  probe->add_option("--weights", run.weights, "The checkpoint to encode with")
      ->required();
  probe->add_option("--value", run.value,
                    "The value whose codes to probe (default: the one the "
                    "encoder block ends with)");

  DecodeOptions decodeOptions;
  auto addSubModelOptions = [&](CLI::App *cmd, const char *out) {
    addRunOptions(cmd, out);
    cmd->add_option("--weights", run.weights, "The trained checkpoint")
        ->required();
  };
  CLI::App *encode = app.add_subcommand(
      "encode", "Run the encoder of trained weights on the validation data; "
                "write the codes (and labels, when the data has them)");
  addSubModelOptions(encode, "The file to write: .safetensors, .npy or .csv "
                             "(default: out/MODEL/codes.safetensors)");
  encode
      ->add_option("--inputs", run.inputs,
                   "A safetensors file of the samples to encode, one tensor "
                   "[N, ...] per input (named as the input), instead of the "
                   "validation data")
      ->check(CLI::ExistingFile);
  encode->add_option("--value", run.value,
                     "The value to compute (default: the one the encoder "
                     "block ends with)");
  addSampleOptions(encode);
  CLI::App *decode = app.add_subcommand(
      "decode", "Run the decoder of trained weights alone on given, random "
                "or grid codes; write the outputs and, for images, a PNG "
                "grid");
  addSubModelOptions(decode, "The file to write: .safetensors, .npy or .csv, "
                             "the PNG beside it (default: "
                             "out/MODEL/decoded.safetensors)");
  CLI::Option *codesOption =
      decode
          ->add_option("--codes", decodeOptions.codes,
                       "A safetensors file of codes [N, ...], as aec encode "
                       "writes")
          ->check(CLI::ExistingFile);
  CLI::Option *randomOption =
      decode
          ->add_option("--random", decodeOptions.random,
                       "Decode N codes drawn from N(0, I)")
          ->check(wholeNumber<int64_t>(1, kMaxBatch))
          ->type_name("N");
  CLI::Option *gridOption =
      decode
          ->add_option("--grid", decodeOptions.grid,
                       "Decode a K x K grid of a 2-D latent at normal "
                       "quantiles from 0.05 to 0.95 (K from 1 to 100)")
          ->check(wholeNumber<int64_t>(1, 100))
          ->type_name("K");
  codesOption->excludes(randomOption)->excludes(gridOption);
  randomOption->excludes(gridOption);
  decode
      ->add_option("--noise", decodeOptions.noise,
                   "Add Gaussian noise of this standard deviation to the "
                   "codes")
      ->check(CLI::NonNegativeNumber)
      ->type_name("S");
  decode
      ->add_option("--seed", decodeOptions.seed,
                   "Seed of the random codes and the noise (default 0)")
      ->check(wholeNumber<uint64_t>(0))
      ->type_name("S");

  CLI::App *exportCmd = app.add_subcommand(
      "export", "Compile trained weights' inference ahead of time: a shared "
                "library, an object file and a C header, for C and C++ "
                "programs without aec, MLIR or LLVM");
  addFile(exportCmd);
  ExportOptions exportOptions;
  exportCmd->add_option("--model", run.model,
                        "The model to export (default: the first with a "
                        "train block)");
  exportCmd->add_option("--weights", run.weights, "The trained checkpoint")
      ->required();
  exportCmd
      ->add_option("--entry", exportOptions.entries,
                   "The functions to export, comma-separated: predict (the "
                   "inputs to what the losses compare), encode (the encoder "
                   "block), decode (the decoder block); default predict")
      ->delimiter(',')
      ->check(CLI::IsMember({"predict", "encode", "decode"}))
      ->type_name("E[,E...]");
  std::string exportBatch = "dynamic";
  exportCmd
      ->add_option("--batch", exportBatch,
                   "Rows each compiled program runs at once, any number per "
                   "call either way: N (the last rows padded), or dynamic, "
                   "the default (the train block's batch, and 1 for the "
                   "rows left over)")
      ->check(CLI::IsMember({"dynamic"}) | wholeNumber<int64_t>(1, kMaxBatch))
      ->option_text("N|dynamic");
  exportCmd
      ->add_option("--format", exportOptions.format,
                   "so (default): a shared library, an object file and a C "
                   "header; onnx: an ONNX model (opset 17) per entry, "
                   "MODEL_ENTRY.onnx; keras-weights: the weights as Keras 3's "
                   "MODEL.weights.h5")
      ->check(CLI::IsMember({"so", "onnx", "keras-weights"}))
      ->option_text("so|onnx|keras-weights");
  exportCmd->add_flag("--embed-weights", exportOptions.embedWeights,
                      "Compile the weights into the library (default: it "
                      "reads MODEL.safetensors, written beside it, at open)");
  exportCmd->add_option("--out", run.outDir,
                        "Folder to write to (default: out/MODEL/export)");
  exportCmd->add_flag("--overwrite", run.overwrite,
                      "Replace an export already in the folder");
  addBackend(exportCmd, runBackend,
             "Where heavy ops run: onednn (oneDNN's kernels, the default; "
             "the library links libdnnl) or loops (all compiled code)");

  CLI::App *generate = app.add_subcommand(
      "generate", "Sample text or names from a trained character model");
  addFile(generate);
  GenerateOptions gen;
  std::string generateBackend = "onednn";
  generate
      ->add_option("--weights", gen.weights,
                   "The checkpoint, trained on text(...) data (it holds the "
                   "vocabulary)")
      ->required();
  generate->add_option("--model", gen.model,
                       "The model (default: the first with a chars input)");
  generate->add_option("--prime", gen.prime,
                       "Text the model continues (default: a window of "
                       "newlines)");
  generate
      ->add_option("--length", gen.length,
                   "Characters to generate (default 400); with --count, the "
                   "most characters of one name (default 40)")
      ->check(wholeNumber<int64_t>(1))
      ->type_name("N");
  generate
      ->add_option("--temperature", gen.temperature,
                   "Above 0: below 1 picks likelier characters, above 1 "
                   "more surprising ones (default 1)")
      ->check(positiveReal())
      ->type_name("T");
  generate
      ->add_option("--seed", gen.seed,
                   "Seed of the draws, from 0 to 2^64-1: the same seed "
                   "repeats the text (default: random)")
      ->check(wholeNumber<uint64_t>(0))
      ->type_name("S");
  generate
      ->add_option("--count", gen.count,
                   "Generate K names, one per line, each ending at a newline")
      ->check(wholeNumber<int64_t>(1))
      ->type_name("K");
  addBackend(generate, generateBackend,
             "Where heavy ops run: onednn (default) or loops");

  // aec's errors all read "aec: error: ..." and exit 1.
  app.failure_message([](const CLI::App *, const CLI::Error &e) {
    return "aec: error: " + std::string(e.what()) +
           "\nRun with --help or --help-all for more information.\n";
  });
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError &e) {
    return app.exit(e) == 0 ? 0 : 1;
  }
  run.backend = backendNamed(runBackend);

  gen.backend = backendNamed(generateBackend);

  Frontend fe;
  if (*check)
    return runFrontend(file, fe, sets) ? 0 : 1;
  if (*encode || *decode) {
    if (!runFrontend(file, fe, sets, /*check=*/true, run.weights))
      return 1;
    try {
      return *encode ? runEncode(*fe.file, fe.program, run)
                     : runDecode(*fe.file, fe.program, run, decodeOptions);
    } catch (const std::bad_alloc &) {
      std::cerr << "aec: error: out of memory: an allocation failed; use a "
                   "smaller --batch or --limit\n";
      return 1;
    }
  }
  if (*exportCmd) {
    if (!runFrontend(file, fe, sets, /*check=*/true, run.weights))
      return 1;
    if (exportBatch != "dynamic")
      exportOptions.batch = std::stoll(exportBatch);
    // One function per entry, however often it was named.
    std::vector<std::string> unique;
    for (const std::string &e : exportOptions.entries)
      if (std::find(unique.begin(), unique.end(), e) == unique.end())
        unique.push_back(e);
    exportOptions.entries = unique;
    try {
      return runExport(*fe.file, fe.program, run, exportOptions);
    } catch (const std::bad_alloc &) {
      std::cerr << "aec: error: out of memory: an allocation failed\n";
      return 1;
    }
  }
  if (*generate) {
    if (!runFrontend(file, fe, sets, /*check=*/true, gen.weights))
      return 1;
    try {
      return runGenerate(*fe.file, fe.program, gen);
    } catch (const std::bad_alloc &) {
      std::cerr << "aec: error: out of memory: an allocation failed\n";
      return 1;
    }
  }
  if (*sweep) {
    // Each point binds its own values: the file is only parsed here.
    if (!runFrontend(file, fe, {}, /*check=*/false))
      return 1;
    sweepOptions.sets = sets;
    sweepOptions.run = run;
    for (int i = 0; i < argc; ++i)
      sweepOptions.command +=
          (i ? " " : "") + (i ? shellQuoted(argv[i]) : std::string("aec"));
    // mpirun: the processes share the sweep's runs.
    if (!joinProcesses(sweepOptions.group))
      return 1;
    try {
      return runSweep(*fe.file, sweepOptions);
    } catch (const std::bad_alloc &) {
      std::cerr << "aec: error: out of memory: an allocation failed; use a "
                   "smaller --batch, --limit or model\n";
      return 1;
    }
  }
  if (*train || *eval || *predict || *probe) {
    if (!runFrontend(file, fe, sets, /*check=*/true,
                     *train ? std::string() : run.weights))
      return 1;
    // mpirun: the processes train together, each on a shard of every
    // batch; rank 0 alone prints progress and writes the results.
    if (*train) {
      if (!joinProcesses(run.group))
        return 1;
      if (run.group && !run.group->isRoot())
        std::cout.setstate(std::ios::badbit);
    }
    // The memory estimate refuses runs that cannot fit; an allocation can
    // still fail (the estimate is rough, other processes grow), and that is
    // an error to report, not a crash.
    try {
      if (*train)
        return runTrain(*fe.file, fe.program, run);
      if (*eval)
        return runEval(*fe.file, fe.program, run);
      if (*probe)
        return runProbe(*fe.file, fe.program, run);
      return runPredict(*fe.file, fe.program, run);
    } catch (const std::bad_alloc &) {
      std::cerr << "aec: error: out of memory: an allocation failed; use a "
                   "smaller --batch, --limit or model\n";
      return 1;
    }
  }

  if (*summary) {
    if (!runFrontend(file, fe, sets))
      return 1;
    bool printed = false;
    for (size_t i = 0; i < fe.program.models.size(); ++i) {
      if (!modelName.empty() && fe.program.models[i].name != modelName)
        continue;
      if (printed)
        std::cout << '\n';
      printSummary(fe.program, static_cast<int>(i), std::cout);
      printed = true;
    }
    if (!printed) {
      std::cerr << "aec: error: no model named '" << modelName << "' in "
                << file << '\n';
      return 1;
    }
    // The values of the file's `param`s in effect, which --set may change.
    if (!fe.program.params.empty()) {
      std::cout << "\nparam values:";
      for (size_t i = 0; i < fe.program.params.size(); ++i)
        std::cout << (i ? ", " : " ") << fe.program.params[i].name << " = "
                  << fe.program.params[i].text;
      std::cout << '\n';
    }
    return 0;
  }

  // compile --emit=ast prints the tree of any file that parses, so the
  // parser can be tested apart from the checks.
  if (emit == "ast") {
    if (!phaseName.empty()) {
      std::cerr << "aec: error: --phase " << phaseName
                << ": --emit=ast prints the file as parsed, before any "
                   "phase is chosen\n";
      return 1;
    }
    if (!runFrontend(file, fe, sets, /*check=*/false))
      return 1;
    dumpAST(fe.ast, *fe.file, std::cout);
    return 0;
  }
  if (!runFrontend(file, fe, sets))
    return 1;
  int model = modelName.empty() ? 0 : fe.program.findModel(modelName);
  if (model < 0) {
    std::cerr << "aec: error: no model named '" << modelName << "' in "
              << file << '\n';
    return 1;
  }
  if (!phaseName.empty() && !selectPhase(fe.program, model, phaseName))
    return 1;
  Stage stage = emit == "aenet"    ? Stage::Aenet
                : emit == "grad"   ? Stage::Grad
                : emit == "onednn" ? Stage::OneDNN
                : emit == "linalg" ? Stage::Linalg
                                   : Stage::Llvm;
  CompileOptions options;
  options.batch = batch;
  options.backend =
      emit == "onednn" ? Backend::OneDNN : backendNamed(compileBackend);
  if (compileSample) {
    const ModelGraph &graph = fe.program.models[model];
    if (!graph.hasLayerOf(LayerKind::SampleNormal)) {
      std::cerr << "aec: error: " << file << ": model '" << graph.name
                << "' has no sample_normal layer for --sample to draw from\n";
      return 1;
    }
    options.sampleSeed = compileSeed;
  }
  return printStage(*fe.file, fe.program, model, stage, options, std::cout)
             ? 0
             : 1;
}

int main(int argc, char **argv) {
  preferPassiveOpenMP(argv);
  // Before any thread exists, so that all of them inherit the blocked mask.
  aenet::rt::watchInterrupts();
  int code = runCommand(argc, argv);
  // Under mpirun, MPI ends with the command (after a failure of this rank
  // alone, it ends every rank).
  if (const aenet::rt::ProcessGroup *group =
          aenet::rt::ProcessGroup::started())
    return group->end(code);
  return code;
}
