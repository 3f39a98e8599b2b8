//===- Json.h - Strict JSON for safetensors headers -------------*- C++ -*-===//
//
// JSON is read and written by nlohmann-json (Debian's nlohmann-json3-dev),
// with the ordered object type so that a header is written with its keys in
// the order they were added. Two settings are the runtime's own: reading is
// stricter than the library's default (a key repeated in one object and
// nesting deeper than 64 levels are errors, because a checkpoint header is
// three levels deep and a repeated tensor name would be ambiguous), and
// writing is compact with non-ASCII bytes passed through, so the bytes of a
// header are exactly those aec has always written.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_RUNTIME_JSON_H
#define AENET_RUNTIME_JSON_H

#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace aenet::rt {

/// A JSON value; objects keep their keys in insertion order.
using Json = nlohmann::ordered_json;

/// Why a text is not JSON of the accepted form, at byte |offset| of the
/// text when that is known.
struct JsonError : std::runtime_error {
  JsonError(const std::string &message, std::optional<size_t> offset);
  ~JsonError() override;
  std::optional<size_t> offset;
};

/// Parses |text|, which must hold exactly one value (whitespace around it is
/// allowed), with no key repeated within an object and at most 64 levels of
/// nesting. Throws JsonError.
Json parseJson(std::string_view text);

/// Compact JSON for |value|: no spaces, non-ASCII bytes passed through; a
/// string that is not valid UTF-8 has its bad bytes written as U+FFFD, so
/// the output is always JSON that other readers accept.
std::string writeJson(const Json &value);

/// The kind of |value| as a message says it: "integer" for whole numbers,
/// "number" for fractions, otherwise "string", "array", "object",
/// "boolean" or "null".
std::string jsonKindName(const Json &value);

} // namespace aenet::rt

#endif // AENET_RUNTIME_JSON_H
