//===- Export.cpp - aec export: a trained model as a C library ------------===//
//
// Compiles the inference functions a user asks for (predict, encode,
// decode: sub-models from the values they read to the values they give,
// as `aec predict`/`encode`/`decode` run them) ahead of time into one object
// file, and writes beside it a C header and the C tables of ExportAbi.h,
// which the system's C compiler builds and links with libaenet-export into
// a shared library. Everything is written into a scratch folder first and
// moved into place, file by file with the library last, only when all of it
// was built: a failed build leaves nothing of itself in the folder.
//
//===----------------------------------------------------------------------===//

#include "Codes.h"
#include "ExportCSource.h"
#include "KerasWeights.h"
#include "OnnxExport.h"
#include "RunSetup.h"

#include "aenet/Driver/Commands.h"
#include "aenet/Pipeline/ObjectCode.h"
#include "aenet/Runtime/AtomicFile.h"
#include "aenet/Runtime/Checkpoint.h"
#include "aenet/Runtime/Errors.h"

#include "llvm/Support/Program.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <unistd.h>

namespace fs = std::filesystem;

namespace aenet {

namespace {

/// The values a model predicts: what its losses compare with a target (not
/// a kl_normal term's mu), else its last layer's result.
std::vector<int> predictedValues(const ModelGraph &graph) {
  std::vector<int> values;
  for (const LossInfo &loss : graph.losses)
    if (loss.kind != LossKind::KLNormal &&
        graph.values[loss.value].producer >= 0 &&
        !std::count(values.begin(), values.end(), loss.value))
      values.push_back(loss.value);
  if (values.empty() && !graph.layers.empty())
    values.push_back(graph.layers.back().result);
  return values;
}

/// The inputs the layers making |to| read, in the model's order.
std::vector<int> inputsReadBy(const ModelGraph &graph,
                              const std::vector<int> &to) {
  std::vector<int> from;
  for (const InputInfo &input : graph.inputs)
    for (int v : to) {
      std::vector<int> read = inputsRead(graph, v);
      if (std::count(read.begin(), read.end(), input.value) &&
          !std::count(from.begin(), from.end(), input.value))
        from.push_back(input.value);
    }
  return from;
}

/// Fills |entry|'s values from its name; prints and fails when |graph| has
/// no such entry.
bool chooseValues(const SourceFile &file, const ModelGraph &graph,
                  ExportEntry &entry) {
  if (entry.name == "predict") {
    entry.to = predictedValues(graph);
    entry.from = inputsReadBy(graph, entry.to);
    return !entry.to.empty();
  }
  const BlockInfo *block = graph.findBlock(
      entry.name == "encode" ? "encoder" : "decoder");
  if (!block || block->endLayer <= block->firstLayer) {
    std::cerr << "aec: error: " << file.path() << ": model '" << graph.name
              << "' has no " << (entry.name == "encode" ? "encoder" : "decoder")
              << " block, so it has no entry '" << entry.name << "'\n";
    return false;
  }
  entry.to = {graph.layers[block->endLayer - 1].result};
  entry.from = entry.name == "encode" ? inputsReadBy(graph, entry.to)
                                      : std::vector<int>{block->from};
  return true;
}

/// A scratch folder inside |parent|, removed with everything in it unless
/// kept.
class Scratch {
public:
  explicit Scratch(const fs::path &parent) {
    std::string pattern = (parent / ".aec-export-XXXXXX").string();
    if (!mkdtemp(pattern.data()))
      throw rt::OutputError(parent.string(),
                            "cannot make a scratch folder: " +
                                rt::errnoText(errno));
    path_ = pattern;
  }
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  fs::path file(const std::string &name) const { return path_ / name; }

private:
  fs::path path_;
};

void writeFile(const fs::path &path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out.flush())
    throw rt::OutputError(path.string(), "cannot write: " +
                                             rt::errnoText(errno));
}

/// Runs |args| (the first is the program's path), its output to |log|;
/// throws naming |what| with that output when it fails.
void run(const std::vector<std::string> &args, const fs::path &log,
         const std::string &what) {
  std::vector<llvm::StringRef> refs(args.begin(), args.end());
  std::string logPath = log.string();
  std::optional<llvm::StringRef> redirects[] = {std::nullopt, logPath,
                                                logPath};
  std::string problem;
  bool notStarted = false;
  int status = llvm::sys::ExecuteAndWait(args[0], refs, std::nullopt,
                                         redirects, /*SecondsToWait=*/600, 0,
                                         &problem, &notStarted);
  if (status == 0)
    return;
  std::ifstream in(log);
  std::string output((std::istreambuf_iterator<char>(in)),
                     std::istreambuf_iterator<char>());
  std::string command;
  for (const std::string &a : args)
    command += (command.empty() ? "" : " ") + a;
  throw rt::OutputError(what, (notStarted ? "cannot run " : "failed: ") +
                                  command + (problem.empty() ? "" : ": ") +
                                  problem + "\n" + output);
}

/// The C compiler and its arguments: $CC split at spaces ("ccache gcc",
/// "gcc -m64"), else cc.
std::vector<std::string> cCompiler() {
  const char *cc = std::getenv("CC");
  std::istringstream words(cc && *cc ? cc : "cc");
  std::vector<std::string> command;
  for (std::string word; words >> word;)
    command.push_back(word);
  if (command.empty())
    command.push_back("cc");
  llvm::ErrorOr<std::string> found = llvm::sys::findProgramByName(command[0]);
  if (!found)
    throw rt::OutputError(command[0],
                          "no C compiler of that name on PATH (aec export "
                          "links the library with it; set CC)");
  command[0] = *found;
  return command;
}

/// |compiler| followed by |args|.
std::vector<std::string> with(const std::vector<std::string> &compiler,
                              std::vector<std::string> args) {
  args.insert(args.begin(), compiler.begin(), compiler.end());
  return args;
}

/// `--format onnx`: an ONNX model per entry, each written atomically.
int writeOnnx(const SourceFile &file, const ModelGraph &graph,
              const std::vector<ExportEntry> &entries,
              const RunOptions &options, const fs::path &dir) {
  std::string c = cName(graph.name);
  auto path = [&](const ExportEntry &e) {
    return dir / (c + "_" + e.name + ".onnx");
  };
  if (!options.overwrite)
    for (const ExportEntry &entry : entries)
      if (fs::exists(path(entry))) {
        std::cerr << "aec: error: " << path(entry).string()
                  << " exists; --overwrite replaces it\n";
        return 1;
      }
  try {
    rt::Checkpoint weights = rt::loadSafetensors(options.weights);
    // Every model first: nothing is written unless all of them are good.
    std::vector<std::string> models;
    for (const ExportEntry &entry : entries)
      models.push_back(onnxModel(graph, entry.from, entry.to, weights,
                                 options.weights, file.path()));
    fs::create_directories(dir);
    std::string written;
    for (size_t e = 0; e < entries.size(); ++e) {
      std::string problem =
          rt::writeFileAtomically(path(entries[e]).string(), models[e]);
      if (!problem.empty())
        throw rt::OutputError(path(entries[e]).string(), problem);
      written += (e ? ", " : "") + path(entries[e]).string();
    }
    std::cout << "Wrote " << written << " (ONNX opset " << kOnnxOpset
              << ")\n";
  } catch (const std::exception &e) {
    std::cerr << "aec: error: " << e.what() << '\n';
    return 1;
  }
  return 0;
}

/// `--format keras-weights`: the model's weights as Keras 3's
/// MODEL.weights.h5, for `model.load_weights` of the same model in Keras.
int writeKerasWeights(const ModelGraph &graph, const RunOptions &options,
                      const fs::path &dir) {
  fs::path path = dir / (cName(graph.name) + ".weights.h5");
  if (!options.overwrite && fs::exists(path)) {
    std::cerr << "aec: error: " << path.string()
              << " exists; --overwrite replaces it\n";
    return 1;
  }
  try {
    std::vector<rt::KerasLayer> layers = kerasLayersOf(
        graph, rt::loadSafetensors(options.weights), options.weights);
    fs::create_directories(dir);
    rt::saveKerasWeights(path.string(), layers);
    std::cout << "Wrote " << path.string() << " (Keras 3 weights of "
              << layers.size() << " layers)\n";
  } catch (const std::exception &e) {
    std::cerr << "aec: error: " << e.what() << '\n';
    return 1;
  }
  return 0;
}

} // namespace

int runExport(const SourceFile &file, const CheckedProgram &program,
              const RunOptions &options, const ExportOptions &exportOptions) {
  if (options.weights.empty()) {
    std::cerr << "aec: error: --weights is required\n";
    return 1;
  }
  RunSetup setup;
  if (!prepareWithoutData(file, program, options, setup))
    return 1;
  const ModelGraph &graph = setup.graph();
  std::vector<ExportEntry> entries;
  for (const std::string &name : exportOptions.entries) {
    ExportEntry entry;
    entry.name = name;
    if (!chooseValues(file, graph, entry))
      return 1;
    entries.push_back(std::move(entry));
  }
  std::string c = identifier(graph.name);
  fs::path dir = options.outDir.empty() ? fs::path(setup.outDir) / "export"
                                        : fs::path(options.outDir);
  if (exportOptions.format == "onnx")
    return writeOnnx(file, graph, entries, options, dir);
  if (exportOptions.format == "keras-weights")
    return writeKerasWeights(graph, options, dir);
  std::vector<std::string> names = {c + ".h", c + ".o", "lib" + c + ".so",
                                    "libaenet-export.a"};
  if (!exportOptions.embedWeights)
    names.push_back(c + ".safetensors");
  if (!options.overwrite)
    for (const std::string &name : names)
      if (fs::exists(dir / name)) {
        std::cerr << "aec: error: " << (dir / name).string()
                  << " exists; --overwrite replaces the export in "
                  << dir.string() << '\n';
        return 1;
      }
  rt::Checkpoint checkpoint;
  try {
    checkpoint = rt::loadSafetensors(options.weights);
  } catch (const rt::FileError &e) {
    std::cerr << "aec: error: " << e.what() << '\n';
    return 1;
  }

  // The programs: each entry at the chosen batch, and at 1 for the rows a
  // call leaves over when the batch is dynamic.
  ObjectCode code;
  int64_t batch = exportOptions.batch > 0 ? exportOptions.batch
                                          : setup.plan.batch;
  std::vector<int64_t> batches = {batch};
  if (exportOptions.batch == 0 && batch > 1)
    batches.push_back(1);
  for (ExportEntry &entry : entries) {
    for (int64_t b : batches) {
      CompileOptions compile;
      compile.batch = b;
      compile.backend = options.backend;
      compile.from = entry.from;
      compile.to = entry.to;
      std::string symbol =
          "aenet_" + c + "_" + entry.name + "_b" + std::to_string(b);
      std::optional<EntryPoint> compiled = code.add(
          file, setup.program, setup.model, compile, "submodel", symbol);
      if (!compiled)
        return 1;
      for (const BufferSlot &slot : compiled->slots)
        if (!slotKindName(slot.kind)) {
          std::cerr << "aec: error: " << file.path() << ": entry '"
                    << entry.name << "' of model '" << graph.name
                    << "' reads '" << slot.name
                    << "', which an exported library cannot give it\n";
          return 1;
        }
      entry.programs.push_back(std::move(*compiled));
      entry.batches.push_back(b);
      entry.symbols.push_back(symbol);
    }
  }

  // The weights the programs read, checked against the checkpoint, in a
  // safetensors file of their own.
  std::vector<rt::NamedTensor> weights;
  std::set<std::string> seen;
  for (const ExportEntry &entry : entries)
    for (const EntryPoint &p : entry.programs)
      for (const BufferSlot &slot : p.slots) {
        if (slot.kind != BufferSlot::Kind::Param ||
            !seen.insert(slot.name).second)
          continue;
        const rt::NamedTensor *t = checkpoint.find(slot.name);
        if (!t || t->shape != slot.shape) {
          std::cerr << "aec: error: " << options.weights << ": "
                    << (t ? "tensor '" + slot.name + "' has shape " +
                                rt::shapeText(t->shape) + "; model '" +
                                graph.name + "' takes " +
                                rt::shapeText(slot.shape)
                          : "has no tensor '" + slot.name + "' " +
                                rt::shapeText(slot.shape) + " of model '" +
                                graph.name + "'")
                    << " (is it a checkpoint of this model?)\n";
          return 1;
        }
        weights.push_back(*t);
      }

  try {
    fs::create_directories(dir);
    Scratch scratch(dir);
    fs::path weightsFile = scratch.file(c + ".safetensors");
    rt::saveSafetensors(weightsFile.string(), weights,
                        {{"model", graph.name}, {"weights", options.weights}});
    std::string weightBytes;
    {
      std::ifstream in(weightsFile, std::ios::binary);
      weightBytes.assign(std::istreambuf_iterator<char>(in),
                         std::istreambuf_iterator<char>());
    }
    if (exportOptions.embedWeights) {
      code.addBytes("aenet_" + c + "_weights", weightBytes);
      fs::remove(weightsFile);
    }
    std::optional<std::string> object = code.emit();
    if (!object)
      return 1;
    writeFile(scratch.file("code.o"), *object);
    writeFile(scratch.file(c + ".h"),
              headerText(graph.name, file.path(), options.weights,
                         exportOptions.embedWeights, options.backend,
                         entries));
    writeFile(scratch.file("glue.c"),
              glueText(graph.name, exportOptions.embedWeights, entries,
                       weightBytes.size()));
    writeFile(scratch.file(c + ".map"),
              "{\n  global:\n    " + c + "_open;\n    " + c + "_close;\n    " +
                  c + "_error;\n" + [&] {
                    std::string list;
                    for (const ExportEntry &e : entries)
                      list += "    " + c + "_" + e.name + ";\n";
                    return list;
                  }() + "  local: *;\n};\n");
    std::vector<std::string> cc = cCompiler();
    fs::path log = scratch.file("cc.log");
    std::string glueObject = scratch.file("glue.o").string();
    run(with(cc, {"-c", "-O2", "-fPIC", "-fvisibility=hidden",
                  "-I" + scratch.file("").string(),
                  "-I" AEC_RUNTIME_INCLUDE_DIR,
                  scratch.file("glue.c").string(), "-o", glueObject}),
        log, "compiling the tables of " + c);
    run(with(cc, {"-r", "-nostdlib", scratch.file("code.o").string(),
                  glueObject, "-o", scratch.file(c + ".o").string()}),
        log, "linking " + c + ".o");
    fs::copy_file(AEC_EXPORT_ARCHIVE, scratch.file("libaenet-export.a"));
    run(with(cc, {"-shared", "-o", scratch.file("lib" + c + ".so").string(),
                  scratch.file(c + ".o").string(), AEC_EXPORT_ARCHIVE,
                  "-Wl,--version-script=" + scratch.file(c + ".map").string(),
                  "-Wl,--no-undefined", "-Wl,--as-needed", "-ldnnl",
                  "-fopenmp", "-lstdc++", "-lm", "-lz"}),
        log, "linking lib" + c + ".so");
    // Everything is built: move it into place, the library last.
    std::rotate(names.begin(), names.begin() + 3, names.end());
    for (const std::string &name : names)
      fs::rename(scratch.file(name), dir / name);
  } catch (const std::exception &e) {
    std::cerr << "aec: error: " << e.what() << '\n';
    return 1;
  }
  std::cout << "Wrote " << (dir / ("lib" + c + ".so")).string() << ", "
            << c << ".o and " << c << ".h (";
  for (size_t e = 0; e < entries.size(); ++e)
    std::cout << (e ? ", " : "") << c << "_" << entries[e].name;
  std::cout << "; batches of " << batch
            << (batches.size() > 1 ? " and 1" : "") << ", weights "
            << (exportOptions.embedWeights
                    ? "embedded"
                    : "in " + (dir / (c + ".safetensors")).string())
            << ")\n";
  return 0;
}

} // namespace aenet
