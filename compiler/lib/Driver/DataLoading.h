//===- DataLoading.h - Datasets from a train block --------------*- C++ -*-===//
//
// Reads the data sources of a train block into runtime datasets whose arrays
// are named after, ordered like, and shaped as the model's inputs.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_LIB_DRIVER_DATALOADING_H
#define AENET_LIB_DRIVER_DATALOADING_H

#include "aenet/Lang/ModelGraph.h"
#include "aenet/Lang/TrainPlan.h"
#include "aenet/Runtime/Dataset.h"
#include "aenet/Runtime/Text.h"

#include <optional>

namespace aenet {

struct LoadedData {
  rt::Dataset train;
  std::optional<rt::Dataset> validation;
  /// The vocabulary of the text sources, if any (see TextData.h).
  std::optional<rt::Vocabulary> vocabulary;
};

/// Loads the training and validation data of |plan| for |model|; a `split`
/// takes the validation part off the end of the training data. Text sources
/// are indexed with |vocabulary| when given (a trained model's), else with
/// the first training text's. Throws rt::DataError naming the file and what
/// is wrong.
LoadedData loadData(const ModelGraph &model, const TrainPlan &plan,
                    const std::optional<rt::Vocabulary> &vocabulary = {});

} // namespace aenet

#endif // AENET_LIB_DRIVER_DATALOADING_H
