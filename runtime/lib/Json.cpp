//===- Json.cpp - Strict JSON for safetensors headers ---------------------===//
//
// nlohmann-json does the reading and writing. Its parser callback sees every
// object, array and key as it is read, which is where the two extra rules
// are enforced: the callback keeps the keys of each open object and throws
// on a repeat, and throws when an array or object opens too deep, before
// any memory is spent on a hostile header of a million brackets. The
// library's exception texts start with an id and a line/column prefix that
// mean nothing to a user; only the description is kept, with the offset.
//
//===----------------------------------------------------------------------===//

#include "aenet/Runtime/Json.h"

#include <set>
#include <vector>

namespace aenet::rt {

namespace {

constexpr int kMaxDepth = 64;

/// The description of a library exception, without "[json.exception.X.N] "
/// and "parse error at line L, column C: ".
std::string describe(const nlohmann::json::exception &error) {
  std::string text = error.what();
  size_t id = text.find("] ");
  if (id != std::string::npos)
    text.erase(0, id + 2);
  if (text.rfind("parse error", 0) == 0) {
    size_t colon = text.find(": ");
    if (colon != std::string::npos)
      text.erase(0, colon + 2);
  }
  return text;
}

} // namespace

JsonError::JsonError(const std::string &message, std::optional<size_t> offset)
    : std::runtime_error(message), offset(offset) {}

JsonError::~JsonError() = default;

Json parseJson(std::string_view text) {
  // The keys seen so far in each object that is open, innermost last.
  std::vector<std::set<std::string>> openObjects;
  auto check = [&](int depth, Json::parse_event_t event, Json &parsed) {
    switch (event) {
    case Json::parse_event_t::object_start:
    case Json::parse_event_t::array_start:
      if (depth >= kMaxDepth)
        throw JsonError("JSON nested deeper than " +
                            std::to_string(kMaxDepth) + " levels",
                        std::nullopt);
      if (event == Json::parse_event_t::object_start)
        openObjects.emplace_back();
      break;
    case Json::parse_event_t::object_end:
      openObjects.pop_back();
      break;
    case Json::parse_event_t::key: {
      const std::string &key = parsed.get_ref<const std::string &>();
      if (!openObjects.back().insert(key).second)
        throw JsonError("duplicate key " + parsed.dump(), std::nullopt);
      break;
    }
    default:
      break;
    }
    return true;
  };
  try {
    return Json::parse(text.begin(), text.end(), check);
  } catch (const Json::parse_error &error) {
    // |byte| counts the characters read, the bad one included.
    throw JsonError(describe(error), error.byte > 0 ? error.byte - 1 : 0);
  } catch (const Json::exception &error) {
    throw JsonError(describe(error), std::nullopt);
  }
}

std::string writeJson(const Json &value) {
  return value.dump(-1, ' ', /*ensure_ascii=*/false,
                    Json::error_handler_t::replace);
}

std::string jsonKindName(const Json &value) {
  if (value.is_number_integer())
    return "integer";
  return value.type_name();
}

} // namespace aenet::rt
