//===- AST.h - Syntax tree of the .aenet language ---------------*- C++ -*-===//
//
// The tree the X3 grammar builds. Every node that can be the subject of a
// diagnostic derives from `Located` and carries the byte offset where it starts;
// `SourceFile` turns offsets into line:column. The tree is purely syntactic:
// names are unresolved and shapes unknown until Sema runs.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_LANG_AST_H
#define AENET_LANG_AST_H

#include <boost/optional.hpp>
#include <boost/spirit/home/x3/support/ast/variant.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace aenet::ast {

namespace x3 = boost::spirit::x3;

/// Base of every node with a position: the byte offset of its first character.
struct Located {
  uint32_t offset = 0;
};

struct Ident : Located {
  std::string name;
};

/// A numeric literal kept as written (`64`, `-1`, `1e-3`, `1/255`).
struct Number : Located {
  std::string text;
  /// The value; `a/b` is divided out. May be infinite or NaN (`1e400`,
  /// `1/0`): readers of real numbers go through `sema::readReal`.
  double value() const;
  /// True for an integer literal (no `.`, exponent or fraction).
  bool isInteger() const;
  /// The exact value of an integer literal, or nothing when it is not one
  /// or does not fit 64 bits (a double would round 2^53 + 1).
  std::optional<int64_t> integer() const;
};

/// `3x3`, `2x2`, `8x7x7`.
struct SizeLit : Located {
  std::vector<int64_t> dims;
};

struct StringLit : Located {
  std::string value;
};

struct Call;
struct List;

/// An argument or setting value.
struct Value : x3::variant<Number, SizeLit, StringLit, Ident,
                           x3::forward_ast<Call>, x3::forward_ast<List>> {
  using base_type::base_type;
  using base_type::operator=;
};

/// `value` or `key = value`.
struct Arg : Located {
  boost::optional<Ident> key;
  Value value;
};

/// `name(args)`: layers, losses, data sources, optimizers, regularizers.
struct Call : Located {
  Ident callee;
  std::vector<Arg> args;
};

struct List : Located {
  std::vector<Value> items;
};

/// `f32[1, 28, 28]`, `f32[?, 6]`, `class[10]`, `chars[40, 64]`; `?` is -1.
struct TypeExpr : Located {
  std::string kind;
  std::vector<int64_t> dims;
};

struct InputDecl : Located {
  Ident name;
  TypeExpr type;
};

/// `LAYER(ARGS) [-> NAME]`.
struct LayerStmt : Located {
  Call call;
  boost::optional<Ident> output;
};

/// `encoder [(FROM)] {...}`, `decoder ...`, `head NAME [(FROM)] {...}`.
struct Block : Located {
  std::string kind;
  boost::optional<Ident> name;
  boost::optional<Ident> from;
  std::vector<LayerStmt> layers;
};

/// `loss [VALUE:] FN(ARGS) [weight W]`.
struct LossDecl : Located {
  boost::optional<Ident> value;
  Call fn;
  boost::optional<Number> weight;
};

/// `metric VALUE: FN(ARGS)`.
struct MetricDecl : Located {
  Ident value;
  Call fn;
};

struct ModelItem
    : x3::variant<InputDecl, Block, LossDecl, MetricDecl, LayerStmt> {
  using base_type::base_type;
  using base_type::operator=;
};

struct Model : Located {
  Ident name;
  std::vector<ModelItem> items;
};

/// `data SOURCE as A[, B] [scale S]` and `validate ...`.
struct DataStmt : Located {
  std::string kind;
  Call source;
  std::vector<Ident> inputs;
  boost::optional<Number> scale;
};

/// `corrupt INPUT with gaussian(S) [clip(A, B)]`.
struct CorruptStmt : Located {
  Ident input;
  std::vector<Call> transforms;
};

/// `init NAME from "path"`.
struct InitStmt : Located {
  Ident target;
  StringLit path;
};

/// Every other train line: `KEY VALUE[, VALUE]` (epochs, batch, optimizer, ...).
struct Setting : Located {
  Ident key;
  std::vector<Value> values;
};

/// `phase NAME { SETTING... }`: one stage of a train block with its own
/// optimizer, epochs and frozen set.
struct PhaseBlock : Located {
  Ident name;
  std::vector<Setting> settings;
};

struct TrainItem
    : x3::variant<DataStmt, CorruptStmt, InitStmt, PhaseBlock, Setting> {
  using base_type::base_type;
  using base_type::operator=;
};

struct Train : Located {
  Ident model;
  std::vector<TrainItem> items;
};

/// `param NAME = VALUE`: a number, size, string or name that the model and
/// train blocks use by NAME, and that `--set NAME=VALUE` replaces.
struct ParamDecl : Located {
  Ident name;
  Value value;
  /// Set by `bindParams` when the command line gave the value.
  bool set = false;
};

struct Decl : x3::variant<Model, Train, ParamDecl> {
  using base_type::base_type;
  using base_type::operator=;
};

struct Program {
  std::vector<Model> models;
  std::vector<Train> trains;
  /// In declaration order; after `bindParams`, each holds the value in
  /// effect (its own, or the one given on the command line).
  std::vector<ParamDecl> params;
};

/// The offset of any value alternative.
uint32_t offsetOf(const Value &value);

/// The value as an identifier, or null.
const Ident *asIdent(const Value &value);
const Number *asNumber(const Value &value);
const Call *asCall(const Value &value);

/// A short description of a value's kind for messages ("a number", "a size").
std::string describe(const Value &value);

} // namespace aenet::ast

#endif // AENET_LANG_AST_H
