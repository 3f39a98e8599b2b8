//===- TextSamples.cpp - Character windows of a text and their targets ----===//
//
// The three arrays differ only in where their rows start relative to a
// window (0, window or 1) and in their shape, so each is oneHotWindows()
// over the shared indices with shifted starts.
//
//===----------------------------------------------------------------------===//

#include "aenet/Runtime/TextSamples.h"

#include "aenet/Runtime/Errors.h"

#include <cassert>

namespace aenet::rt {

namespace {

/// |starts| moved by |shift| characters.
std::vector<int64_t> shifted(const std::vector<int64_t> &starts,
                             int64_t shift) {
  std::vector<int64_t> moved(starts);
  for (int64_t &start : moved)
    start += shift;
  return moved;
}

} // namespace

std::vector<int64_t> windowStarts(const IndexedText &text, int64_t window,
                                  int64_t step) {
  assert(window > 0 && step > 0 && "Sema checks window and step");
  auto length = static_cast<int64_t>(text.symbols->size());
  if (length <= window)
    throw DataError(text.path,
                    "the text has " + std::to_string(length) +
                        (length == 1 ? " character" : " characters") +
                        ", too short for one window of " +
                        std::to_string(window) +
                        " and the character after it (" +
                        std::to_string(window + 1) + " characters)");
  std::vector<int64_t> starts;
  starts.reserve(static_cast<size_t>((length - window - 1) / step + 1));
  for (int64_t start = 0; start + window < length; start += step)
    starts.push_back(start);
  return starts;
}

Array textWindows(const IndexedText &text, const std::vector<int64_t> &starts,
                  int64_t window, int64_t slots, const std::string &name) {
  return oneHotWindows(text.symbols, starts, {window, slots}, name, text.path);
}

Array nextCharacters(const IndexedText &text,
                     const std::vector<int64_t> &starts, int64_t window,
                     int64_t slots, const std::string &name) {
  return oneHotWindows(text.symbols, shifted(starts, window), {slots}, name,
                       text.path);
}

Array shiftedWindows(const IndexedText &text,
                     const std::vector<int64_t> &starts, int64_t window,
                     int64_t slots, const std::string &name) {
  return oneHotWindows(text.symbols, shifted(starts, 1), {window, slots}, name,
                       text.path);
}

} // namespace aenet::rt
