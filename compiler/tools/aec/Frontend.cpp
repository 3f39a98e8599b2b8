//===- Frontend.cpp - aec's front end for one model file ------------------===//
//
// Implements runFrontend (Frontend.h).
//
//===----------------------------------------------------------------------===//

#include "Frontend.h"

#include "aenet/Lang/Parser.h"
#include "aenet/Runtime/Checkpoint.h"

#include <algorithm>
#include <iostream>
#include <map>

namespace aenet {

namespace {

/// The parameter values the checkpoint |weights| was trained with, of the
/// parameters |program| declares, where |settings| gives none: eval,
/// predict, encode and the rest then run the model it holds without --set
/// (which still overrides them: a denoiser trained at one noise level can
/// be evaluated at another). A file that cannot be read adds none; the
/// command reports it when it loads the weights.
void addCheckpointSettings(const std::string &weights,
                           const ast::Program &program,
                           std::vector<ParamSetting> &settings) {
  if (weights.empty() || program.params.empty())
    return;
  std::map<std::string, std::string> metadata;
  try {
    metadata = rt::loadSafetensorsMetadata(weights);
  } catch (const std::exception &) {
    return;
  }
  auto saved = metadata.find("params");
  if (saved == metadata.end())
    return;
  for (ParamSetting &setting : parseSettingsText(saved->second)) {
    setting.origin = "the checkpoint " + weights;
    auto declared = [&](const ast::ParamDecl &p) {
      return p.name.name == setting.name;
    };
    auto given = [&](const ParamSetting &s) { return s.name == setting.name; };
    if (std::any_of(program.params.begin(), program.params.end(), declared) &&
        std::none_of(settings.begin(), settings.end(), given))
      settings.push_back(setting);
  }
}

} // namespace

bool runFrontend(const std::string &path, Frontend &fe,
                 const std::vector<std::string> &sets, bool check,
                 const std::string &weights) {
  std::string error;
  fe.file = SourceFile::load(path, error);
  if (!fe.file) {
    std::cerr << "aec: error: " << error << '\n';
    return false;
  }
  std::vector<ParamSetting> settings;
  for (const std::string &set : sets) {
    ParamSetting setting;
    if (!parseParamSetting(set, setting, error)) {
      std::cerr << "aec: error: --set " << error << '\n';
      return false;
    }
    settings.push_back(std::move(setting));
  }
  fe.diags.emplace(*fe.file);
  fe.ast = parseProgram(*fe.file, *fe.diags);
  addCheckpointSettings(weights, fe.ast, settings);
  error = bindParams(fe.ast, settings, *fe.diags);
  if (!error.empty()) {
    fe.diags->print(std::cerr);
    std::cerr << "aec: error: " << error << '\n';
    return false;
  }
  if (check && !fe.diags->hasErrors())
    fe.program = checkProgram(fe.ast, *fe.file, *fe.diags);
  fe.diags->print(std::cerr);
  if (fe.diags->hasErrors()) {
    unsigned n = fe.diags->errorCount();
    std::cerr << n << (n == 1 ? " error" : " errors") << " generated.\n";
    return false;
  }
  return true;
}

} // namespace aenet
