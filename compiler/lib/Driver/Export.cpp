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
#include <cctype>
#include <ctime>
#include <iomanip>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <unistd.h>

namespace fs = std::filesystem;

namespace aenet {

namespace {

/// An entry of the header: the values it reads and gives.
struct ExportEntry {
  std::string name;
  std::vector<int> from, to;
  /// Its programs, the largest batch first, with their code's symbols.
  std::vector<EntryPoint> programs;
  std::vector<int64_t> batches;
  std::vector<std::string> symbols;
};

/// |name| as a C identifier: letters, digits and underscores.
std::string cName(const std::string &name) {
  std::string out;
  for (char c : name)
    out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  if (out.empty() || std::isdigit(static_cast<unsigned char>(out[0])))
    out = "_" + out;
  return out;
}

std::string upper(std::string s) {
  for (char &c : s)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

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

/// The C type of a shape's initializer: "{28, 28, 1}".
std::string dimsText(const std::vector<int64_t> &dims) {
  std::string s = "{";
  for (size_t i = 0; i < dims.size(); ++i)
    s += (i ? ", " : "") + std::to_string(dims[i]);
  return s + "}";
}

std::string sizeText(const std::vector<int64_t> &dims) {
  int64_t n = 1;
  for (int64_t d : dims)
    n *= d;
  return std::to_string(n);
}

/// The per-row shape of |slot| (its shape without the batch).
std::vector<int64_t> rowShape(const BufferSlot &slot) {
  return std::vector<int64_t>(slot.shape.begin() + 1, slot.shape.end());
}

/// Whether |name| would not do as a C identifier in the header: a C or C++
/// keyword (the header is C++ too), a name of <stdint.h>, or the entry
/// functions' own parameters.
bool reserved(const std::string &name) {
  static const std::set<std::string> words = {
      "alignas", "alignof", "and", "asm", "auto", "bool", "break", "case",
      "catch", "char", "class", "const", "constexpr", "continue", "default",
      "delete", "do", "double", "else", "enum", "explicit", "export",
      "extern", "false", "float", "for", "friend", "goto", "if", "inline",
      "int", "long", "mutable", "namespace", "new", "noexcept", "not",
      "nullptr", "operator", "or", "private", "protected", "public",
      "register", "restrict", "return", "short", "signed", "sizeof",
      "static", "struct", "switch", "template", "this", "throw", "true",
      "try", "typedef", "typeid", "typename", "union", "unsigned", "using",
      "virtual", "void", "volatile", "while", "xor", "int8_t", "int16_t",
      "int32_t", "int64_t", "uint8_t", "uint16_t", "uint32_t", "uint64_t",
      "model", "batch"};
  return words.count(name) > 0;
}

/// |name| as an identifier of the header: cName, and a keyword or reserved
/// name with an underscore after it.
std::string identifier(const std::string &name) {
  std::string n = cName(name);
  return reserved(n) ? n + "_" : n;
}

/// The argument names of entry point |p|'s inputs and outputs, in slot
/// order: identifiers, no two alike even upper-cased (the header's macros
/// are), the later of two that would be numbered.
std::vector<std::string> argumentNames(const EntryPoint &p) {
  std::vector<std::string> names;
  std::set<std::string> taken;
  for (const BufferSlot &slot : p.slots) {
    if (slot.kind != BufferSlot::Kind::Input &&
        slot.kind != BufferSlot::Kind::Output)
      continue;
    std::string n = identifier(slot.name);
    for (int k = 2; taken.count(upper(n)); ++k)
      n = identifier(slot.name) + "_" + std::to_string(k);
    taken.insert(upper(n));
    names.push_back(n);
  }
  return names;
}

/// |text| safe inside a C comment.
std::string commentSafe(std::string text) {
  for (size_t at; (at = text.find("*/")) != std::string::npos;)
    text.replace(at, 2, "* /");
  return text;
}

/// The C header of the library.
std::string headerText(const std::string &model, const std::string &source,
                       const std::string &weights, bool embedded,
                       Backend backend, const std::vector<ExportEntry> &entries) {
  std::string c = identifier(model), C = upper(c);
  std::ostringstream h;
  std::time_t now = std::time(nullptr);
  char date[32];
  std::strftime(date, sizeof(date), "%Y-%m-%d", std::gmtime(&now));
  h << "/* " << c << ".h: model '" << model << "' of " << commentSafe(source)
    << ", as `aec export` compiled it on " << date << ".\n"
    << " *\n"
    << " * Weights: "
    << (embedded ? "compiled into the library (from " + commentSafe(weights) +
                       "); " + c + "_open(NULL) uses them"
                 : "read at " + c + "_open from a safetensors file (" + c +
                       ".safetensors, from " + commentSafe(weights) + ")")
    << ".\n"
    << " * Machine code for the CPU '" << ObjectCode::targetCpu()
    << "' (the exporting machine's) and CPUs with its instructions.\n"
    << (backend == Backend::OneDNN
            ? " * Backend onednn: the library calls oneDNN's kernels "
              "(libdnnl.so.2, OpenMP).\n"
            : " * Backend loops: the code is all loops; no oneDNN.\n")
    << " * Any number of rows per call, each row alone (inference: a\n"
    << " * recurrent layer starts every row from a zero state). A model\n"
    << " * handle is used by one thread at a time; open one per thread.\n"
    << " * Every entry returns 0, or -1 with " << c
    << "_error() saying why; a kernel\n"
    << " * oneDNN cannot build, or memory that runs out, ends the process.\n"
    << " */\n"
    << "#ifndef " << C << "_H\n#define " << C << "_H\n\n"
    << "#include <stdint.h>\n\n"
    << "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n"
    << "typedef struct " << c << " " << c << ";\n\n"
    << "/* Loads the weights from |weights_path|"
    << (embedded ? ", or the embedded ones when it is NULL" : "")
    << ".\n   NULL on an error: " << c << "_error() says which. */\n"
    << c << " *" << c << "_open(const char *weights_path);\n"
    << "void " << c << "_close(" << c << " *model);\n"
    << "/* The last error of the calling thread, or \"\". */\n"
    << "const char *" << c << "_error(void);\n";
  for (const ExportEntry &entry : entries) {
    const EntryPoint &p = entry.programs.front();
    std::string E = C + "_" + upper(entry.name);
    h << "\n/* " << entry.name << ":";
    std::string args;
    std::vector<std::string> names = argumentNames(p);
    size_t next = 0;
    for (const BufferSlot &slot : p.slots) {
      if (slot.kind != BufferSlot::Kind::Input &&
          slot.kind != BufferSlot::Kind::Output)
        continue;
      bool in = slot.kind == BufferSlot::Kind::Input;
      std::vector<int64_t> row = rowShape(slot);
      const std::string &name = names[next++];
      h << "\n   " << (in ? "reads " : "writes") << " " << name;
      if (name != slot.name)
        h << " ('" << commentSafe(slot.name) << "')";
      h << " [batch";
      for (int64_t d : row)
        h << ", " << d;
      h << "]";
      args += std::string(in ? "const float *" : "float *") + name + ", ";
    }
    h << " */\n";
    next = 0;
    for (const BufferSlot &slot : p.slots) {
      if (slot.kind != BufferSlot::Kind::Input &&
          slot.kind != BufferSlot::Kind::Output)
        continue;
      std::vector<int64_t> row = rowShape(slot);
      std::string N = E + "_" + upper(names[next++]);
      h << "#define " << N << "_SIZE " << sizeText(row)
        << " /* floats per row */\n"
        << "#define " << N << "_RANK " << row.size() << "\n"
        << "#define " << N << "_SHAPE " << dimsText(row) << "\n";
    }
    h << "int " << c << "_" << entry.name << "(" << c << " *model, " << args
      << "int64_t batch);\n";
  }
  h << "\n#ifdef __cplusplus\n}\n#endif\n\n#endif /* " << C << "_H */\n";
  return h.str();
}

const char *slotKindName(BufferSlot::Kind kind) {
  switch (kind) {
  case BufferSlot::Kind::Input:
    return "AENET_SLOT_INPUT";
  case BufferSlot::Kind::Param:
    return "AENET_SLOT_PARAM";
  case BufferSlot::Kind::Output:
    return "AENET_SLOT_OUTPUT";
  case BufferSlot::Kind::LayerState:
    return "AENET_SLOT_LAYER_STATE";
  case BufferSlot::Kind::Hyperparameter:
    return "AENET_SLOT_HYPERPARAMETER";
  default:
    return nullptr;
  }
}

/// The C file of ExportAbi.h's tables and the header's functions.
std::string glueText(const std::string &model, bool embedded,
                     const std::vector<ExportEntry> &entries,
                     uint64_t weightsSize) {
  std::string c = identifier(model);
  std::ostringstream g;
  g << "/* Generated by aec export: the tables of model '" << model
    << "' for libaenet-export. */\n"
    << "#include \"" << c << ".h\"\n"
    << "#include \"aenet/Runtime/ExportAbi.h\"\n\n"
    << "#define API __attribute__((visibility(\"default\")))\n\n";
  for (size_t e = 0; e < entries.size(); ++e) {
    const ExportEntry &entry = entries[e];
    for (size_t p = 0; p < entry.programs.size(); ++p) {
      const EntryPoint &program = entry.programs[p];
      std::string tag = entry.name + "_b" + std::to_string(entry.batches[p]);
      int args = static_cast<int>(program.slots.size()) +
                 (program.kernelSitesArg >= 0 ? 1 : 0);
      g << "extern void " << entry.symbols[p] << "(";
      for (int a = 0; a < args; ++a)
        g << (a ? ", " : "") << "void *";
      g << ");\nstatic void aenet_run_" << tag << "(void **a) { "
        << entry.symbols[p] << "(";
      for (int a = 0; a < args; ++a)
        g << (a ? ", " : "") << "a[" << a << "]";
      g << "); }\n";
      for (size_t s = 0; s < program.slots.size(); ++s)
        g << "static const int64_t aenet_" << tag << "_shape" << s << "[] = "
          << dimsText(program.slots[s].shape.empty()
                          ? std::vector<int64_t>{1}
                          : program.slots[s].shape)
          << ";\n";
      g << "static const aenet_slot aenet_" << tag << "_slots[] = {\n";
      for (size_t s = 0; s < program.slots.size(); ++s) {
        const BufferSlot &slot = program.slots[s];
        g << "  {" << slotKindName(slot.kind) << ", \"" << slot.name << "\", "
          << std::max<size_t>(slot.shape.size(), 1) << ", aenet_" << tag
          << "_shape" << s << ", " << std::setprecision(17) << slot.init
          << "},\n";
      }
      g << "};\n";
    }
    g << "static const aenet_program aenet_" << entry.name
      << "_programs[] = {\n";
    for (size_t p = 0; p < entry.programs.size(); ++p) {
      const EntryPoint &program = entry.programs[p];
      std::string tag = entry.name + "_b" + std::to_string(entry.batches[p]);
      g << "  {" << entry.batches[p] << ", " << program.slots.size() << ", "
        << "aenet_" << tag << "_slots, " << program.kernelSitesArg << ", "
        << program.kernelSites << ", aenet_run_" << tag << "},\n";
    }
    g << "};\n\n";
  }
  g << "static const aenet_entry aenet_entries[] = {\n";
  for (const ExportEntry &entry : entries)
    g << "  {\"" << entry.name << "\", " << entry.programs.size() << ", "
      << "aenet_" << entry.name << "_programs},\n";
  g << "};\n";
  if (embedded)
    g << "extern const unsigned char aenet_" << c << "_weights[];\n";
  // Only a library whose code calls the kernels references their tables,
  // and with them oneDNN.
  bool sites = false;
  for (const ExportEntry &entry : entries)
    for (const EntryPoint &program : entry.programs)
      sites |= program.kernelSitesArg >= 0;
  g << "static const aenet_library aenet_library_of_model = {\""
    << model << "\", " << entries.size() << ", aenet_entries, "
    << (embedded ? "aenet_" + c + "_weights" : std::string("0")) << ", "
    << (embedded ? weightsSize : 0) << "ULL, "
    << (sites ? "aenet_export_new_kernel_sites, aenet_export_free_kernel_sites"
              : "0, 0")
    << "};\n\n"
    << "API " << c << " *" << c << "_open(const char *weights_path) {\n"
    << "  return (" << c
    << " *)aenet_export_open(&aenet_library_of_model, weights_path);\n}\n"
    << "API void " << c << "_close(" << c
    << " *model) { aenet_export_close((aenet_model *)model); }\n"
    << "API const char *" << c
    << "_error(void) { return aenet_export_error(); }\n";
  for (size_t e = 0; e < entries.size(); ++e) {
    const ExportEntry &entry = entries[e];
    std::string params, ins, outs;
    std::vector<std::string> names = argumentNames(entry.programs.front());
    size_t next = 0;
    for (const BufferSlot &slot : entry.programs.front().slots) {
      if (slot.kind == BufferSlot::Kind::Input) {
        params += "const float *" + names[next] + ", ";
        ins += names[next++] + ", ";
      } else if (slot.kind == BufferSlot::Kind::Output) {
        params += "float *" + names[next] + ", ";
        outs += names[next++] + ", ";
      }
    }
    g << "API int " << c << "_" << entry.name << "(" << c << " *model, "
      << params << "int64_t batch) {\n"
      << "  const float *aenet_in[] = {" << (ins.empty() ? "0" : ins)
      << "};\n"
      << "  float *aenet_out[] = {" << outs << "};\n"
      << "  return aenet_export_run((aenet_model *)model, " << e
      << ", aenet_in, aenet_out, batch);\n}\n";
  }
  return g.str();
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
