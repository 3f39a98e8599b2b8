//===- TextSamples.h - Character windows of a text ------------*- C++ -*-===//
//
// What a `text(...)` source yields: windows of T characters that start every
// `step` characters, and for each window either the character after it
// (many-to-one, a `class[V]` target) or the window shifted by one character
// (many-to-many, a `chars[T, V]` target). Windows start at 0, step, 2 step,
// ... as long as a character follows the window, as in Keras's examples
// (`range(0, len(text) - window, step)`), so both targets exist for every
// window. All three arrays are views of the text's one index sequence.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_RUNTIME_TEXTSAMPLES_H
#define AENET_RUNTIME_TEXTSAMPLES_H

#include "aenet/Runtime/Dataset.h"
#include "aenet/Runtime/Text.h"

namespace aenet::rt {

/// Where the windows of |window| characters, one every |step| characters,
/// start in |text|. Throws DataError naming the file if the text is shorter
/// than window + 1 characters.
std::vector<int64_t> windowStarts(const IndexedText &text, int64_t window,
                                  int64_t step);

/// The windows at |starts|, each [window, slots] one-hot.
Array textWindows(const IndexedText &text, const std::vector<int64_t> &starts,
                  int64_t window, int64_t slots, const std::string &name);

/// The character after each window at |starts|, one-hot over |slots| (the
/// convention of `class[N]` targets, see fromIdxLabelsOneHot).
Array nextCharacters(const IndexedText &text,
                     const std::vector<int64_t> &starts, int64_t window,
                     int64_t slots, const std::string &name);

/// Each window at |starts| shifted by one character, [window, slots].
Array shiftedWindows(const IndexedText &text,
                     const std::vector<int64_t> &starts, int64_t window,
                     int64_t slots, const std::string &name);

} // namespace aenet::rt

#endif // AENET_RUNTIME_TEXTSAMPLES_H
