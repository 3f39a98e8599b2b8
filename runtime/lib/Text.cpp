//===- Text.cpp - UTF-8 text files as indices into a vocabulary -----------===//
//
// A strict UTF-8 decoder (the table of well-formed byte sequences in Unicode's
// chapter 3, so overlongs and surrogates are refused by the ranges of the
// second byte), the vocabulary of a text, and the readers that turn a file
// into vocabulary indices.
//
//===----------------------------------------------------------------------===//

#include "aenet/Runtime/Text.h"

#include "aenet/Runtime/Errors.h"
#include "aenet/Runtime/InputFile.h"

#include <algorithm>
#include <cstdio>
#include <functional>

namespace aenet::rt {

namespace {

std::string hexByte(unsigned char byte) {
  char text[8];
  std::snprintf(text, sizeof(text), "0x%02X", byte);
  return text;
}

/// The characters of the text file |path|, without a leading byte order
/// mark; throws DataError if there are none.
std::u32string readCharacters(const std::string &path) {
  std::u32string text = decodeUtf8(readDataFile(path), path);
  if (!text.empty() && text[0] == 0xFEFF)
    text.erase(0, 1);
  if (text.empty())
    throw DataError(path, "the text is empty; a character model needs at "
                          "least one window and the character after it");
  return text;
}

/// The 1-based line of the character at |index| of |text|.
int64_t lineOf(const std::u32string &text, size_t index) {
  return 1 + std::count(text.begin(), text.begin() + index, U'\n');
}

} // namespace

std::u32string decodeUtf8(std::string_view bytes, const std::string &path) {
  std::u32string text;
  text.reserve(bytes.size());
  auto byteAt = [&](size_t i) { return static_cast<unsigned char>(bytes[i]); };
  for (size_t i = 0; i < bytes.size();) {
    unsigned char lead = byteAt(i);
    if (lead < 0x80) {
      text.push_back(lead);
      ++i;
      continue;
    }
    // The length of the sequence and the range its second byte must be in.
    size_t length = 0;
    unsigned char low = 0x80, high = 0xBF;
    char32_t c = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
      c = lead & 0x1F;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      c = lead & 0x0F;
      if (lead == 0xE0)
        low = 0xA0; // no overlong forms
      if (lead == 0xED)
        high = 0x9F; // no surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      c = lead & 0x07;
      if (lead == 0xF0)
        low = 0x90; // no overlong forms
      if (lead == 0xF4)
        high = 0x8F; // nothing above U+10FFFF
    } else {
      throw DataError(path, "invalid UTF-8 at byte offset " +
                                std::to_string(i) + ": byte " +
                                hexByte(lead) + " cannot start a character");
    }
    for (size_t k = 1; k < length; ++k) {
      if (i + k >= bytes.size())
        throw DataError(path, "invalid UTF-8 at byte offset " +
                                  std::to_string(i) + ": the file ends inside "
                                  "a " + std::to_string(length) +
                                  "-byte character");
      unsigned char next = byteAt(i + k);
      unsigned char min = k == 1 ? low : 0x80, max = k == 1 ? high : 0xBF;
      if (next < min || next > max)
        throw DataError(path, "invalid UTF-8 at byte offset " +
                                  std::to_string(i) + ": byte " +
                                  hexByte(next) + " cannot follow " +
                                  hexByte(lead) +
                                  (k > 1 ? " and the bytes after it" : ""));
      c = (c << 6) | (next & 0x3F);
    }
    text.push_back(c);
    i += length;
  }
  return text;
}

std::string encodeUtf8(std::u32string_view text) {
  std::string bytes;
  for (char32_t c : text) {
    if (c < 0x80) {
      bytes += static_cast<char>(c);
    } else if (c < 0x800) {
      bytes += static_cast<char>(0xC0 | (c >> 6));
      bytes += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
      bytes += static_cast<char>(0xE0 | (c >> 12));
      bytes += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      bytes += static_cast<char>(0x80 | (c & 0x3F));
    } else {
      bytes += static_cast<char>(0xF0 | (c >> 18));
      bytes += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
      bytes += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      bytes += static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  return bytes;
}

std::string describeCharacter(char32_t c) {
  if (c == U'\n')
    return "newline";
  if (c == U'\t')
    return "tab";
  if (c == U' ')
    return "space";
  if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0)) {
    char text[16];
    std::snprintf(text, sizeof(text), "U+%04X", static_cast<unsigned>(c));
    return text;
  }
  return "'" + encodeUtf8(std::u32string(1, c)) + "'";
}

Vocabulary Vocabulary::of(std::u32string_view text) {
  Vocabulary vocabulary;
  vocabulary.symbols_.assign(text.begin(), text.end());
  std::u32string &s = vocabulary.symbols_;
  std::sort(s.begin(), s.end());
  s.erase(std::unique(s.begin(), s.end()), s.end());
  return vocabulary;
}

Vocabulary Vocabulary::fromUtf8(std::string_view utf8,
                                const std::string &path) {
  Vocabulary vocabulary;
  try {
    vocabulary.symbols_ = decodeUtf8(utf8, path);
  } catch (const DataError &e) {
    throw CheckpointError(path, "metadata 'vocabulary': " + e.problem());
  }
  const std::u32string &s = vocabulary.symbols_;
  if (std::adjacent_find(s.begin(), s.end(), std::greater_equal<>()) !=
      s.end())
    throw CheckpointError(path, "metadata 'vocabulary' is not a list of "
                                "distinct characters in ascending order");
  return vocabulary;
}

int64_t Vocabulary::indexOf(char32_t c) const {
  auto it = std::lower_bound(symbols_.begin(), symbols_.end(), c);
  return it != symbols_.end() && *it == c ? it - symbols_.begin() : -1;
}

std::string Vocabulary::utf8() const { return encodeUtf8(symbols_); }

namespace {

/// |text| of the file |path| as indices into |vocabulary|.
IndexedText indexText(const std::string &path, const std::u32string &text,
                      const Vocabulary &vocabulary) {
  auto symbols = std::make_shared<std::vector<int32_t>>(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    int64_t index = vocabulary.indexOf(text[i]);
    if (index < 0)
      throw DataError(path, "line " + std::to_string(lineOf(text, i)) +
                                " (character offset " + std::to_string(i) +
                                "): " + describeCharacter(text[i]) +
                                " is not in the model's vocabulary of " +
                                std::to_string(vocabulary.size()) +
                                " characters");
    (*symbols)[i] = static_cast<int32_t>(index);
  }
  return {path, vocabulary, std::move(symbols)};
}

} // namespace

IndexedText readText(const std::string &path, int64_t slots) {
  std::u32string text = readCharacters(path);
  Vocabulary vocabulary = Vocabulary::of(text);
  if (vocabulary.size() > slots)
    throw DataError(path, "the text has " + std::to_string(vocabulary.size()) +
                              " distinct characters, more than the " +
                              std::to_string(slots) +
                              " symbols of the chars input; make V at least " +
                              std::to_string(vocabulary.size()));
  return indexText(path, text, vocabulary);
}

IndexedText readText(const std::string &path, const Vocabulary &vocabulary) {
  return indexText(path, readCharacters(path), vocabulary);
}

} // namespace aenet::rt
