//===- Text.h - UTF-8 text files as indices into a vocabulary ---*- C++ -*-===//
//
// Character models read a text file as a sequence of Unicode code points and
// see each one as its index in the text's vocabulary: the distinct code
// points of the file in ascending order. The sequence of indices is kept
// once and shared by every array cut from it (see Dataset.h), so a large
// text costs four bytes per character however many windows overlap it.
//
// Decoding is strict (RFC 3629): overlong forms, surrogates, code points
// above U+10FFFF and cut sequences are errors naming the file and the byte
// offset. A byte order mark at the start is skipped, as for model files;
// line endings are characters like any other.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_RUNTIME_TEXT_H
#define AENET_RUNTIME_TEXT_H

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace aenet::rt {

/// The characters a model knows, in ascending code point order; a
/// character's index is its one-hot position. A model's `chars[T, V]` may
/// have more slots (V) than the vocabulary has characters: the rest are
/// never set.
class Vocabulary {
public:
  Vocabulary() = default;
  /// The distinct characters of |text|, sorted.
  static Vocabulary of(std::u32string_view text);
  /// The vocabulary written as |utf8| by utf8() (a checkpoint's metadata).
  /// Throws CheckpointError naming |path| if |utf8| is not strictly
  /// ascending valid UTF-8.
  static Vocabulary fromUtf8(std::string_view utf8, const std::string &path);

  /// The number of characters.
  int64_t size() const { return static_cast<int64_t>(symbols_.size()); }
  bool empty() const { return symbols_.empty(); }
  /// The character at index |index| (< size()).
  char32_t at(int64_t index) const { return symbols_[index]; }
  /// The index of |c|, or -1 if |c| is not in the vocabulary.
  int64_t indexOf(char32_t c) const;
  /// Every character in order as UTF-8, the form a checkpoint stores.
  std::string utf8() const;

  bool operator==(const Vocabulary &other) const {
    return symbols_ == other.symbols_;
  }
  bool operator!=(const Vocabulary &other) const { return !(*this == other); }

private:
  std::u32string symbols_;
};

/// A text file as the indices of its characters in |vocabulary|.
struct IndexedText {
  std::string path;
  Vocabulary vocabulary;
  /// One index per character, shared with the arrays cut from the text.
  std::shared_ptr<const std::vector<int32_t>> symbols;
};

/// The code points of |bytes|. Throws DataError naming |path| and the byte
/// offset of the first invalid sequence.
std::u32string decodeUtf8(std::string_view bytes, const std::string &path);

/// The UTF-8 bytes of the code points |text| (valid scalar values).
std::string encodeUtf8(std::u32string_view text);

/// |c| for a message: 'a', or a name for characters that do not print
/// ('\n' is "newline", others U+XXXX).
std::string describeCharacter(char32_t c);

/// Reads |path| and builds its vocabulary. Throws DataError naming the file
/// if it cannot be read, is not UTF-8, is empty, or has more than |slots|
/// distinct characters (saying how many).
IndexedText readText(const std::string &path, int64_t slots);

/// Reads |path| as indices into a given |vocabulary| (a validation text, or
/// the vocabulary a model was trained with). Throws DataError naming the
/// file if it cannot be read, is not UTF-8, is empty, or holds a character
/// outside |vocabulary| (naming the character and its position).
IndexedText readText(const std::string &path, const Vocabulary &vocabulary);

} // namespace aenet::rt

#endif // AENET_RUNTIME_TEXT_H
