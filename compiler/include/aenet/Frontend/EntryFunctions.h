//===- EntryFunctions.h - Which entry functions a module holds --*- C++ -*-===//
//
// A model's module holds up to three entry functions (ModelToAenet.h). A
// program for the last, smaller batch of an epoch runs only one of them:
// building only that one leaves the compile a fraction of the work (the
// training step is most of it). No MLIR here: the driver names the set.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_FRONTEND_ENTRYFUNCTIONS_H
#define AENET_FRONTEND_ENTRYFUNCTIONS_H

namespace aenet {

/// Bits of a set of entry functions.
enum EntryFunction : unsigned {
  kTrainEntry = 1,    ///< @train_loss, and the steps made from it
  kEvaluateEntry = 2, ///< @evaluate
  kPredictEntry = 4,  ///< @predict
  kAllEntries = kTrainEntry | kEvaluateEntry | kPredictEntry,
};

} // namespace aenet

#endif // AENET_FRONTEND_ENTRYFUNCTIONS_H
