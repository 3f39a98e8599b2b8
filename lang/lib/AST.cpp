//===- AST.cpp - Helpers on syntax tree nodes -----------------------------===//
//
// Literal values and uniform access to the alternatives of `ast::Value`.
//
//===----------------------------------------------------------------------===//

#include "aenet/Lang/AST.h"

#include <charconv>
#include <cstdlib>

namespace aenet::ast {

double Number::value() const {
  size_t slash = text.find('/');
  if (slash == std::string::npos)
    return std::strtod(text.c_str(), nullptr);
  double numerator = std::strtod(text.substr(0, slash).c_str(), nullptr);
  double denominator = std::strtod(text.substr(slash + 1).c_str(), nullptr);
  return numerator / denominator;
}

bool Number::isInteger() const {
  return text.find_first_of(".eE/") == std::string::npos;
}

std::optional<int64_t> Number::integer() const {
  if (!isInteger())
    return std::nullopt;
  int64_t value = 0;
  const char *begin = text.data(), *end = text.data() + text.size();
  auto [stop, ec] = std::from_chars(begin, end, value);
  if (ec != std::errc() || stop != end)
    return std::nullopt;
  return value;
}

namespace {
struct OffsetVisitor {
  using result_type = uint32_t;
  template <typename T> uint32_t operator()(const T &node) const {
    return node.offset;
  }
  template <typename T>
  uint32_t operator()(const x3::forward_ast<T> &node) const {
    return node.get().offset;
  }
};

template <typename T> const T *getIf(const Value &value) {
  return boost::get<T>(&value.get());
}
} // namespace

uint32_t offsetOf(const Value &value) {
  return boost::apply_visitor(OffsetVisitor(), value);
}

const Ident *asIdent(const Value &value) { return getIf<Ident>(value); }
const Number *asNumber(const Value &value) { return getIf<Number>(value); }
const Call *asCall(const Value &value) {
  const auto *call = getIf<x3::forward_ast<Call>>(value);
  return call ? &call->get() : nullptr;
}

std::string describe(const Value &value) {
  if (const Number *n = asNumber(value))
    return n->isInteger() ? "the integer " + n->text : "the number " + n->text;
  if (getIf<SizeLit>(value))
    return "a size";
  if (getIf<StringLit>(value))
    return "a string";
  if (const Ident *id = asIdent(value))
    return "'" + id->name + "'";
  if (const Call *call = asCall(value))
    return "'" + call->callee.name + "(...)'";
  return "a list";
}

} // namespace aenet::ast
