//===- TextData.cpp - Text sources and the vocabulary of a run ------------===//
//
// Sema has checked what each text source feeds (a chars window, then a
// class[V] or chars[T, V] target), so here the target's kind picks the
// array and the runtime's readers report everything about the file itself.
//
//===----------------------------------------------------------------------===//

#include "TextData.h"

#include "aenet/Runtime/Errors.h"
#include "aenet/Runtime/TextSamples.h"

#include <algorithm>
#include <stdexcept>

namespace aenet {

namespace {

const InputInfo &inputNamed(const ModelGraph &model, const std::string &name) {
  for (const InputInfo &input : model.inputs)
    if (input.name == name)
      return input;
  throw std::logic_error("Sema guarantees data feeds existing inputs");
}

/// Up to five characters of |a| that |b| lacks, for a message: "'x', newline".
std::string missingFrom(const rt::Vocabulary &a, const rt::Vocabulary &b) {
  std::string list;
  int64_t shown = 0, missing = 0;
  for (int64_t i = 0; i < a.size(); ++i) {
    if (b.indexOf(a.at(i)) >= 0)
      continue;
    if (shown < 5) {
      list += (shown ? ", " : "") + rt::describeCharacter(a.at(i));
      ++shown;
    }
    ++missing;
  }
  if (missing > shown)
    list += " and " + std::to_string(missing - shown) + " more";
  return list;
}

} // namespace

bool readsText(const TrainPlan &plan) {
  auto isText = [](const DataSource &s) { return s.kind == SourceKind::Text; };
  return std::any_of(plan.data.begin(), plan.data.end(), isText) ||
         std::any_of(plan.validation.begin(), plan.validation.end(), isText);
}

std::vector<rt::Array>
loadTextSource(const ModelGraph &model, const DataSource &source,
               std::optional<rt::Vocabulary> &vocabulary) {
  const InputInfo &window = inputNamed(model, source.inputs[0]);
  int64_t slots = window.classes;
  rt::IndexedText text = vocabulary ? rt::readText(source.path, *vocabulary)
                                    : rt::readText(source.path, slots);
  if (!vocabulary)
    vocabulary = text.vocabulary;
  else if (vocabulary->size() > slots)
    throw rt::DataError(source.path,
                        "the model's vocabulary has " +
                            std::to_string(vocabulary->size()) +
                            " characters, more than the " +
                            std::to_string(slots) + " symbols of input '" +
                            window.name + "'");
  std::vector<int64_t> starts =
      rt::windowStarts(text, source.window, source.step);
  std::vector<rt::Array> arrays;
  arrays.push_back(
      rt::textWindows(text, starts, source.window, slots, window.name));
  if (source.inputs.size() > 1) {
    const InputInfo &target = inputNamed(model, source.inputs[1]);
    arrays.push_back(
        target.kind == InputKind::Class
            ? rt::nextCharacters(text, starts, source.window, slots,
                                 target.name)
            : rt::shiftedWindows(text, starts, source.window, slots,
                                 target.name));
  }
  return arrays;
}

std::optional<rt::Vocabulary> savedVocabulary(const rt::Checkpoint &checkpoint,
                                              const std::string &path) {
  auto it = checkpoint.metadata.find(kVocabularyKey);
  if (it == checkpoint.metadata.end())
    return std::nullopt;
  return rt::Vocabulary::fromUtf8(it->second, path);
}

rt::Vocabulary requireVocabulary(const rt::Checkpoint &checkpoint,
                                 const std::string &path,
                                 const std::string &command) {
  std::optional<rt::Vocabulary> vocabulary = savedVocabulary(checkpoint, path);
  if (!vocabulary || vocabulary->empty())
    throw rt::CheckpointError(path, "holds no vocabulary, which " + command +
                                        " needs; it comes from a model "
                                        "trained on text(...) data");
  return *vocabulary;
}

void checkResumedVocabulary(const rt::Checkpoint &checkpoint,
                            const std::string &path,
                            const rt::Vocabulary &data) {
  std::optional<rt::Vocabulary> saved = savedVocabulary(checkpoint, path);
  if (!saved)
    throw rt::CheckpointError(path, "holds no vocabulary, but the data is "
                                    "text; start again with --overwrite");
  if (*saved == data)
    return;
  std::string message = "was trained on a vocabulary of " +
                        std::to_string(saved->size()) +
                        " characters, but the text now gives " +
                        std::to_string(data.size());
  if (std::string added = missingFrom(data, *saved); !added.empty())
    message += "; new: " + added;
  if (std::string gone = missingFrom(*saved, data); !gone.empty())
    message += "; gone: " + gone;
  throw rt::CheckpointError(path, message + ". One-hot positions would mean "
                                            "other characters: resume with "
                                            "the same text, or start again "
                                            "with --overwrite");
}

} // namespace aenet
