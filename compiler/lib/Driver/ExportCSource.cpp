//===- ExportCSource.cpp - The C sources aec export writes ----------------===//
//
// Names in the generated C are the model's, made identifiers (keywords and
// the functions' own parameters get an underscore, clashes a number); the
// generated file's own statics and locals start with aenet_, so no value
// name can collide with them.
//
//===----------------------------------------------------------------------===//

#include "ExportCSource.h"

#include "aenet/Pipeline/ObjectCode.h"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <iomanip>
#include <set>
#include <sstream>

namespace aenet {

static std::string upper(std::string s) {
  for (char &c : s)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

/// |name| as a C identifier: letters, digits and underscores.
std::string cName(const std::string &name) {
  std::string out;
  for (char c : name)
    out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  if (out.empty() || std::isdigit(static_cast<unsigned char>(out[0])))
    out = "_" + out;
  return out;
}

/// The C type of a shape's initializer: "{28, 28, 1}".
static std::string dimsText(const std::vector<int64_t> &dims) {
  std::string s = "{";
  for (size_t i = 0; i < dims.size(); ++i)
    s += (i ? ", " : "") + std::to_string(dims[i]);
  return s + "}";
}

static std::string sizeText(const std::vector<int64_t> &dims) {
  int64_t n = 1;
  for (int64_t d : dims)
    n *= d;
  return std::to_string(n);
}

/// The per-row shape of |slot| (its shape without the batch).
static std::vector<int64_t> rowShape(const BufferSlot &slot) {
  return std::vector<int64_t>(slot.shape.begin() + 1, slot.shape.end());
}

/// Whether |name| would not do as a C identifier in the header: a C or C++
/// keyword (the header is C++ too), a name of <stdint.h>, or the entry
/// functions' own parameters.
static bool reserved(const std::string &name) {
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
static std::vector<std::string> argumentNames(const EntryPoint &p) {
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
static std::string commentSafe(std::string text) {
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

} // namespace aenet
