//===- LayerArgs.cpp - Binding call arguments to layer options ------------===//
//
// Each layer kind has a signature: its options in positional order, each with
// a value kind and a setter into `LayerSpec`. Binding walks the positional
// arguments, skipping optional options that cannot take the value's kind, then
// applies keyword arguments by name.
//
//===----------------------------------------------------------------------===//

#include "LayerArgs.h"
#include "Numbers.h"

#include <algorithm>
#include <set>

namespace aenet::sema {

namespace {

namespace x3 = boost::spirit::x3;

enum class OptionKind { Int, Real, Size, Activation, Padding, Bool, Regularizer,
                        ShapeList };

/// A value converted to what an option holds.
struct OptionValue {
  int64_t integer = 0;
  double real = 0;
  std::array<int64_t, 2> size{0, 0};
  Activation activation = Activation::Linear;
  Padding padding = Padding::Valid;
  bool boolean = false;
  Regularizer regularizer;
  std::vector<int64_t> shape;
};

struct Option {
  const char *name;
  OptionKind kind;
  bool required;
  void (*apply)(LayerSpec &, const OptionValue &);
};

#define SETTER(EXPR) [](LayerSpec &s, const OptionValue &v) { EXPR; }

const Option kUnits{"units", OptionKind::Int, true, SETTER(s.units = v.integer)};
const Option kFilters{"filters", OptionKind::Int, true,
                      SETTER(s.units = v.integer)};
const Option kKernel{"kernel", OptionKind::Size, true,
                     SETTER(s.kernel = v.size)};
const Option kActivation{"activation", OptionKind::Activation, false,
                         SETTER(s.activation = v.activation)};
const Option kRequiredActivation{"activation", OptionKind::Activation, true,
                                 SETTER(s.activation = v.activation)};
const Option kRecurrentActivation{"recurrent_activation",
                                  OptionKind::Activation, false,
                                  SETTER(s.recurrentActivation = v.activation)};
const Option kPadding{"padding", OptionKind::Padding, false,
                      SETTER(s.padding = v.padding)};
const Option kStrides{"strides", OptionKind::Size, false,
                      SETTER(s.strides = v.size; s.stridesGiven = true)};
const Option kPool{"pool", OptionKind::Size, false, SETTER(s.pool = v.size)};
const Option kSize{"size", OptionKind::Size, false, SETTER(s.size = v.size)};
const Option kUseBias{"use_bias", OptionKind::Bool, false,
                      SETTER(s.useBias = v.boolean)};
const Option kUnitForgetBias{"unit_forget_bias", OptionKind::Bool, false,
                             SETTER(s.unitForgetBias = v.boolean)};
const Option kKernelReg{"kernel_regularizer", OptionKind::Regularizer, false,
                        SETTER(s.kernelRegularizer = v.regularizer)};
const Option kActivityReg{"activity_regularizer", OptionKind::Regularizer,
                          false, SETTER(s.activityRegularizer = v.regularizer)};
const Option kShape{"shape", OptionKind::ShapeList, true,
                    SETTER(s.targetShape = v.shape)};
const Option kRate{"rate", OptionKind::Real, true, SETTER(s.rate = v.real)};
const Option kStddev{"stddev", OptionKind::Real, true,
                     SETTER(s.stddev = v.real)};
const Option kAxis{"axis", OptionKind::Int, false, SETTER(s.axis = v.integer)};
const Option kReturnSequences{"return_sequences", OptionKind::Bool, false,
                              SETTER(s.returnSequences = v.boolean)};
const Option kStateful{"stateful", OptionKind::Bool, false,
                       SETTER(s.stateful = v.boolean)};
const Option kResetAfter{"reset_after", OptionKind::Bool, false,
                         SETTER(s.resetAfter = v.boolean)};

#undef SETTER

std::vector<Option> signatureOf(LayerKind kind) {
  switch (kind) {
  case LayerKind::Dense:
    return {kUnits, kActivation, kUseBias, kKernelReg, kActivityReg};
  case LayerKind::Conv2D:
  case LayerKind::Conv2DTranspose:
    return {kFilters, kKernel,  kActivation, kPadding,
            kStrides, kUseBias, kKernelReg,  kActivityReg};
  case LayerKind::MaxPool:
    return {kPool, kStrides, kPadding};
  case LayerKind::Upsample:
    return {kSize};
  case LayerKind::Flatten:
  case LayerKind::SampleNormal:
    return {};
  case LayerKind::Reshape:
    return {kShape};
  case LayerKind::Dropout:
    return {kRate};
  case LayerKind::GaussianNoise:
    return {kStddev};
  case LayerKind::Activation:
    return {kRequiredActivation};
  case LayerKind::Concat:
    return {kAxis};
  case LayerKind::RNN:
    return {kUnits, kActivation, kReturnSequences, kStateful, kUseBias};
  case LayerKind::LSTM:
    return {kUnits,           kActivation, kRecurrentActivation,
            kReturnSequences, kStateful,   kUseBias,
            kUnitForgetBias};
  case LayerKind::GRU:
    return {kUnits,     kActivation, kRecurrentActivation, kReturnSequences,
            kStateful,  kUseBias,    kResetAfter};
  }
  return {};
}

const char *describeKind(OptionKind kind) {
  switch (kind) {
  case OptionKind::Int:
    return "an integer";
  case OptionKind::Real:
    return "a number";
  case OptionKind::Size:
    return "a size such as 3x3 (or one integer)";
  case OptionKind::Activation:
    return "an activation";
  case OptionKind::Padding:
    return "'same' or 'valid'";
  case OptionKind::Bool:
    return "'true' or 'false'";
  case OptionKind::Regularizer:
    return "a regularizer such as l1(1e-5)";
  case OptionKind::ShapeList:
    return "a shape such as [8, 7, 7]";
  }
  return "a value";
}

const ast::Ident *identOf(const ast::Value &v) { return ast::asIdent(v); }

/// Whether |value| has the kind |kind| takes; no range checks.
bool fits(const ast::Value &value, OptionKind kind) {
  const ast::Number *n = ast::asNumber(value);
  const ast::Ident *id = identOf(value);
  switch (kind) {
  case OptionKind::Int:
    return n && n->isInteger();
  case OptionKind::Real:
    return n != nullptr;
  case OptionKind::Size:
    return (n && n->isInteger()) ||
           boost::get<ast::SizeLit>(&value.get()) != nullptr;
  case OptionKind::Activation:
    return id && parseActivation(id->name).has_value();
  case OptionKind::Padding:
    return id && (id->name == "same" || id->name == "valid");
  case OptionKind::Bool:
    return id && (id->name == "true" || id->name == "false");
  case OptionKind::Regularizer:
    return ast::asCall(value) != nullptr;
  case OptionKind::ShapeList:
    return boost::get<x3::forward_ast<ast::List>>(&value.get()) ||
           boost::get<ast::SizeLit>(&value.get());
  }
  return false;
}

/// Converts |value| for |option|; reports and returns false when it does not
/// fit or is out of range.
bool convert(const ast::Value &value, const Option &option, LayerKind layer,
             OptionValue &out, DiagnosticEngine &diags) {
  uint32_t at = ast::offsetOf(value);
  std::string where = std::string("option '") + option.name + "' of " +
                      layerKindName(layer);
  if (!fits(value, option.kind)) {
    std::string hint;
    if (const ast::Ident *id = identOf(value)) {
      if (option.kind == OptionKind::Activation)
        hint = didYouMean(id->name, activationNames());
      else if (option.kind == OptionKind::Padding)
        hint = didYouMean(id->name, {"same", "valid"});
      else if (option.kind == OptionKind::Bool)
        hint = didYouMean(id->name, {"true", "false"});
    }
    diags.error(at, where + " expects " + describeKind(option.kind) +
                        ", got " + ast::describe(value) + hint);
    return false;
  }
  // Every count and extent is bounded by kMaxElements, so shape inference
  // can multiply two of them without overflowing.
  auto inRange = [&](int64_t v) {
    if (v < 1)
      diags.error(at, where + " must be at least 1, got " + std::to_string(v));
    else if (v > kMaxElements)
      diags.error(at, where + " must be at most " +
                          std::to_string(kMaxElements) + ", got " +
                          std::to_string(v));
    return v >= 1 && v <= kMaxElements;
  };
  switch (option.kind) {
  case OptionKind::Int: {
    bool isAxis = std::string(option.name) == "axis";
    std::optional<int64_t> v = readInteger(
        value, where, isAxis ? -kMaxElements : 1, kMaxElements, diags);
    out.integer = v.value_or(0);
    return v.has_value();
  }
  case OptionKind::Real: {
    std::optional<double> v = readReal(value, where, diags);
    out.real = v.value_or(0);
    return v.has_value();
  }
  case OptionKind::Size:
    if (ast::asNumber(value)) {
      std::optional<int64_t> v =
          readInteger(value, where, 1, kMaxElements, diags);
      out.size = {v.value_or(1), v.value_or(1)};
      return v.has_value();
    } else {
      const auto &dims = boost::get<ast::SizeLit>(value.get()).dims;
      if (dims.size() != 2) {
        diags.error(at, where + " expects a 2-D size such as 3x3");
        return false;
      }
      out.size = {dims[0], dims[1]};
      return inRange(out.size[0]) && inRange(out.size[1]);
    }
  case OptionKind::Activation:
    out.activation = *parseActivation(identOf(value)->name);
    return true;
  case OptionKind::Padding:
    out.padding =
        identOf(value)->name == "same" ? Padding::Same : Padding::Valid;
    return true;
  case OptionKind::Bool:
    out.boolean = identOf(value)->name == "true";
    return true;
  case OptionKind::Regularizer:
    return readRegularizer(value, out.regularizer, diags);
  case OptionKind::ShapeList: {
    if (const auto *size = boost::get<ast::SizeLit>(&value.get())) {
      out.shape.assign(size->dims.begin(), size->dims.end());
    } else {
      for (const ast::Value &item :
           boost::get<x3::forward_ast<ast::List>>(value.get()).get().items) {
        std::optional<int64_t> d = readInteger(item, "a reshape dimension",
                                               -kMaxElements, kMaxElements,
                                               diags);
        if (!d)
          return false;
        out.shape.push_back(*d);
      }
    }
    if (out.shape.empty()) {
      diags.error(at, "reshape needs at least one dimension");
      return false;
    }
    int unknown = 0;
    for (int64_t d : out.shape) {
      if (d == -1)
        ++unknown;
      else if (d < 1 || d > kMaxElements) {
        diags.error(at, "a reshape dimension must be positive or -1, got " +
                            std::to_string(d));
        return false;
      }
    }
    if (unknown > 1) {
      diags.error(at, "reshape allows at most one -1 dimension");
      return false;
    }
    return true;
  }
  }
  return false;
}

/// Range checks that depend on the option, after conversion.
bool checkRange(const Option &option, const OptionValue &v,
                const ast::Value &value, DiagnosticEngine &diags) {
  uint32_t at = ast::offsetOf(value);
  std::string name = option.name;
  if (name == "rate" && !(v.real >= 0 && v.real < 1)) {
    diags.error(at, "dropout rate must be in [0, 1), got " +
                        ast::describe(value));
    return false;
  }
  if (name == "stddev" && !(v.real >= 0)) {
    diags.error(at, "gaussian_noise stddev must not be negative");
    return false;
  }
  return true;
}

} // namespace

bool isReservedWord(const std::string &word) {
  static const std::set<std::string> words = {"same", "valid", "true",
                                              "false", "mean", "sum"};
  return words.count(word) || parseActivation(word).has_value();
}

bool readRegularizer(const ast::Value &value, Regularizer &out,
                     DiagnosticEngine &diags) {
  const ast::Call *call = ast::asCall(value);
  const std::string name = call ? call->callee.name : "";
  size_t wanted = name == "l1_l2" ? 2 : 1;
  if (name != "l1" && name != "l2" && name != "l1_l2") {
    diags.error(ast::offsetOf(value),
                "expected a regularizer l1(f), l2(f) or l1_l2(a, b), got " +
                    ast::describe(value) + didYouMean(name, {"l1", "l2"}));
    return false;
  }
  if (call->args.size() != wanted) {
    diags.error(call->offset, name + " takes " + std::to_string(wanted) +
                                  (wanted == 1 ? " factor" : " factors"));
    return false;
  }
  double factors[2] = {0, 0};
  for (size_t i = 0; i < wanted; ++i) {
    const ast::Number *n = ast::asNumber(call->args[i].value);
    if (!n || n->value() < 0 || call->args[i].key) {
      diags.error(call->args[i].offset,
                  name + " takes non-negative numbers, got " +
                      ast::describe(call->args[i].value));
      return false;
    }
    std::optional<double> factor = readReal(*n, name + " factor", diags);
    if (!factor)
      return false;
    factors[i] = *factor;
  }
  out = name == "l1"   ? Regularizer{factors[0], 0}
        : name == "l2" ? Regularizer{0, factors[0]}
                       : Regularizer{factors[0], factors[1]};
  return true;
}

BoundLayer bindLayer(LayerKind kind, const ast::Call &call,
                     const ValueLookup &lookup, const ValueNames &valueNames,
                     DiagnosticEngine &diags) {
  BoundLayer bound;
  bound.spec.kind = kind;
  if (kind == LayerKind::LSTM || kind == LayerKind::GRU ||
      kind == LayerKind::RNN)
    bound.spec.activation = Activation::Tanh;
  const std::vector<Option> signature = signatureOf(kind);
  const std::string layer = layerKindName(kind);
  std::vector<bool> given(signature.size(), false);
  std::vector<uint32_t> givenAt(signature.size(), 0);
  bool takesValues = !takesCurrentValue(kind);
  size_t next = 0;
  bool first = true;

  auto fail = [&](uint32_t at, std::string message) {
    diags.error(at, std::move(message));
    bound.ok = false;
  };
  auto apply = [&](size_t index, const ast::Value &value) {
    OptionValue converted;
    if (!convert(value, signature[index], kind, converted, diags) ||
        !checkRange(signature[index], converted, value, diags)) {
      bound.ok = false;
      return;
    }
    // A recurrent cell applies its activations elementwise to each unit.
    bool recurrent = kind == LayerKind::RNN || kind == LayerKind::LSTM ||
                     kind == LayerKind::GRU;
    if (recurrent && signature[index].kind == OptionKind::Activation &&
        converted.activation == Activation::Softmax) {
      fail(ast::offsetOf(value),
           std::string(signature[index].name) + " of " + layer +
               " applies to each unit; softmax is not such an activation");
      return;
    }
    signature[index].apply(bound.spec, converted);
  };

  for (const ast::Arg &arg : call.args) {
    if (arg.key) {
      const std::string &key = arg.key->name;
      auto it = std::find_if(signature.begin(), signature.end(),
                             [&](const Option &o) { return key == o.name; });
      if (it == signature.end()) {
        std::vector<std::string> names;
        for (const Option &o : signature)
          names.push_back(o.name);
        fail(arg.key->offset, layer + " has no option '" + key + "'" +
                                  didYouMean(key, names));
        continue;
      }
      size_t index = it - signature.begin();
      if (given[index]) {
        fail(arg.key->offset, "option '" + key + "' of " + layer +
                                  " is given twice");
        continue;
      }
      given[index] = true;
      givenAt[index] = arg.offset;
      apply(index, arg.value);
      continue;
    }
    const ast::Ident *id = ast::asIdent(arg.value);
    // A leading name that is not a keyword is a value: the branch source, or
    // for sample_normal/concat an operand.
    bool isValueName = id && !isReservedWord(id->name);
    if (isValueName && (takesValues || (first && next == 0))) {
      first = false;
      int value = lookup(id->name);
      if (value < 0) {
        std::vector<std::string> words = valueNames();
        for (const std::string &a : activationNames())
          words.push_back(a);
        fail(id->offset, "'" + id->name + "' is not a defined value" +
                             didYouMean(id->name, words));
        continue;
      }
      bound.namedOperands.push_back(value);
      continue;
    }
    first = false;
    size_t index = next;
    while (index < signature.size() &&
           (given[index] || (!signature[index].required &&
                             !fits(arg.value, signature[index].kind))))
      ++index;
    if (index == signature.size()) {
      // A value that fits an option already given is a second one of it
      // (`dense(784, sigmoid, relu)`): say so rather than "unexpected".
      size_t again = 0;
      while (again < signature.size() &&
             !(given[again] && fits(arg.value, signature[again].kind)))
        ++again;
      if (again < signature.size()) {
        fail(arg.offset, "option '" + std::string(signature[again].name) +
                             "' of " + layer + " is already set; " +
                             ast::describe(arg.value) +
                             " would set it a second time");
        diags.note(givenAt[again],
                   "'" + std::string(signature[again].name) + "' set here");
      } else if (id) {
        std::vector<std::string> words = activationNames();
        words.insert(words.end(), {"same", "valid", "true", "false"});
        fail(id->offset, "unexpected '" + id->name + "' in " + layer +
                             didYouMean(id->name, words));
      }
      else
        fail(arg.offset, "too many arguments to " + layer);
      continue;
    }
    given[index] = true;
    givenAt[index] = arg.offset;
    next = index + 1;
    apply(index, arg.value);
  }

  for (size_t i = 0; i < signature.size(); ++i)
    if (signature[i].required && !given[i] && bound.ok)
      fail(call.offset, layer + " needs its '" + signature[i].name +
                            "' option");
  return bound;
}

} // namespace aenet::sema
