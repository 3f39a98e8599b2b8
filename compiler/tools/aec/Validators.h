//===- Validators.h - aec's checks of command-line numbers ------*- C++ -*-===//
//
// CLI11 validators for aec's numeric options, so that a message names the
// option and the range in words.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_TOOLS_AEC_VALIDATORS_H
#define AENET_TOOLS_AEC_VALIDATORS_H

#include <CLI/CLI.hpp>

#include <charconv>
#include <cmath>
#include <limits>
#include <string>

namespace aenet {

/// Accepts whole numbers from |low| to |high| written in decimal, and
/// nothing else: CLI11's own number validators go through a double (so
/// 2^64 became 2^64-1) and print their range as 300-digit floats.
template <typename T>
CLI::Validator wholeNumber(T low, T high = std::numeric_limits<T>::max()) {
  std::string range = high == std::numeric_limits<T>::max()
                          ? "of at least " + std::to_string(low)
                          : "from " + std::to_string(low) + " to " +
                                std::to_string(high);
  return CLI::Validator(
      [=](std::string &text) -> std::string {
        T value{};
        const char *end = text.data() + text.size();
        auto [stop, ec] = std::from_chars(text.data(), end, value);
        if (ec == std::errc::result_out_of_range && text[0] != '-')
          return "'" + text + "' is too large; the largest is " +
                 std::to_string(high);
        if (ec != std::errc() || stop != end || value < low || value > high)
          return "'" + text + "' is not a whole number " + range;
        return {};
      },
      "", "");
}

/// Accepts finite decimal numbers above 0 (a temperature): at 0 the
/// log-probabilities would be divided by zero.
inline CLI::Validator positiveReal() {
  return CLI::Validator(
      [](std::string &text) -> std::string {
        double value = 0;
        const char *end = text.data() + text.size();
        auto [stop, ec] = std::from_chars(text.data(), end, value);
        if (ec != std::errc() || stop != end || !(value > 0) ||
            !std::isfinite(value))
          return "'" + text + "' is not a number above 0";
        return {};
      },
      "", "");
}

} // namespace aenet

#endif // AENET_TOOLS_AEC_VALIDATORS_H
