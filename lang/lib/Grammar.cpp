//===- Grammar.cpp - The Boost.Spirit X3 grammar of .aenet ----------------===//
//
// The grammar in one place, rule by rule, and the driver that parses one
// top-level declaration at a time so that a syntax error in one does not hide
// the errors of the next. Every rule that follows a `>` has a name written for
// a person ("a name", "a type such as f32[784]"), because X3 reports an
// expectation failure with the name of the rule that failed.
//
// Hostile input is bounded here: values nest at most `kMaxNesting` deep (the
// rules recurse, so deeper input would overflow the stack), names are at most
// `kMaxNameLength` characters, and integers that do not fit 64 bits are
// refused where they are read rather than wrapped.
//
//===----------------------------------------------------------------------===//

#include "aenet/Lang/Parser.h"

#include <boost/fusion/include/adapt_struct.hpp>
#include <boost/spirit/home/x3.hpp>

#include <cctype>
#include <charconv>
#include <type_traits>

BOOST_FUSION_ADAPT_STRUCT(aenet::ast::Arg, key, value)
BOOST_FUSION_ADAPT_STRUCT(aenet::ast::Call, callee, args)
BOOST_FUSION_ADAPT_STRUCT(aenet::ast::TypeExpr, kind, dims)
BOOST_FUSION_ADAPT_STRUCT(aenet::ast::InputDecl, name, type)
BOOST_FUSION_ADAPT_STRUCT(aenet::ast::LayerStmt, call, output)
BOOST_FUSION_ADAPT_STRUCT(aenet::ast::Block, kind, name, from, layers)
BOOST_FUSION_ADAPT_STRUCT(aenet::ast::LossDecl, value, fn, weight)
BOOST_FUSION_ADAPT_STRUCT(aenet::ast::MetricDecl, value, fn)
BOOST_FUSION_ADAPT_STRUCT(aenet::ast::Model, name, items)
BOOST_FUSION_ADAPT_STRUCT(aenet::ast::DataStmt, kind, source, inputs, scale)
BOOST_FUSION_ADAPT_STRUCT(aenet::ast::CorruptStmt, input, transforms)
BOOST_FUSION_ADAPT_STRUCT(aenet::ast::InitStmt, target, path)
BOOST_FUSION_ADAPT_STRUCT(aenet::ast::Setting, key, values)
BOOST_FUSION_ADAPT_STRUCT(aenet::ast::PhaseBlock, name, settings)
BOOST_FUSION_ADAPT_STRUCT(aenet::ast::Train, model, items)
BOOST_FUSION_ADAPT_STRUCT(aenet::ast::ParamDecl, name, value)

namespace aenet {
namespace grammar {

namespace x3 = boost::spirit::x3;
using Iterator = std::string::const_iterator;

/// Context key under which the parse passes the start of the buffer, so that
/// rules can record byte offsets.
struct BufferStartTag;
/// Context key of the current nesting depth of values (an `unsigned &`).
struct NestingTag;

/// A syntax error with its own message, thrown where an expectation failure
/// ("expected X") would not say what is wrong.
struct SyntaxError {
  Iterator where;
  std::string message;
};

/// Base of every rule ID: stamps the node with the offset where it starts.
/// X3 calls this after skipping leading whitespace.
struct Annotate {
  template <typename Attr, typename Context>
  void on_success(const Iterator &first, const Iterator &, Attr &attr,
                  const Context &context) {
    if constexpr (std::is_base_of_v<ast::Located, Attr>) {
      const Iterator &start = x3::get<BufferStartTag>(context);
      attr.offset = static_cast<uint32_t>(first - start);
    }
  }
};

using x3::alnum;
using x3::alpha;
using x3::char_;
using x3::digit;
using x3::lexeme;
using x3::lit;
using x3::raw;

/// `word` not followed by an identifier character, so `input` is no prefix of
/// `inputs`.
inline auto keyword(const char *word) {
  return lexeme[lit(word) >> !(alnum | '_')];
}

#define AENET_KEYWORD(NAME, WORD)                                              \
  const auto NAME = x3::rule<struct NAME##_id>{"'" WORD "'"} = keyword(WORD);

AENET_KEYWORD(kwModel, "model")
AENET_KEYWORD(kwTrain, "train")
AENET_KEYWORD(kwInput, "input")
AENET_KEYWORD(kwLoss, "loss")
AENET_KEYWORD(kwMetric, "metric")
AENET_KEYWORD(kwWeight, "weight")
AENET_KEYWORD(kwAs, "as")
AENET_KEYWORD(kwScale, "scale")
AENET_KEYWORD(kwCorrupt, "corrupt")
AENET_KEYWORD(kwWith, "with")
AENET_KEYWORD(kwInit, "init")
AENET_KEYWORD(kwFrom, "from")
AENET_KEYWORD(kwPhase, "phase")
AENET_KEYWORD(kwParam, "param")

const auto skipper = x3::space | lexeme['#' >> *(char_ - x3::eol)];

/// Whether the text at |at| opens a list or a call (`[`, or a name and `(`),
/// the values that nest.
template <typename It, typename Context>
bool opensNesting(It at, const It &last, const Context &context) {
  if (at == last || *at == '[')
    return at != last;
  if (!(std::isalpha(static_cast<unsigned char>(*at)) || *at == '_'))
    return false;
  while (at != last &&
         (std::isalnum(static_cast<unsigned char>(*at)) || *at == '_'))
    ++at;
  x3::skip_over(at, last, context);
  return at != last && *at == '(';
}

/// `nested[p]` parses |p| one nesting level deeper. A list or a call
/// `kMaxNesting` levels deep throws a `SyntaxError`. Every recursion of the
/// grammar (a call in an argument, a list in a list) goes through `value`,
/// which is wrapped in it, so the stack a parse needs is bounded.
template <typename Subject>
struct NestingGuard : x3::unary_parser<Subject, NestingGuard<Subject>> {
  using base_type = x3::unary_parser<Subject, NestingGuard<Subject>>;
  static const bool is_pass_through_unary = true;
  static const bool handles_container = Subject::handles_container;
  constexpr NestingGuard(const Subject &subject) : base_type(subject) {}

  template <typename It, typename Context, typename RContext,
            typename Attribute>
  bool parse(It &first, const It &last, const Context &context,
             RContext &rcontext, Attribute &attr) const {
    unsigned &depth = x3::get<NestingTag>(context);
    if (depth >= kMaxNesting) {
      It at = first;
      x3::skip_over(at, last, context);
      if (opensNesting(at, last, context))
        throw SyntaxError{at, "nested too deeply: calls and lists may nest "
                              "at most " +
                                  std::to_string(kMaxNesting) + " levels"};
    }
    ++depth;
    struct Leave {
      unsigned &depth;
      ~Leave() { --depth; }
    } leave{depth};
    return this->subject.parse(first, last, context, rcontext, attr);
  }
};

struct NestingGuardGen {
  template <typename Subject>
  constexpr NestingGuard<typename x3::extension::as_parser<Subject>::value_type>
  operator[](const Subject &subject) const {
    return {x3::as_parser(subject)};
  }
};
constexpr NestingGuardGen nested{};

/// The digits of |range| as an int64_t; throws a `SyntaxError` when they do
/// not fit (X3's numeric parsers would fail silently and let another
/// alternative misread the text).
template <typename Range> int64_t exactDigits(const Range &range) {
  std::string digits(range.begin(), range.end());
  int64_t value = 0;
  auto [end, ec] =
      std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc() || end != digits.data() + digits.size())
    throw SyntaxError{range.begin(),
                      "the integer " + digits + " is too large (at most " +
                          std::to_string(INT64_MAX) + ")"};
  return value;
}

// Single-member nodes are built by actions (X3 does not adapt one-field
// structs well). X3 does not hand the attribute of a rule with an action to
// `on_success`, so these actions stamp the offset themselves, from the `raw`
// range of the match (which excludes the skipped whitespace before it).
template <typename Context, typename Range>
uint32_t offsetOf(const Context &ctx, const Range &range) {
  const Iterator &start = x3::get<BufferStartTag>(ctx);
  return static_cast<uint32_t>(range.begin() - start);
}

const auto setName = [](auto &ctx) {
  auto &range = x3::_attr(ctx);
  // Names become file names and picture labels downstream; a run must not
  // fail at its end for a name that could be refused here.
  size_t length = static_cast<size_t>(range.end() - range.begin());
  if (length > kMaxNameLength)
    throw SyntaxError{range.begin(),
                      "a name may have at most " +
                          std::to_string(kMaxNameLength) +
                          " characters; this one has " +
                          std::to_string(length)};
  x3::_val(ctx).name.assign(range.begin(), range.end());
  x3::_val(ctx).offset = offsetOf(ctx, range);
};
const auto setText = [](auto &ctx) {
  auto &range = x3::_attr(ctx);
  x3::_val(ctx).text.assign(range.begin(), range.end());
  x3::_val(ctx).offset = offsetOf(ctx, range);
};
const auto setString = [](auto &ctx) {
  auto &range = x3::_attr(ctx);
  std::string &value = x3::_val(ctx).value;
  // Drop the quotes and undo backslash escapes.
  for (auto it = std::next(range.begin()); it != range.end(); ++it) {
    if (std::next(it) == range.end())
      break;
    if (*it == '\\')
      ++it;
    value += *it;
  }
  x3::_val(ctx).offset = offsetOf(ctx, range);
};
const auto setDims = [](auto &ctx) {
  auto &range = x3::_attr(ctx);
  auto begin = range.begin();
  for (auto it = range.begin();; ++it) {
    if (it == range.end() || *it == 'x') {
      x3::_val(ctx).dims.push_back(
          exactDigits(boost::make_iterator_range(begin, it)));
      if (it == range.end())
        break;
      begin = std::next(it);
    }
  }
  x3::_val(ctx).offset = offsetOf(ctx, range);
};
const auto setDim = [](auto &ctx) {
  x3::_val(ctx) = exactDigits(x3::_attr(ctx));
};
const auto setUnknownDim = [](auto &ctx) { x3::_val(ctx) = int64_t(-1); };
const auto setItems = [](auto &ctx) {
  auto &attr = x3::_attr(ctx);
  x3::_val(ctx).offset = offsetOf(ctx, boost::fusion::at_c<0>(attr));
  x3::_val(ctx).items = std::move(boost::fusion::at_c<1>(attr));
};

struct ident_id : Annotate {};
struct number_id : Annotate {};
struct size_id : Annotate {};
struct string_id : Annotate {};
struct value_id : Annotate {};
struct arg_id : Annotate {};
struct call_id : Annotate {};
struct list_id : Annotate {};
struct type_id : Annotate {};
struct input_id : Annotate {};
struct layer_id : Annotate {};
struct block_id : Annotate {};
struct loss_id : Annotate {};
struct metric_id : Annotate {};
struct model_id : Annotate {};
struct data_id : Annotate {};
struct corrupt_id : Annotate {};
struct init_id : Annotate {};
struct setting_id : Annotate {};
struct phase_id : Annotate {};
struct train_id : Annotate {};
struct param_id : Annotate {};

const x3::rule<ident_id, ast::Ident> ident = "a name";
const x3::rule<number_id, ast::Number> number = "a number";
const x3::rule<size_id, ast::SizeLit> size = "a size such as 3x3";
const x3::rule<string_id, ast::StringLit> stringLit = "a string";
const x3::rule<value_id, ast::Value> value = "a value";
const x3::rule<arg_id, ast::Arg> arg = "an argument";
const x3::rule<call_id, ast::Call> call = "a call such as dense(64)";
const x3::rule<list_id, ast::List> list = "a list";
const x3::rule<type_id, ast::TypeExpr> typeExpr =
    "a type such as f32[784], class[10] or chars[40, 64]";
const x3::rule<input_id, ast::InputDecl> inputDecl = "an input";
const x3::rule<layer_id, ast::LayerStmt> layerStmt = "a layer";
const x3::rule<block_id, ast::Block> block = "a block";
const x3::rule<loss_id, ast::LossDecl> lossDecl = "a loss";
const x3::rule<metric_id, ast::MetricDecl> metricDecl = "a metric";
const x3::rule<model_id, ast::Model> model = "a model";
const x3::rule<data_id, ast::DataStmt> dataStmt = "a data line";
const x3::rule<corrupt_id, ast::CorruptStmt> corruptStmt = "a corrupt line";
const x3::rule<init_id, ast::InitStmt> initStmt = "an init line";
const x3::rule<setting_id, ast::Setting> setting = "a setting";
const x3::rule<phase_id, ast::PhaseBlock> phaseBlock = "a phase";
const x3::rule<train_id, ast::Train> train = "a train block";
const x3::rule<param_id, ast::ParamDecl> paramDecl = "a parameter";

// Helpers with readable names for the places an expectation can fail.
const auto name =
    x3::rule<struct name_id, std::string>{"a name"} =
        lexeme[(alpha | char_('_')) >> *(alnum | char_('_'))];
const auto numberText = lexeme[-char_('-') >>
                               ((+digit >> -('.' >> *digit)) | ('.' >> +digit)) >>
                               -(char_("eE") >> -char_("+-") >> +digit)];
const auto dim = x3::rule<struct dim_id, int64_t>{"a dimension or '?'"} =
    raw[lexeme[+digit]][setDim] | lit('?')[setUnknownDim];
const auto dims = x3::rule<struct dims_id, std::vector<int64_t>>{
                      "a list of dimensions"} = dim % ',';
const auto typeKind =
    x3::rule<struct type_kind_id, std::string>{
        "a type such as f32[784], class[10] or chars[40, 64]"} =
        raw[keyword("f32") | keyword("class") | keyword("chars")];
const auto blockKind = x3::rule<struct block_kind_id, std::string>{"a block"} =
    raw[keyword("encoder") | keyword("decoder") | keyword("head")];
const auto dataKind = x3::rule<struct data_kind_id, std::string>{"data"} =
    raw[keyword("data") | keyword("validate")];
const auto identList =
    x3::rule<struct ident_list_id, std::vector<ast::Ident>>{"a name"} =
        ident % ',';
const auto valueList =
    x3::rule<struct value_list_id, std::vector<ast::Value>>{"a value"} =
        value % ',';
const auto transforms =
    x3::rule<struct transforms_id, std::vector<ast::Call>>{
        "a noise such as gaussian(0.5)"} = +call;
const auto arrow = x3::rule<struct arrow_id>{"'->'"} = lit("->");
const auto layerClose =
    x3::rule<struct layer_close_id>{"'}' or a layer"} = lit('}');
const auto modelClose = x3::rule<struct model_close_id>{
    "'}' or a model item (input, layer, encoder, decoder, head, loss, "
    "metric)"} = lit('}');
const auto trainClose = x3::rule<struct train_close_id>{
    "'}' or a train setting"} = lit('}');
const auto phaseClose = x3::rule<struct phase_close_id>{
    "'}' or a phase setting (optimizer, epochs, freeze)"} = lit('}');

const auto ident_def = raw[name][setName];
const auto number_def = raw[lexeme[numberText >> -('/' >> numberText)]][setText];
const auto size_def =
    raw[lexeme[&(+digit >> 'x' >> digit) >> (+digit % 'x')]][setDims];
const auto stringBody =
    x3::rule<struct string_body_id, boost::iterator_range<Iterator>>{
        "a string"} =
        raw[lexeme[('"' >> *(('\\' >> char_) | ~char_("\"\r\n"))) > '"']];
const auto stringLit_def = stringBody[setString];
const auto value_def =
    nested[size | number | stringLit | call | list | ident];
const auto valueAfterEquals =
    x3::rule<struct value_after_equals_id, ast::Value>{"a value after '='"} =
        value;
// Two alternatives that each set both fields: with `-(ident >> '=') >> value`
// X3 leaves the name of a failed `key =` attempt in the optional. Once `key =`
// is read a value must follow.
const auto arg_def = ((ident >> '=') > valueAfterEquals) |
                     (x3::attr(boost::optional<ast::Ident>()) >> value);
const auto call_def = (ident >> '(') > -(arg % ',') > ')';
const auto listItems =
    x3::rule<struct list_items_id, std::vector<ast::Value>>{"a value"} =
        -(value % ',');
const auto openBracket =
    x3::rule<struct open_bracket_id, boost::iterator_range<Iterator>>{"'['"} =
        raw[lit('[')];
const auto list_def = (openBracket > listItems > ']')[setItems];
const auto typeExpr_def = typeKind > '[' > dims > ']';
const auto inputDecl_def = kwInput > ident > ':' > typeExpr;
const auto layerStmt_def = call >> -(arrow > ident);
const auto block_def = blockKind > -ident > -('(' > ident > ')') > '{' >
                       *layerStmt > layerClose;
const auto lossFn =
    x3::rule<struct loss_fn_id, ast::Call>{
        "a loss such as 'recon: mse(x)' or 'kl_normal(mu, logvar)'"} = call;
const auto lossWeight = -(kwWeight > number);
// As with `arg`, two alternatives that each set every field: an optional
// `VALUE :` would keep the callee's name after `loss kl_normal(...)`.
const auto lossBody =
    x3::rule<struct loss_body_id, ast::LossDecl>{
        "a loss such as 'recon: mse(x)' or 'kl_normal(mu, logvar)'"} =
        ((ident >> ':') > lossFn > lossWeight) |
        ((x3::attr(boost::optional<ast::Ident>()) >> lossFn) > lossWeight);
const auto lossDecl_def = kwLoss > lossBody;
const auto metricFn =
    x3::rule<struct metric_fn_id, ast::Call>{
        "a metric such as accuracy(digit)"} = call;
const auto metricDecl_def = kwMetric > ident > ':' > metricFn;
const auto model_def =
    kwModel > ident > '{' >
    *(inputDecl | block | lossDecl | metricDecl | layerStmt) > modelClose;
const auto sourceCall =
    x3::rule<struct source_call_id, ast::Call>{
        "a data source such as idx(\"train-images.gz\")"} = call;
const auto dataStmt_def =
    dataKind > sourceCall > kwAs > identList > -(kwScale > number);
const auto corruptStmt_def = kwCorrupt > ident > kwWith > transforms;
const auto initStmt_def = kwInit > ident > kwFrom > stringLit;
// `reset_state every 40`: the word and the count, as two values.
const auto everyClause =
    x3::rule<struct every_clause_id, std::vector<ast::Value>>{"'every N'"} =
        &keyword("every") >> ident >> (number | ident);
const auto setting_def = ident > (everyClause | valueList);
// A phase holds settings only; Sema says which ones it takes.
const auto phaseBlock_def = kwPhase > ident > '{' > *setting > phaseClose;
const auto train_def =
    kwTrain > ident > '{' >
    *(dataStmt | corruptStmt | initStmt | phaseBlock | setting) > trainClose;

// A parameter's value is one literal or name: values only, no calls or
// lists, so a parameter never stands for structure.
const auto paramValue = x3::rule<struct param_value_id, ast::Value>{
    "a number, size, string or name"} =
    size | number | stringLit | (!(kwModel | kwTrain | kwParam) >> ident);
// Nothing but a comment may follow the value on its line: `param n = 3 4`
// or `param k = dense(3)` would otherwise fail later, at the next token.
const auto paramEnd = x3::rule<struct param_end_id>{
    "the end of the line: a parameter's value is one number, size, string "
    "or name"} = x3::no_skip[&(*x3::blank >> (x3::eol | x3::eoi | '#'))];
const auto paramDecl_def = kwParam > ident > '=' > paramValue > paramEnd;

BOOST_SPIRIT_DEFINE(ident, number, size, stringLit, value, arg, call, list,
                    typeExpr, inputDecl, layerStmt, block, lossDecl,
                    metricDecl, model, dataStmt, corruptStmt, initStmt,
                    setting, phaseBlock, train, paramDecl)

const auto decl = model | train | paramDecl;

} // namespace grammar

namespace {

/// True when |text| at |pos| starts with |word| as a whole word.
bool startsWord(const std::string &text, size_t pos, const char *word) {
  size_t n = std::char_traits<char>::length(word);
  if (text.compare(pos, n, word) != 0)
    return false;
  return pos + n >= text.size() ||
         !(std::isalnum(static_cast<unsigned char>(text[pos + n])) ||
           text[pos + n] == '_');
}

/// True when nothing but whitespace and comments follows |pos|.
bool onlyCommentsFrom(const std::string &text, size_t pos) {
  while (pos < text.size()) {
    if (text[pos] == '#')
      pos = std::min(text.find_first_of("\r\n", pos), text.size());
    else if (std::isspace(static_cast<unsigned char>(text[pos])))
      ++pos;
    else
      return false;
  }
  return true;
}

/// The offset of the first line after |from| whose first word is `model` or
/// `train`, or the end of the text. Any of "\n", "\r\n" and "\r" ends a line.
size_t nextDeclaration(const std::string &text, size_t from) {
  size_t pos = text.find_first_of("\r\n", from);
  while (pos != std::string::npos) {
    size_t start = text.find_first_not_of(" \t\r\n", pos + 1);
    if (start == std::string::npos)
      break;
    if (startsWord(text, start, "model") || startsWord(text, start, "train") ||
        startsWord(text, start, "param"))
      return start;
    pos = text.find_first_of("\r\n", start);
  }
  return text.size();
}

} // namespace

ast::Program parseProgram(const SourceFile &file, DiagnosticEngine &diags) {
  namespace x3 = boost::spirit::x3;
  ast::Program program;
  const std::string &text = file.text();
  const grammar::Iterator start = text.begin(), end = text.end();
  grammar::Iterator it = start;
  unsigned depth = 0;
  const auto parser = x3::with<grammar::BufferStartTag>(
      start)[x3::with<grammar::NestingTag>(depth)[grammar::decl]];
  while (!diags.errorLimitReached()) {
    x3::skip_over(it, end, x3::make_context<x3::skipper_tag>(grammar::skipper));
    if (it == end)
      break;
    ast::Decl decl;
    size_t failedAt = std::string::npos;
    // What was expected is missing at the end of the previous token; when the
    // next token is on a later line, point there (as clang does), otherwise at
    // the next token. X3 reports the position before skipping whitespace.
    auto missingAt = [&](size_t at) {
      size_t back = at;
      while (back > 0 &&
             std::isspace(static_cast<unsigned char>(text[back - 1])))
        --back;
      size_t next = at;
      while (next < text.size() &&
             std::isspace(static_cast<unsigned char>(text[next])))
        ++next;
      return text.find_first_of("\r\n", back) < next ? back : next;
    };
    depth = 0;
    try {
      if (x3::phrase_parse(it, end, parser, grammar::skipper, decl)) {
        if (auto *m = boost::get<ast::Model>(&decl))
          program.models.push_back(std::move(*m));
        else if (auto *t = boost::get<ast::Train>(&decl))
          program.trains.push_back(std::move(*t));
        else
          program.params.push_back(std::move(boost::get<ast::ParamDecl>(decl)));
        continue;
      }
      failedAt = it - start;
      size_t wordEnd = failedAt;
      while (wordEnd < text.size() &&
             (std::isalnum(static_cast<unsigned char>(text[wordEnd])) ||
              text[wordEnd] == '_'))
        ++wordEnd;
      std::string word = text.substr(failedAt, wordEnd - failedAt);
      diags.error(failedAt, "expected 'model', 'train' or 'param'" +
                                didYouMean(word, {"model", "train", "param"}));
    } catch (const x3::expectation_failure<grammar::Iterator> &failure) {
      failedAt = failure.where() - start;
      if (onlyCommentsFrom(text, failedAt))
        diags.error(missingAt(failedAt),
                    "unexpected end of file; expected " + failure.which());
      else
        diags.error(missingAt(failedAt), "expected " + failure.which());
    } catch (const grammar::SyntaxError &error) {
      failedAt = error.where - start;
      diags.error(failedAt, error.message);
    }
    it = start + nextDeclaration(text, failedAt);
  }
  return program;
}

} // namespace aenet
