//===- TextData.h - Text sources and the vocabulary of a run ----*- C++ -*-===//
//
// A `text(...)` source becomes the arrays of the inputs it feeds: the
// windows, and the next characters or shifted windows. One vocabulary serves
// the whole run: given by a checkpoint (eval, predict), or built from the
// first training text and used for the validation text. It is saved in the
// checkpoint's metadata, so a trained model carries its vocabulary.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_LIB_DRIVER_TEXTDATA_H
#define AENET_LIB_DRIVER_TEXTDATA_H

#include "aenet/Lang/ModelGraph.h"
#include "aenet/Lang/TrainPlan.h"
#include "aenet/Runtime/Checkpoint.h"
#include "aenet/Runtime/Dataset.h"
#include "aenet/Runtime/Text.h"

#include <optional>

namespace aenet {

/// The checkpoint metadata key of the vocabulary.
inline constexpr const char *kVocabularyKey = "vocabulary";

/// Whether any source of |plan| is a text.
bool readsText(const TrainPlan &plan);

/// The arrays |source| (a text) yields, one per name of |source.inputs| in
/// that order. Indexes the text with |vocabulary| when set, else builds the
/// vocabulary from the text (at most the window input's V characters) and
/// sets it. Throws rt::DataError naming the file.
std::vector<rt::Array>
loadTextSource(const ModelGraph &model, const DataSource &source,
               std::optional<rt::Vocabulary> &vocabulary);

/// The vocabulary saved in |checkpoint| (read from |path|), or nullopt if
/// it has none. Throws rt::CheckpointError if the saved one is malformed.
std::optional<rt::Vocabulary> savedVocabulary(const rt::Checkpoint &checkpoint,
                                              const std::string &path);

/// The vocabulary a model trained on text saved in |checkpoint|; throws
/// rt::CheckpointError naming |path| if there is none, for |command|
/// ("aec generate") that cannot run without it.
rt::Vocabulary requireVocabulary(const rt::Checkpoint &checkpoint,
                                 const std::string &path,
                                 const std::string &command);

/// Throws rt::CheckpointError naming |path| if |checkpoint| (being resumed)
/// was trained on another vocabulary than |data|'s, saying which characters
/// differ.
void checkResumedVocabulary(const rt::Checkpoint &checkpoint,
                            const std::string &path,
                            const rt::Vocabulary &data);

} // namespace aenet

#endif // AENET_LIB_DRIVER_TEXTDATA_H
