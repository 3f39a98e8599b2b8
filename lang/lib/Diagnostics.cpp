//===- Diagnostics.cpp - Source files and error reporting -----------------===//
//
// Line tables, the clang-style error printer and typo suggestions.
//
//===----------------------------------------------------------------------===//

#include "aenet/Lang/Diagnostics.h"

#include <algorithm>
#include <fstream>
#include <ostream>
#include <sstream>

namespace aenet {

SourceFile::SourceFile(std::string path, std::string text)
    : path_(std::move(path)), text_(std::move(text)) {
  // Editors on Windows save UTF-8 with a byte order mark; it is no part of
  // the program, and keeping it would shift every column of line 1.
  if (text_.compare(0, 3, "\xEF\xBB\xBF") == 0)
    text_.erase(0, 3);
  // "\n", "\r\n" and a lone "\r" (old Mac files) each end a line.
  lineStarts_.push_back(0);
  for (uint32_t i = 0; i < text_.size(); ++i) {
    if (text_[i] == '\r' && i + 1 < text_.size() && text_[i + 1] == '\n')
      ++i;
    if (text_[i] == '\n' || text_[i] == '\r')
      lineStarts_.push_back(i + 1);
  }
}

std::optional<SourceFile> SourceFile::load(const std::string &path,
                                           std::string &error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot open '" + path + "'";
    return std::nullopt;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) {
    error = "cannot read '" + path + "'";
    return std::nullopt;
  }
  return SourceFile(path, buffer.str());
}

LineCol SourceFile::lineCol(uint32_t offset) const {
  offset = std::min<uint32_t>(offset, text_.size());
  auto it = std::upper_bound(lineStarts_.begin(), lineStarts_.end(), offset);
  unsigned line = static_cast<unsigned>(it - lineStarts_.begin());
  return {line, offset - lineStarts_[line - 1] + 1};
}

std::string_view SourceFile::lineText(unsigned line) const {
  if (line == 0 || line > lineStarts_.size())
    return {};
  uint32_t begin = lineStarts_[line - 1];
  uint32_t end = line < lineStarts_.size() ? lineStarts_[line] - 1
                                           : static_cast<uint32_t>(text_.size());
  std::string_view view(text_);
  view = view.substr(begin, end - begin);
  // A "\r\n" ending leaves its '\r' when the line is cut at the '\n'.
  if (!view.empty() && view.back() == '\r')
    view.remove_suffix(1);
  return view;
}

void DiagnosticEngine::error(uint32_t offset, std::string message) {
  // Past the limit an error is dropped with its notes: a file of garbage
  // must not print (or hold in memory) one message per line.
  if (errorLimit_ && errors_ >= errorLimit_) {
    limitReached_ = true;
    droppingNotes_ = true;
    return;
  }
  droppingNotes_ = false;
  diags_.push_back({Severity::Error, offset, std::move(message)});
  ++errors_;
  auto [first, last] = errorNotes_.equal_range(offset);
  for (auto it = first; it != last; ++it)
    diags_.push_back(it->second);
}

void DiagnosticEngine::noteErrorsAt(uint32_t offset, uint32_t noteOffset,
                                    std::string message) {
  auto [first, last] = errorNotes_.equal_range(offset);
  for (auto it = first; it != last; ++it)
    if (it->second.offset == noteOffset && it->second.message == message)
      return;
  errorNotes_.insert({offset, {Severity::Note, noteOffset, std::move(message)}});
}

void DiagnosticEngine::note(uint32_t offset, std::string message) {
  if (droppingNotes_)
    return;
  diags_.push_back({Severity::Note, offset, std::move(message)});
}

void DiagnosticEngine::print(std::ostream &os) const {
  // Print in source order so the output reads top to bottom, whatever order
  // the checks found things in; notes stay after their error.
  std::vector<std::vector<const Diagnostic *>> groups;
  for (const Diagnostic &diag : diags_) {
    if (diag.severity == Severity::Error || groups.empty())
      groups.emplace_back();
    groups.back().push_back(&diag);
  }
  std::stable_sort(groups.begin(), groups.end(),
                   [](const auto &a, const auto &b) {
                     return a.front()->offset < b.front()->offset;
                   });
  for (const auto &group : groups)
    for (const Diagnostic *diag : group)
      printOne(os, *diag);
  if (limitReached_)
    os << file_.path() << ": fatal error: too many errors emitted, stopping "
       << "now (the limit is " << errorLimit_ << ")\n";
}

void DiagnosticEngine::printOne(std::ostream &os,
                                const Diagnostic &diag) const {
  LineCol pos = file_.lineCol(diag.offset);
  os << file_.path() << ':' << pos.line << ':' << pos.column << ": "
     << (diag.severity == Severity::Error ? "error: " : "note: ")
     << diag.message << '\n';
  std::string_view line = file_.lineText(pos.line);
  os << line << '\n';
  // Keep tabs so the caret lines up under the same column in a terminal.
  std::string caret;
  for (unsigned i = 0; i + 1 < pos.column && i < line.size(); ++i)
    caret += line[i] == '\t' ? '\t' : ' ';
  os << caret << "^\n";
}

/// Edit distance counting a swap of two neighbours as one edit (optimal
/// string alignment), since `rleu` for `relu` is the commonest typo.
static unsigned editDistance(const std::string &a, const std::string &b) {
  std::vector<std::vector<unsigned>> d(a.size() + 1,
                                       std::vector<unsigned>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i)
    d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j)
    d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      unsigned cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1,
                          d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

std::string closestMatch(const std::string &word,
                         const std::vector<std::string> &candidates) {
  std::string best;
  unsigned bestDistance = ~0u;
  for (const std::string &candidate : candidates) {
    unsigned d = editDistance(word, candidate);
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  // A suggestion further away than a third of the word is noise.
  unsigned limit = std::max<unsigned>(1, word.size() / 3);
  return bestDistance <= limit ? best : std::string();
}

std::string didYouMean(const std::string &word,
                       const std::vector<std::string> &candidates) {
  std::string match = closestMatch(word, candidates);
  return match.empty() ? std::string() : " (did you mean '" + match + "'?)";
}

} // namespace aenet
