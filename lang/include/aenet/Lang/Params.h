//===- Params.h - `param` declarations and their values ---------*- C++ -*-===//
//
// A model file declares `param NAME = VALUE` (a number, size, string or
// name) and uses NAME wherever such a value goes: `dense(code, act)`,
// `gaussian(sigma)`, `optimizer opt(lr = lr)`, `epochs epochs`. Binding
// replaces each use by the value in effect, the declared one or one given on
// the command line (`--set NAME=VALUE`), before the checks run, so every
// check sees plain values; an error at a use gets a note at the declaration.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_LANG_PARAMS_H
#define AENET_LANG_PARAMS_H

#include "aenet/Lang/AST.h"
#include "aenet/Lang/Diagnostics.h"

#include <string>
#include <utility>
#include <vector>

namespace aenet {

/// `NAME=VALUE`, the value as typed. |given|: from the command line (a
/// value the file already had, when a checked program binds its file again,
/// is not). |origin|: where a value not given came from, for its errors
/// ("the checkpoint W"); empty for the file's own.
struct ParamSetting {
  std::string name;
  std::string text;
  bool given = true;
  std::string origin;

  /// The same parameter and value, wherever it came from.
  bool operator==(const ParamSetting &other) const {
    return name == other.name && text == other.text;
  }
};

/// The longest `--set` value read.
constexpr size_t kMaxParamTextLength = 4096;

/// Splits `NAME=VALUE`; false (with |error| set) when there is no name or
/// no `=`.
bool parseParamSetting(const std::string &arg, ParamSetting &setting,
                       std::string &error);

/// |settings| as a checkpoint records them: `code=8,act=tanh`, a comma or
/// backslash in a value escaped by a backslash (`path=a\,b`).
std::string settingsText(const std::vector<ParamSetting> &settings);

/// The settings of settingsText's |text|, not |given|. A piece that is not
/// `NAME=VALUE` is skipped; an unescaped comma inside a value (a checkpoint
/// written before values were escaped) stays in it unless what follows
/// reads `NAME=`.
std::vector<ParamSetting> parseSettingsText(const std::string &text);

/// The value |param| holds, as `--set` would write it (`32`, `3x3`, `relu`,
/// a string without quotes).
std::string paramText(const ast::ParamDecl &param);

/// Gives each parameter of |program| its value from |settings| (read as the
/// kind its declaration has: `--set code=abc` for a number is refused),
/// resolves parameters whose value names another (`param b = a`), then
/// replaces every use by its value: an argument or setting value that is a
/// parameter's name, and a call's callee naming a parameter whose value is
/// a name (`optimizer opt(lr = 0.01)`). Declarations that clash (twice the
/// same name; a parameter named as an input, value, block or model, or as
/// a reserved word; a cycle of names) go to |diags|. Returns an empty
/// string, or what is wrong with |settings| (an undeclared name, with a
/// suggestion; a value of the wrong kind), which no place in the file can
/// show.
std::string bindParams(ast::Program &program,
                       const std::vector<ParamSetting> &settings,
                       DiagnosticEngine &diags);

} // namespace aenet

#endif // AENET_LANG_PARAMS_H
