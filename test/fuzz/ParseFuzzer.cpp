//===- ParseFuzzer.cpp - libFuzzer target for the .aenet front end -------===//
//
// Feeds arbitrary bytes through everything `aec check` and
// `aec compile --emit=ast` run: the parser, the semantic checks (only when the
// text parsed, as the driver does), the diagnostic printer and the AST dump.
// Output goes to a null stream; the sanitizers and libFuzzer report any crash,
// leak, undefined behaviour or uncaught exception. Built only when
// AEC_FUZZ_ONLY=ON (see test/fuzz/CMakeLists.txt and .ci/fuzz).
//
//===----------------------------------------------------------------------===//

#include "aenet/Lang/Parser.h"
#include "aenet/Lang/Printers.h"
#include "aenet/Lang/Sema.h"

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <streambuf>
#include <string>

namespace {

/// A stream buffer that drops everything, so printing still runs in full.
class NullBuffer : public std::streambuf {
protected:
  int overflow(int c) override { return traits_type::not_eof(c); }
  std::streamsize xsputn(const char *, std::streamsize n) override {
    return n;
  }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static NullBuffer nullBuffer;
  static std::ostream nullStream(&nullBuffer);

  aenet::SourceFile file(
      "fuzz.aenet", std::string(reinterpret_cast<const char *>(data), size));
  aenet::DiagnosticEngine diags(file);
  aenet::ast::Program program = aenet::parseProgram(file, diags);
  aenet::bindParams(program, {}, diags);
  if (!diags.hasErrors()) {
    aenet::CheckedProgram checked = aenet::checkProgram(program, file, diags);
    // `aec summary` prints every model that checked cleanly.
    if (!diags.hasErrors())
      for (size_t i = 0; i < checked.models.size(); ++i)
        aenet::printSummary(checked, static_cast<int>(i), nullStream);
  }
  diags.print(nullStream);
  aenet::dumpAST(program, file, nullStream);
  return 0;
}
