//===- ObjectCode.h - Programs compiled ahead of time -----------*- C++ -*-===//
//
// `aec export`'s compiler: models compiled as the JIT compiles them, for the
// host CPU, into one relocatable object file instead of the JIT's memory.
// Each program's entry point becomes one global function of the file; all
// else in it is internal, so that objects of several models link together.
// No MLIR type appears here.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_PIPELINE_OBJECTCODE_H
#define AENET_PIPELINE_OBJECTCODE_H

#include "aenet/Pipeline/CompiledModel.h"

#include <memory>
#include <optional>
#include <string>

namespace aenet {

class ObjectCode {
public:
  ObjectCode();
  ~ObjectCode();

  /// Compiles model |model| as CompiledModel::compile does, with its loops
  /// on the calling thread (an object file carries no async runtime), and
  /// adds its entry point |entry| as the global function |symbol|, which
  /// takes one pointer per argument: a memref descriptor's address, or the
  /// kernel-site table. Returns the entry's slots; prints an error and
  /// returns nullopt on a problem.
  std::optional<EntryPoint> add(const SourceFile &file,
                                const CheckedProgram &program, int model,
                                CompileOptions options,
                                const std::string &entry,
                                const std::string &symbol);

  /// Adds |bytes| as the read-only global array |symbol|, 64-byte aligned.
  void addBytes(const std::string &symbol, const std::string &bytes);

  /// The object file of everything added, or nullopt after printing an
  /// error.
  std::optional<std::string> emit();

  /// The CPU the code is compiled for (LLVM's name of the host's).
  static std::string targetCpu();

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

} // namespace aenet

#endif // AENET_PIPELINE_OBJECTCODE_H
