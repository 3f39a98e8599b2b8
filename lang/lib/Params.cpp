//===- Params.cpp - `param` declarations and their values -----------------===//
//
// Reads `--set` values as their declaration's kind, then walks every value of
// every model and train block once, replacing the uses of parameters.
//
//===----------------------------------------------------------------------===//

#include "aenet/Lang/Params.h"

#include "aenet/Lang/Parser.h"

#include "LayerArgs.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>
#include <regex>
#include <set>

namespace aenet {

bool parseParamSetting(const std::string &arg, ParamSetting &setting,
                       std::string &error) {
  size_t equals = arg.find('=');
  if (equals == std::string::npos || equals == 0) {
    error = "'" + arg + "' is not NAME=VALUE";
    return false;
  }
  setting.name = arg.substr(0, equals);
  setting.text = arg.substr(equals + 1);
  return true;
}

std::string settingsText(const std::vector<ParamSetting> &settings) {
  std::string text;
  for (const ParamSetting &setting : settings) {
    text += (text.empty() ? "" : ",") + setting.name + "=";
    for (char c : setting.text) {
      if (c == ',' || c == '\\')
        text += '\\';
      text += c;
    }
  }
  return text;
}

std::vector<ParamSetting> parseSettingsText(const std::string &text) {
  // The pieces between unescaped commas, unescaped.
  std::vector<std::string> pieces(1);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size())
      pieces.back() += text[++i];
    else if (text[i] == ',')
      pieces.emplace_back();
    else
      pieces.back() += text[i];
  }
  std::vector<ParamSetting> settings;
  for (const std::string &piece : pieces) {
    size_t name = 0;
    while (name < piece.size() &&
           (std::isalnum(static_cast<unsigned char>(piece[name])) ||
            piece[name] == '_'))
      ++name;
    if (name > 0 && name < piece.size() && piece[name] == '=' &&
        !std::isdigit(static_cast<unsigned char>(piece[0])))
      settings.push_back({piece.substr(0, name), piece.substr(name + 1),
                          /*given=*/false});
    else if (!settings.empty())
      settings.back().text += "," + piece;
  }
  return settings;
}

std::string paramText(const ast::ParamDecl &param) {
  const ast::Value &value = param.value;
  if (const ast::Number *n = ast::asNumber(value))
    return n->text;
  if (const ast::Ident *id = ast::asIdent(value))
    return id->name;
  if (const auto *s = boost::get<ast::StringLit>(&value.get()))
    return s->value;
  std::string text;
  for (int64_t d : boost::get<ast::SizeLit>(value.get()).dims)
    text += (text.empty() ? "" : "x") + std::to_string(d);
  return text;
}

namespace {

/// What kind of value |param| holds, for messages.
std::string kindOf(const ast::ParamDecl &param) {
  const ast::Value &value = param.value;
  if (ast::asNumber(value))
    return "a number";
  if (ast::asIdent(value))
    return "a name";
  if (boost::get<ast::StringLit>(&value.get()))
    return "a string";
  return "a size such as 3x3";
}

/// |text| read as the kind of value |param| holds, into it; false when it is
/// not one.
bool readAs(const std::string &text, ast::ParamDecl &param) {
  // std::regex recurses per character: bound the text first.
  if (text.size() > kMaxParamTextLength)
    return false;
  static const std::regex number(
      R"(-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?(/-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?)?)");
  static const std::regex size(R"(\d+(x\d+)+)");
  static const std::regex name(R"([A-Za-z_][A-Za-z0-9_]*)");
  uint32_t offset = ast::offsetOf(param.value);
  if (ast::asNumber(param.value)) {
    if (!std::regex_match(text, number))
      return false;
    ast::Number n;
    n.text = text;
    n.offset = offset;
    // An integer too large for 64 bits would be refused where the file's
    // own is: by the parser.
    if (n.isInteger() && !n.integer())
      return false;
    param.value = n;
    return true;
  }
  if (ast::asIdent(param.value)) {
    if (!std::regex_match(text, name) || text.size() > kMaxNameLength)
      return false;
    ast::Ident id;
    id.name = text;
    id.offset = offset;
    param.value = id;
    return true;
  }
  if (boost::get<ast::StringLit>(&param.value.get())) {
    ast::StringLit s;
    s.value = text;
    s.offset = offset;
    param.value = s;
    return true;
  }
  if (!std::regex_match(text, size))
    return false;
  ast::SizeLit s;
  s.offset = offset;
  for (size_t begin = 0; begin <= text.size();) {
    size_t end = std::min(text.find('x', begin), text.size());
    int64_t d = 0;
    auto [stop, ec] = std::from_chars(text.data() + begin, text.data() + end, d);
    if (ec != std::errc() || stop != text.data() + end)
      return false;
    s.dims.push_back(d);
    begin = end + 1;
  }
  param.value = s;
  return true;
}

/// Moves a literal or name |value| to offset |at|, where it is used.
void setValueOffset(ast::Value &value, uint32_t at) {
  if (auto *n = boost::get<ast::Number>(&value.get()))
    n->offset = at;
  else if (auto *s = boost::get<ast::SizeLit>(&value.get()))
    s->offset = at;
  else if (auto *s = boost::get<ast::StringLit>(&value.get()))
    s->offset = at;
  else if (auto *id = boost::get<ast::Ident>(&value.get()))
    id->offset = at;
}

/// Replaces the uses of parameters in the values it is given.
class Binder {
public:
  Binder(const std::vector<ast::ParamDecl> &params, DiagnosticEngine &diags)
      : diags_(diags) {
    for (const ast::ParamDecl &param : params)
      params_.emplace(param.name.name, &param);
  }

  /// Replaces |value| when it names a parameter, and the uses inside it;
  /// returns the parameter it named, or null.
  const ast::ParamDecl *bind(ast::Value &value) {
    if (const ast::Ident *id = ast::asIdent(value)) {
      const ast::ParamDecl *param = find(id->name, id->offset);
      if (!param)
        return nullptr;
      uint32_t at = id->offset;
      value = param->value;
      setValueOffset(value, at);
      return param;
    }
    if (auto *call = boost::get<ast::x3::forward_ast<ast::Call>>(&value.get()))
      bind(call->get());
    else if (auto *list =
                 boost::get<ast::x3::forward_ast<ast::List>>(&value.get()))
      for (ast::Value &item : list->get().items)
        bind(item);
    return nullptr;
  }

  void bind(ast::Call &call) {
    auto it = params_.find(call.callee.name);
    if (it != params_.end())
      if (const ast::Ident *name = ast::asIdent(it->second->value)) {
        find(call.callee.name, call.callee.offset);
        call.callee.name = name->name;
      }
    for (ast::Arg &arg : call.args)
      // Checks of an argument point at its value, its `key =`, or the
      // call (`gaussian(sigma)` with a negative sigma): each gets the note.
      if (const ast::ParamDecl *param = bind(arg.value)) {
        note(*param, arg.offset);
        note(*param, call.offset);
      }
  }

  void bind(std::vector<ast::Value> &values) {
    for (ast::Value &value : values)
      bind(value);
  }

private:
  /// The parameter named |name|, or null; a use at |at| gets its note.
  const ast::ParamDecl *find(const std::string &name, uint32_t at) {
    auto it = params_.find(name);
    if (it == params_.end())
      return nullptr;
    note(*it->second, at);
    return it->second;
  }

  /// Errors at |at| get a note at |param|'s declaration.
  void note(const ast::ParamDecl &param, uint32_t at) {
    const std::string &name = param.name.name;
    diags_.noteErrorsAt(at, param.offset,
                        "'" + name + "' is the parameter declared here; " +
                            (param.set ? "--set gave it the value "
                                       : "its value is ") +
                            paramText(param));
  }

  DiagnosticEngine &diags_;
  std::map<std::string, const ast::ParamDecl *> params_;
};

/// The names a parameter must not take: those that values already use to
/// refer to a model's inputs, values, blocks and models.
std::map<std::string, std::string> takenNames(const ast::Program &program) {
  // `reset_state every N` reads `every` as a value.
  std::map<std::string, std::string> taken = {
      {"encoder", "the encoder block"},
      {"decoder", "the decoder block"},
      {"every", "the word of 'reset_state every N'"}};
  for (const ast::Model &model : program.models) {
    taken.emplace(model.name.name, "model '" + model.name.name + "'");
    auto layer = [&](const ast::LayerStmt &stmt) {
      if (stmt.output)
        taken.emplace(stmt.output->name, "a value of model '" +
                                             model.name.name + "'");
    };
    for (const ast::ModelItem &item : model.items) {
      if (const auto *input = boost::get<ast::InputDecl>(&item))
        taken.emplace(input->name.name, "an input of model '" +
                                            model.name.name + "'");
      else if (const auto *stmt = boost::get<ast::LayerStmt>(&item))
        layer(*stmt);
      else if (const auto *block = boost::get<ast::Block>(&item)) {
        if (block->name)
          taken.emplace(block->name->name, "a block of model '" +
                                               model.name.name + "'");
        for (const ast::LayerStmt &stmt : block->layers)
          layer(stmt);
      }
    }
  }
  return taken;
}

} // namespace

std::string bindParams(ast::Program &program,
                       const std::vector<ParamSetting> &settings,
                       DiagnosticEngine &diags) {
  // Declarations first: twice the same name, or one a value already uses.
  std::map<std::string, const ast::ParamDecl *> declared;
  std::map<std::string, std::string> taken = takenNames(program);
  std::vector<ast::ParamDecl> params;
  for (const ast::ParamDecl &param : program.params) {
    const std::string &name = param.name.name;
    if (auto it = declared.find(name); it != declared.end()) {
      diags.error(param.name.offset, "parameter '" + name +
                                         "' is declared twice");
      diags.note(it->second->name.offset, "first declared here");
      continue;
    }
    if (sema::isReservedWord(name)) {
      diags.error(param.name.offset, "parameter '" + name +
                                         "' has the name of a reserved word "
                                         "(an activation, padding or "
                                         "boolean); give it another");
      continue;
    }
    if (auto it = taken.find(name); it != taken.end()) {
      diags.error(param.name.offset, "parameter '" + name +
                                         "' has the name of " + it->second +
                                         "; give it another");
      continue;
    }
    declared.emplace(name, &param);
    params.push_back(param);
  }

  std::string path = diags.file().path();
  std::set<std::string> given;
  for (const ParamSetting &setting : settings) {
    std::string where =
        setting.origin.empty()
            ? "--set " + setting.name + "=" + setting.text + ": "
            : setting.name + "=" + setting.text + " (from " + setting.origin +
                  "): ";
    auto it = std::find_if(params.begin(), params.end(),
                           [&](const ast::ParamDecl &p) {
                             return p.name.name == setting.name;
                           });
    if (it == params.end()) {
      std::vector<std::string> names;
      for (const ast::ParamDecl &p : params)
        names.push_back(p.name.name);
      return where +
             (names.empty() ? path + " declares no parameter"
                            : "no parameter '" + setting.name + "' in " +
                                  path + didYouMean(setting.name, names));
    }
    if (!given.insert(setting.name).second)
      return where + "'" + setting.name + "' is set twice";
    ast::ParamDecl &param = *it;
    param.set = setting.given;
    if (!readAs(setting.text, param)) {
      LineCol at = diags.file().lineCol(param.offset);
      return where + "'" + setting.name + "' is " + kindOf(param) +
             " (declared at " + path + ":" + std::to_string(at.line) + ":" +
             std::to_string(at.column) + "), and '" + setting.text +
             "' is not one";
    }
  }

  // `param b = a`: b takes a's value, through any chain of names.
  for (ast::ParamDecl &param : params) {
    std::set<std::string> seen = {param.name.name};
    while (const ast::Ident *id = ast::asIdent(param.value)) {
      auto next = std::find_if(params.begin(), params.end(),
                               [&](const ast::ParamDecl &p) {
                                 return p.name.name == id->name;
                               });
      if (next == params.end())
        break;
      if (!seen.insert(id->name).second) {
        diags.error(param.name.offset,
                    "parameter '" + param.name.name +
                        "' is defined by a cycle of parameters' names");
        return {};
      }
      uint32_t at = id->offset;
      param.value = next->value;
      setValueOffset(param.value, at);
    }
  }

  Binder binder(params, diags);
  for (ast::Model &model : program.models)
    for (ast::ModelItem &item : model.items) {
      if (auto *stmt = boost::get<ast::LayerStmt>(&item))
        binder.bind(stmt->call);
      else if (auto *block = boost::get<ast::Block>(&item))
        for (ast::LayerStmt &stmt : block->layers)
          binder.bind(stmt.call);
      else if (auto *loss = boost::get<ast::LossDecl>(&item))
        binder.bind(loss->fn);
      else if (auto *metric = boost::get<ast::MetricDecl>(&item))
        binder.bind(metric->fn);
    }
  for (ast::Train &train : program.trains)
    for (ast::TrainItem &item : train.items) {
      if (auto *data = boost::get<ast::DataStmt>(&item))
        binder.bind(data->source);
      else if (auto *corrupt = boost::get<ast::CorruptStmt>(&item))
        for (ast::Call &transform : corrupt->transforms)
          binder.bind(transform);
      else if (auto *phase = boost::get<ast::PhaseBlock>(&item))
        for (ast::Setting &setting : phase->settings)
          binder.bind(setting.values);
      else if (auto *setting = boost::get<ast::Setting>(&item))
        binder.bind(setting->values);
    }
  program.params = std::move(params);
  return {};
}

} // namespace aenet
