//===- Parser.h - Parse .aenet text into an AST -----------------*- C++ -*-===//
//
// The entry point of the front end: text in, `ast::Program` out, every syntax
// error reported to the engine. After an error the parser skips to the next
// line that starts a `model`, `train` or `param` declaration, so one run
// reports the syntax errors of every declaration.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_LANG_PARSER_H
#define AENET_LANG_PARSER_H

#include "aenet/Lang/AST.h"
#include "aenet/Lang/Diagnostics.h"

namespace aenet {

/// How deep calls and lists may nest in a value (`l1(l1(...))`, `[[...]]`).
/// The grammar's rules recurse, so this bounds the stack a parse needs.
constexpr unsigned kMaxNesting = 64;
/// The longest name (of a model, input, layer, block, option...) accepted.
/// Names end up in file names, checkpoint keys and picture labels.
constexpr size_t kMaxNameLength = 64;

/// Parses |file|. Declarations with syntax errors are left out of the result.
ast::Program parseProgram(const SourceFile &file, DiagnosticEngine &diags);

} // namespace aenet

#endif // AENET_LANG_PARSER_H
