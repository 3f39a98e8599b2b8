//===- Diagnostics.h - Source files and error reporting ---------*- C++ -*-===//
//
// A `SourceFile` owns the text of one model file and maps byte offsets to
// line:column. `DiagnosticEngine` collects every error of a run and prints each
// as `file:line:col: error: message`, the source line and a caret, the format
// of clang and MLIR, so editors and FileCheck can read it.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_LANG_DIAGNOSTICS_H
#define AENET_LANG_DIAGNOSTICS_H

#include <cstdint>
#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace aenet {

struct LineCol {
  unsigned line = 1;
  unsigned column = 1;
};

/// The text of one model file. A UTF-8 byte order mark at the start is
/// dropped; "\n", "\r\n" and a lone "\r" all end a line.
class SourceFile {
public:
  SourceFile(std::string path, std::string text);

  /// Reads |path|; returns nothing (and sets |error|) when it cannot be read.
  static std::optional<SourceFile> load(const std::string &path,
                                        std::string &error);

  const std::string &path() const { return path_; }
  const std::string &text() const { return text_; }
  LineCol lineCol(uint32_t offset) const;
  /// The text of 1-based line |line|, without its newline.
  std::string_view lineText(unsigned line) const;

private:
  std::string path_;
  std::string text_;
  std::vector<uint32_t> lineStarts_;
};

enum class Severity { Error, Note };

struct Diagnostic {
  Severity severity;
  uint32_t offset;
  std::string message;
};

class DiagnosticEngine {
public:
  /// How many errors are kept by default, as clang's -ferror-limit=20.
  static constexpr unsigned kDefaultErrorLimit = 20;

  explicit DiagnosticEngine(const SourceFile &file) : file_(file) {}

  /// Reports an error. Once |errorLimit()| errors are kept, further errors
  /// (and their notes) are dropped and `errorLimitReached()` turns true.
  void error(uint32_t offset, std::string message);
  /// A note attached to the error before it (e.g. "first defined here").
  void note(uint32_t offset, std::string message);
  /// Every error reported at |offset| from now on gets the note |message|
  /// at |noteOffset| after it: a parameter's use points at its declaration.
  void noteErrorsAt(uint32_t offset, uint32_t noteOffset, std::string message);

  /// 0 keeps every error.
  void setErrorLimit(unsigned limit) { errorLimit_ = limit; }
  unsigned errorLimit() const { return errorLimit_; }
  /// True once an error was dropped; the parser and the checks stop then.
  bool errorLimitReached() const { return limitReached_; }

  /// The errors kept (at most the limit).
  unsigned errorCount() const { return errors_; }
  bool hasErrors() const { return errors_ != 0; }
  const std::vector<Diagnostic> &diagnostics() const { return diags_; }
  const SourceFile &file() const { return file_; }

  /// Prints every diagnostic kept, errors in source order, each note after
  /// the error it belongs to, then a fatal error if some were dropped.
  void print(std::ostream &os) const;

private:
  void printOne(std::ostream &os, const Diagnostic &diag) const;

  const SourceFile &file_;
  std::vector<Diagnostic> diags_;
  /// noteErrorsAt's notes, by the offset of the errors they follow.
  std::multimap<uint32_t, Diagnostic> errorNotes_;
  unsigned errors_ = 0;
  unsigned errorLimit_ = kDefaultErrorLimit;
  bool limitReached_ = false;
  /// The last error was dropped, so the notes that follow it are too.
  bool droppingNotes_ = false;
};

/// The closest of |candidates| to |word| by edit distance, if close enough to
/// be a likely typo; empty otherwise.
std::string closestMatch(const std::string &word,
                         const std::vector<std::string> &candidates);

/// " (did you mean 'x'?)" or "".
std::string didYouMean(const std::string &word,
                       const std::vector<std::string> &candidates);

} // namespace aenet

#endif // AENET_LANG_DIAGNOSTICS_H
