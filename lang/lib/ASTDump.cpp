//===- ASTDump.cpp - The readable AST dump --------------------------------===//
//
// Prints the syntax tree as an indented outline. Values are re-serialized in
// the language's own notation so the dump reads like the source.
//
//===----------------------------------------------------------------------===//

#include "aenet/Lang/Printers.h"

#include <ostream>

namespace aenet {

namespace {

namespace x3 = boost::spirit::x3;

class Dumper {
public:
  Dumper(const SourceFile &file, std::ostream &os) : file_(file), os_(os) {}

  void dump(const ast::Program &program) {
    for (const ast::ParamDecl &param : program.params)
      line(0, "param " + param.name.name + " = " + str(param.value),
           param.offset);
    for (const ast::Model &model : program.models)
      dumpModel(model);
    for (const ast::Train &train : program.trains)
      dumpTrain(train);
  }

private:
  void line(int depth, const std::string &text, uint32_t offset) {
    LineCol pos = file_.lineCol(offset);
    os_ << std::string(depth * 2, ' ') << text << " @" << pos.line << ':'
        << pos.column << '\n';
  }

  static std::string str(const ast::Value &value);
  static std::string quote(const std::string &text) {
    std::string s = "\"";
    for (char c : text)
      s += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
    return s + "\"";
  }
  static std::string str(const ast::Call &call) {
    std::string s = call.callee.name + "(";
    for (size_t i = 0; i < call.args.size(); ++i) {
      if (i)
        s += ", ";
      if (call.args[i].key)
        s += call.args[i].key->name + " = ";
      s += str(call.args[i].value);
    }
    return s + ")";
  }

  void dumpLayer(int depth, const ast::LayerStmt &stmt) {
    std::string text = "layer " + str(stmt.call);
    if (stmt.output)
      text += " -> " + stmt.output->name;
    line(depth, text, stmt.call.offset);
  }

  void dumpModel(const ast::Model &model) {
    line(0, "model " + model.name.name, model.offset);
    for (const ast::ModelItem &item : model.items) {
      if (const auto *input = boost::get<ast::InputDecl>(&item.get())) {
        std::string dims;
        for (size_t i = 0; i < input->type.dims.size(); ++i)
          dims += (i ? ", " : "") + (input->type.dims[i] < 0
                                         ? std::string("?")
                                         : std::to_string(input->type.dims[i]));
        line(1, "input " + input->name.name + ": " + input->type.kind + "[" +
                    dims + "]",
             input->offset);
      } else if (const auto *stmt = boost::get<ast::LayerStmt>(&item.get())) {
        dumpLayer(1, *stmt);
      } else if (const auto *block = boost::get<ast::Block>(&item.get())) {
        std::string text = block->kind;
        if (block->name)
          text += " " + block->name->name;
        if (block->from)
          text += " from " + block->from->name;
        line(1, text, block->offset);
        for (const ast::LayerStmt &layer : block->layers)
          dumpLayer(2, layer);
      } else if (const auto *loss = boost::get<ast::LossDecl>(&item.get())) {
        std::string text = "loss ";
        if (loss->value)
          text += loss->value->name + ": ";
        text += str(loss->fn);
        if (loss->weight)
          text += " weight " + loss->weight->text;
        line(1, text, loss->offset);
      } else {
        const auto &metric = boost::get<ast::MetricDecl>(item.get());
        line(1, "metric " + metric.value.name + ": " + str(metric.fn),
             metric.offset);
      }
    }
  }

  void dumpSetting(const ast::Setting &setting, int depth) {
    std::string text = "setting " + setting.key.name;
    for (size_t i = 0; i < setting.values.size(); ++i)
      text += (i ? ", " : " ") + str(setting.values[i]);
    line(depth, text, setting.offset);
  }

  void dumpTrain(const ast::Train &train) {
    line(0, "train " + train.model.name, train.offset);
    for (const ast::TrainItem &item : train.items) {
      if (const auto *data = boost::get<ast::DataStmt>(&item.get())) {
        std::string text = data->kind + " " + str(data->source) + " as ";
        for (size_t i = 0; i < data->inputs.size(); ++i)
          text += (i ? ", " : "") + data->inputs[i].name;
        if (data->scale)
          text += " scale " + data->scale->text;
        line(1, text, data->offset);
      } else if (const auto *c = boost::get<ast::CorruptStmt>(&item.get())) {
        std::string text = "corrupt " + c->input.name + " with";
        for (const ast::Call &call : c->transforms)
          text += " " + str(call);
        line(1, text, c->offset);
      } else if (const auto *init = boost::get<ast::InitStmt>(&item.get())) {
        line(1, "init " + init->target.name + " from " + quote(init->path.value),
             init->offset);
      } else if (const auto *phase = boost::get<ast::PhaseBlock>(&item.get())) {
        line(1, "phase " + phase->name.name, phase->offset);
        for (const ast::Setting &setting : phase->settings)
          dumpSetting(setting, 2);
      } else {
        dumpSetting(boost::get<ast::Setting>(item.get()), 1);
      }
    }
  }

  const SourceFile &file_;
  std::ostream &os_;
};

std::string Dumper::str(const ast::Value &value) {
  if (const ast::Number *n = ast::asNumber(value))
    return n->text;
  if (const ast::Ident *id = ast::asIdent(value))
    return id->name;
  if (const ast::Call *call = ast::asCall(value))
    return str(*call);
  if (const auto *size = boost::get<ast::SizeLit>(&value.get())) {
    std::string s;
    for (size_t i = 0; i < size->dims.size(); ++i)
      s += (i ? "x" : "") + std::to_string(size->dims[i]);
    return s;
  }
  if (const auto *string = boost::get<ast::StringLit>(&value.get()))
    return quote(string->value);
  const ast::List &list =
      boost::get<x3::forward_ast<ast::List>>(value.get()).get();
  std::string s = "[";
  for (size_t i = 0; i < list.items.size(); ++i)
    s += (i ? ", " : "") + str(list.items[i]);
  return s + "]";
}

} // namespace

void dumpAST(const ast::Program &program, const SourceFile &file,
             std::ostream &os) {
  Dumper(file, os).dump(program);
}

} // namespace aenet
