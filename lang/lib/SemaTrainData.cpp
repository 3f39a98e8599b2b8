//===- SemaTrainData.cpp - Data sources of train blocks -------------------===//
//
// The `data`, `validate` and `corrupt` lines of a train block: idx, csv
// and text sources with their options, feeding existing inputs of kinds
// they can fill (text sources are checked by SemaTextSource.cpp), and
// noise on real-valued inputs.
//
//===----------------------------------------------------------------------===//

#include "Numbers.h"
#include "TrainChecker.h"

namespace aenet::sema {

namespace x3 = boost::spirit::x3;

void TrainChecker::addData(const ast::DataStmt &stmt) {
  bool validation = stmt.kind == "validate";
  if (validation && !validateAt_)
    validateAt_ = stmt.offset;
  DataSource source;
  source.offset = stmt.offset;
  const ast::Call &call = stmt.source;
  const std::string &kind = call.callee.name;
  if (kind == "idx")
    source.kind = SourceKind::Idx;
  else if (kind == "csv")
    source.kind = SourceKind::Csv;
  else if (kind == "text")
    source.kind = SourceKind::Text;
  else {
    diags_.error(call.callee.offset,
                 "unknown data source '" + kind + "'; expected idx(...), "
                 "csv(...) or text(...)" +
                     didYouMean(kind, {"idx", "csv", "text"}));
    return;
  }
  bool ok = true;
  bool havePath = false;
  for (const ast::Arg &arg : call.args) {
    if (!arg.key) {
      const auto *path = boost::get<ast::StringLit>(&arg.value.get());
      if (havePath || !path) {
        diags_.error(arg.offset, kind + " takes a file path string first, "
                                        "then named options");
        ok = false;
        continue;
      }
      if (path->value.empty()) {
        diags_.error(arg.offset, kind + " needs a file path, got an empty "
                                        "string");
        ok = false;
      }
      source.path = resolvePath(file_, path->value);
      havePath = true;
      continue;
    }
    const std::string &key = arg.key->name;
    if (kind == "csv" && key == "columns") {
      const auto *list =
          boost::get<x3::forward_ast<ast::List>>(&arg.value.get());
      if (!list) {
        diags_.error(arg.offset, "columns expects a list such as [0, 1, 2]");
        ok = false;
        continue;
      }
      for (const ast::Value &item : list->get().items) {
        std::optional<int64_t> column =
            readInteger(item, "a column", 0, kMaxElements, diags_);
        if (!column) {
          ok = false;
          break;
        }
        source.columns.push_back(*column);
      }
    } else if (kind == "csv" && key == "sequence") {
      std::optional<int64_t> column =
          readInteger(arg.value, "sequence", 0, kMaxElements, diags_);
      ok &= column.has_value();
      source.sequence = column.value_or(-1);
    } else if (kind == "csv" && key == "header") {
      const ast::Ident *id = ast::asIdent(arg.value);
      if (!id || (id->name != "true" && id->name != "false")) {
        diags_.error(arg.offset, "header expects 'true' or 'false'");
        ok = false;
      } else {
        source.header = id->name == "true";
      }
    } else if (kind == "text" && key == "window") {
      std::optional<int64_t> window =
          readInteger(arg.value, "window", 1, kMaxElements, diags_);
      ok &= window.has_value();
      source.window = window.value_or(0);
    } else if (kind == "text" && key == "step") {
      std::optional<int64_t> step =
          readInteger(arg.value, "step", 1, kMaxElements, diags_);
      ok &= step.has_value();
      source.step = step.value_or(1);
    } else {
      std::vector<std::string> keys =
          kind == "csv"    ? std::vector<std::string>{"columns", "sequence",
                                                    "header"}
          : kind == "text" ? std::vector<std::string>{"window", "step"}
                           : std::vector<std::string>{};
      diags_.error(arg.key->offset, kind + " has no option '" + key + "'" +
                                        didYouMean(key, keys));
      ok = false;
    }
  }
  if (!havePath) {
    diags_.error(call.offset, kind + " needs a file path: " + kind +
                                  "(\"file\")");
    ok = false;
  }
  size_t maxInputs = source.kind == SourceKind::Text ? 2 : 1;
  if (stmt.inputs.size() > maxInputs) {
    diags_.error(stmt.inputs[maxInputs].offset,
                 kind + " feeds " + std::to_string(maxInputs) +
                     (maxInputs == 1 ? " input" : " inputs at most"));
    ok = false;
  }
  for (const ast::Ident &name : stmt.inputs) {
    if (!findInput(name)) {
      ok = false;
      continue;
    }
    auto [it, inserted] = fedAt_[validation].emplace(name.name, name.offset);
    if (!inserted) {
      diags_.error(name.offset, "input '" + name.name + "' is already fed by " +
                                    (validation ? "validation" : "training") +
                                    " data");
      diags_.note(it->second, "first fed here");
      ok = false;
    }
    source.inputs.push_back(name.name);
  }
  if (ok)
    ok = checkSourceFitsInputs(stmt, source);
  if (stmt.scale) {
    std::optional<double> scale = readReal(*stmt.scale, "scale", diags_);
    source.scale = scale.value_or(1);
    if (!scale) {
      ok = false;
    } else if (source.scale == 0) {
      diags_.error(stmt.scale->offset, "scale must not be zero");
      ok = false;
    }
  }
  if (!ok)
    return;
  if (validation) {
    plan_.validation.push_back(std::move(source));
  } else {
    plan_.data.push_back(std::move(source));
  }
}

bool TrainChecker::checkSourceFitsInputs(const ast::DataStmt &stmt,
                                         DataSource &source) {
  std::vector<const InputInfo *> inputs;
  for (const ast::Ident &name : stmt.inputs)
    for (const InputInfo &input : model_.inputs)
      if (input.name == name.name)
        inputs.push_back(&input);
  auto fail = [&](size_t i, const std::string &message) {
    diags_.error(stmt.inputs[i].offset, message);
    return false;
  };
  // An input whose type was rejected has no shape; it is reported already.
  for (const InputInfo *input : inputs)
    if (input->shape.rank() == 0)
      return true;
  switch (source.kind) {
  case SourceKind::Idx:
    if (inputs[0]->kind == InputKind::Chars)
      return fail(0, "idx cannot feed the chars input '" + inputs[0]->name +
                         "'; use text(...)");
    return true;
  case SourceKind::Csv: {
    const InputInfo &input = *inputs[0];
    if (input.kind != InputKind::F32)
      return fail(0, "csv feeds f32 inputs; '" + input.name + "' is not one");
    int64_t features = input.shape.dims.back();
    if (!source.columns.empty() &&
        static_cast<int64_t>(source.columns.size()) != features)
      return fail(0, "csv reads " + std::to_string(source.columns.size()) +
                         " columns but input '" + input.name + "' has " +
                         std::to_string(features) + " features per " +
                         (input.shape.rank() == 2 ? "step" : "sample"));
    if (input.shape.rank() == 2 && source.sequence < 0)
      return fail(0, "input '" + input.name + "' is a sequence; csv needs "
                                               "'sequence = COLUMN' to group "
                                               "rows into sequences");
    // On an input that is not a sequence, `sequence = COL` names the column
    // of each row's sequence id: a run checks the ids against the
    // sequences' own instead of pairing rows by position alone.
    if (input.shape.rank() > 2)
      return fail(0, "csv feeds inputs of rank 1 or sequences of rank 2; '" +
                         input.name + "' has shape " + input.shape.str());
    return true;
  }
  case SourceKind::Text:
    return checkTextSource(stmt, inputs, source, diags_);
  }
  return true;
}

void TrainChecker::addCorrupt(const ast::CorruptStmt &stmt) {
  const InputInfo *input = findInput(stmt.input);
  if (!input)
    return;
  if (input->kind != InputKind::F32) {
    diags_.error(stmt.input.offset,
                 "only f32 inputs can be corrupted; '" + input->name +
                     "' is a " +
                     (input->kind == InputKind::Class ? "class" : "chars") +
                     " input");
    return;
  }
  Corruption corruption;
  corruption.input = input->name;
  corruption.offset = stmt.offset;
  bool haveNoise = false;
  for (const ast::Call &call : stmt.transforms) {
    const std::string &name = call.callee.name;
    std::vector<double> args;
    for (const ast::Arg &arg : call.args) {
      double v = 0;
      if (arg.key || !readNumber(arg.value, name, v))
        return;
      args.push_back(v);
    }
    if (name == "gaussian") {
      if (args.size() != 1 || args[0] < 0) {
        diags_.error(call.offset, "gaussian takes one non-negative standard "
                                  "deviation: gaussian(0.5)");
        return;
      }
      corruption.stddev = args[0];
      haveNoise = true;
    } else if (name == "clip") {
      if (args.size() != 2 || !(args[0] < args[1])) {
        diags_.error(call.offset, "clip takes a low and a high bound with "
                                  "low < high: clip(0, 1)");
        return;
      }
      corruption.clip = true;
      corruption.clipLow = args[0];
      corruption.clipHigh = args[1];
    } else {
      diags_.error(call.callee.offset,
                   "unknown corruption '" + name + "'" +
                       didYouMean(name, {"gaussian", "clip"}));
      return;
    }
  }
  if (!haveNoise) {
    diags_.error(stmt.offset, "corrupt needs a noise such as gaussian(0.5)");
    return;
  }
  plan_.corruptions.push_back(corruption);
}

} // namespace aenet::sema
