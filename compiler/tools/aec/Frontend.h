//===- Frontend.h - aec's front end for one model file ----------*- C++ -*-===//
//
// Loads, parses, binds the parameters of and checks a .aenet file for the
// commands of aec.cpp: parameter values from --set, then from the checkpoint
// a command runs.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_TOOLS_AEC_FRONTEND_H
#define AENET_TOOLS_AEC_FRONTEND_H

#include "aenet/Lang/Sema.h"

#include <optional>
#include <string>
#include <vector>

namespace aenet {

/// The front end's results for one file, kept together because diagnostics
/// and the checked program refer to the source text.
struct Frontend {
  std::optional<SourceFile> file;
  std::optional<DiagnosticEngine> diags;
  ast::Program ast;
  CheckedProgram program;
};

/// Loads, parses and (when it parsed) checks |path|, its parameters bound
/// to |sets| and then to those |weights| was trained with. Prints
/// diagnostics; returns false on any error.
bool runFrontend(const std::string &path, Frontend &fe,
                 const std::vector<std::string> &sets, bool check = true,
                 const std::string &weights = "");

} // namespace aenet

#endif // AENET_TOOLS_AEC_FRONTEND_H
