//===- TextFuzzer.cpp - libFuzzer target for UTF-8 text files -------------===//
//
// Feeds arbitrary bytes to what a `text(...)` data source does with its
// file: readText() builds the vocabulary (of at most V slots) or indexes
// the text with a given one (a validation text, a trained model's), then
// windowStarts() and the three window arrays cut the samples for a window
// and a step, and a batch of them is expanded one-hot. The same bytes also
// go through decodeUtf8() and, as a checkpoint's 'vocabulary' metadata,
// Vocabulary::fromUtf8(). A DataError (a CheckpointError for the metadata)
// is the expected answer to a bad file; any other exception, crash, leak or
// undefined behaviour is a finding, and so is a result that breaks what
// Text.h and TextSamples.h promise: strict decoding that re-encodes to the
// same bytes, a sorted vocabulary, indices and windows within bounds. Built
// only when AEC_FUZZ_ONLY=ON (see test/fuzz/CMakeLists.txt, .ci/fuzz).
//
//===----------------------------------------------------------------------===//

#include "FuzzFile.h"

#include "aenet/Runtime/Errors.h"
#include "aenet/Runtime/Text.h"
#include "aenet/Runtime/TextSamples.h"

#include <algorithm>
#include <cstdlib>

using namespace aenet::rt;

namespace {

/// The slots of a chars[T, V] input large enough for any file's
/// vocabulary (every Unicode scalar value).
constexpr int64_t kAllSlots = 0x110000;

/// Aborts unless |text| indexes |vocabulary| within bounds.
void checkIndices(const IndexedText &text, int64_t size) {
  if (!text.symbols || text.symbols->empty())
    std::abort();
  for (int32_t symbol : *text.symbols)
    if (symbol < 0 || symbol >= size)
      std::abort();
}

/// Cuts the windows of |window| characters every |step| from |text| over
/// |slots| one-hot values, with both kinds of target, and expands the
/// first and last few samples of a shuffled epoch, aborting unless each
/// row is the one-hot of its character.
void checkWindows(const IndexedText &text, int64_t window, int64_t step,
                  int64_t slots) {
  std::vector<int64_t> starts;
  try {
    starts = windowStarts(text, window, step);
  } catch (const DataError &) {
    if (static_cast<int64_t>(text.symbols->size()) > window)
      std::abort(); // long enough for a window and the character after it
    return;
  }
  auto length = static_cast<int64_t>(text.symbols->size());
  if (starts.empty() ||
      static_cast<int64_t>(starts.size()) != (length - window - 1) / step + 1)
    std::abort();
  Dataset set;
  set.add(textWindows(text, starts, window, slots, "window"));
  set.add(nextCharacters(text, starts, window, slots, "next"));
  set.add(shiftedWindows(text, starts, window, slots, "shifted"));
  std::vector<int64_t> order = set.epochOrder(/*shuffle=*/true, 7, 1);
  int64_t count = set.size();
  int64_t batch = std::min<int64_t>(count, 4);
  // Where each array's rows start relative to a window's start.
  const int64_t shifts[] = {0, window, 1};
  for (int64_t begin : {int64_t(0), count - batch}) {
    for (int a = 0; a < 3; ++a) {
      int64_t rows = a == 1 ? 1 : window;
      std::vector<float> out(static_cast<size_t>(batch * rows * slots), -1.0f);
      set.gatherBatch(order, begin, begin + batch, a, out.data());
      for (int64_t i = 0; i < batch; ++i)
        for (int64_t r = 0; r < rows; ++r) {
          int64_t at = starts[order[begin + i]] + shifts[a] + r;
          const float *row = out.data() + (i * rows + r) * slots;
          for (int64_t k = 0; k < slots; ++k)
            if (row[k] != ((*text.symbols)[at] == k ? 1.0f : 0.0f))
              std::abort();
        }
    }
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const std::string input = aenet::fuzz::scratchPath("in.txt");
  aenet::fuzz::writeInput(input, data, size);
  std::string_view bytes(reinterpret_cast<const char *>(data), size);

  // Strict decoding loses nothing: what decodes encodes to the same bytes.
  try {
    if (encodeUtf8(decodeUtf8(bytes, input)) != bytes)
      std::abort();
  } catch (const DataError &) {
  }
  // The bytes as a checkpoint's vocabulary: valid only when ascending.
  try {
    if (Vocabulary::fromUtf8(bytes, input).utf8() != bytes)
      std::abort();
  } catch (const CheckpointError &) {
  }

  // A model with few slots may refuse the text's vocabulary.
  try {
    IndexedText few = readText(input, 8);
    if (few.vocabulary.size() > 8)
      std::abort();
    checkIndices(few, few.vocabulary.size());
  } catch (const DataError &) {
  }

  IndexedText text;
  try {
    text = readText(input, kAllSlots);
  } catch (const DataError &) {
    return 0;
  }
  const Vocabulary &vocabulary = text.vocabulary;
  for (int64_t i = 0; i < vocabulary.size(); ++i)
    if (vocabulary.indexOf(vocabulary.at(i)) != i ||
        (i > 0 && vocabulary.at(i - 1) >= vocabulary.at(i)))
      std::abort();
  checkIndices(text, vocabulary.size());
  // The vocabulary survives a checkpoint, and a second reading with it (a
  // validation text) gives the same indices.
  if (Vocabulary::fromUtf8(vocabulary.utf8(), input) != vocabulary)
    std::abort();
  IndexedText again = readText(input, vocabulary);
  if (*again.symbols != *text.symbols)
    std::abort();
  // A trained model's small vocabulary refuses characters it lacks.
  try {
    checkIndices(readText(input, Vocabulary::of(U"\n ae")), 4);
  } catch (const DataError &) {
  }

  // Windows and steps as `text(..., window = W, step = S)` give them, one-hot
  // over the vocabulary and over a model's spare slots.
  const std::pair<int64_t, int64_t> shapes[] = {
      {1, 1}, {2, 3}, {5, 1}, {16, 7}, {int64_t(1) << 40, 1}};
  for (auto [window, step] : shapes) {
    checkWindows(text, window, step, vocabulary.size());
    checkWindows(text, window, step, vocabulary.size() + 3);
  }
  return 0;
}
