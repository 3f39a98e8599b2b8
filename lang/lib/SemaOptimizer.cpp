//===- SemaOptimizer.cpp - Optimizers of train blocks ---------------------===//
//
// `optimizer NAME(lr, key = value, ...)` in a train block or a phase: the
// five optimizers with Keras's defaults per optimizer, each option known to
// its optimizer, given once and in range.
//
//===----------------------------------------------------------------------===//

#include "Numbers.h"
#include "TrainChecker.h"

#include <set>

namespace aenet {

const char *optimizerKindName(OptimizerKind kind) {
  static const char *names[] = {"sgd", "adam", "rmsprop", "adagrad",
                                "adadelta"};
  return names[static_cast<int>(kind)];
}

} // namespace aenet

namespace aenet::sema {

void TrainChecker::readOptimizer(const ast::Value &value) {
  static const std::map<std::string, OptimizerKind> kinds = {
      {"sgd", OptimizerKind::SGD},
      {"adam", OptimizerKind::Adam},
      {"rmsprop", OptimizerKind::RMSProp},
      {"adagrad", OptimizerKind::Adagrad},
      {"adadelta", OptimizerKind::Adadelta}};
  // `optimizer adam` is `adam()`, as Keras's optimizer="adam".
  const ast::Call *call = ast::asCall(value);
  const ast::Ident *bare = ast::asIdent(value);
  if (!call && !bare) {
    diags_.error(ast::offsetOf(value),
                 "optimizer expects a call such as adam(lr = 1e-3), got " +
                     ast::describe(value));
    return;
  }
  const ast::Ident &callee = call ? call->callee : *bare;
  auto kind = kinds.find(callee.name);
  if (kind == kinds.end()) {
    std::vector<std::string> names;
    for (const auto &k : kinds)
      names.push_back(k.first);
    diags_.error(callee.offset, "unknown optimizer '" + callee.name + "'" +
                                    didYouMean(callee.name, names));
    return;
  }
  OptimizerSpec &opt = plan_.optimizer;
  opt = OptimizerSpec();
  opt.kind = kind->second;
  // Keras's defaults per optimizer.
  switch (opt.kind) {
  case OptimizerKind::SGD:
    opt.learningRate = 0.01;
    break;
  case OptimizerKind::Adadelta:
    opt.rho = 0.95;
    break;
  default:
    break;
  }
  std::map<std::string, double *> numbers = {{"lr", &opt.learningRate},
                                             {"learning_rate", &opt.learningRate},
                                             {"epsilon", &opt.epsilon}};
  switch (opt.kind) {
  case OptimizerKind::SGD:
    numbers["momentum"] = &opt.momentum;
    break;
  case OptimizerKind::Adam:
    numbers["beta_1"] = &opt.beta1;
    numbers["beta_2"] = &opt.beta2;
    break;
  case OptimizerKind::RMSProp:
    numbers["rho"] = &opt.rho;
    numbers["momentum"] = &opt.momentum;
    break;
  case OptimizerKind::Adagrad:
    numbers["initial_accumulator"] = &opt.initialAccumulator;
    break;
  case OptimizerKind::Adadelta:
    numbers["rho"] = &opt.rho;
    break;
  }
  const std::string &name = callee.name;
  static const std::vector<ast::Arg> noArgs;
  const std::vector<ast::Arg> &args = call ? call->args : noArgs;
  std::set<std::string> given;
  for (size_t i = 0; i < args.size(); ++i) {
    const ast::Arg &arg = args[i];
    std::string key = arg.key ? arg.key->name : (i == 0 ? "lr" : "");
    if (key.empty()) {
      diags_.error(arg.offset, name + " takes the learning rate first, then "
                                      "named options such as beta_1 = 0.9");
      continue;
    }
    if (key == "learning_rate")
      key = "lr";
    if (!given.insert(key).second) {
      diags_.error(arg.offset, "option '" + key + "' of " + name +
                                   " is given twice");
      continue;
    }
    if (key == "nesterov" && opt.kind == OptimizerKind::SGD) {
      const ast::Ident *id = ast::asIdent(arg.value);
      if (!id || (id->name != "true" && id->name != "false"))
        diags_.error(arg.offset, "nesterov expects 'true' or 'false'");
      else
        opt.nesterov = id->name == "true";
      continue;
    }
    auto it = numbers.find(key);
    if (it == numbers.end()) {
      std::vector<std::string> keys;
      for (const auto &n : numbers)
        keys.push_back(n.first);
      if (opt.kind == OptimizerKind::SGD)
        keys.push_back("nesterov");
      diags_.error(arg.key ? arg.key->offset : arg.offset,
                   name + " has no option '" + key + "'" +
                       didYouMean(key, keys));
      continue;
    }
    double v = 0;
    if (!readNumber(arg.value, key, v))
      continue;
    bool fraction = key == "momentum" || key == "beta_1" || key == "beta_2" ||
                    key == "rho";
    if (fraction ? !(v >= 0 && v < 1)
                 : (key == "initial_accumulator" ? v < 0 : !(v > 0))) {
      diags_.error(ast::offsetOf(arg.value),
                   key + (fraction ? " must be in [0, 1)"
                                   : " must be positive"));
      continue;
    }
    *it->second = v;
  }
}

} // namespace aenet::sema
