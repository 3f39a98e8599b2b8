//===- LoopStateTest.cpp - The training state kept in a checkpoint --------===//
//
// `aec train --resume` trusts nothing in a checkpoint's metadata: every field
// must parse whole and lie in its range, and the state must fit the run it
// continues. Each case here is a field a hostile or damaged checkpoint once
// got through (a negative batch index crashed the batch gather, a seed of
// "xyz" aborted, a NaN sum was printed as the epoch's loss).
//
//===----------------------------------------------------------------------===//

#include "aenet/Runtime/Errors.h"
#include "aenet/Runtime/TrainLoop.h"

#include "TempDir.h"

#include <gtest/gtest.h>

using namespace aenet::rt;
using aenet::test::messageOf;

namespace {

using Metadata = std::map<std::string, std::string>;

/// The metadata of a run stopped after 3 batches of 50 in epoch 3.
Metadata midEpoch() {
  LoopState state;
  state.epoch = 2;
  state.batchInEpoch = 3;
  state.step = 13;
  state.sums = {1.5, 0.25};
  state.rows = 150;
  state.seconds = 0.5;
  state.batch = 50;
  return state.toMetadata();
}

/// The message of reading |m| with |key| set to |value|.
std::string readError(const std::string &key, const std::string &value) {
  Metadata m = midEpoch();
  m[key] = value;
  return messageOf<CheckpointError>(
      [&] { LoopState::fromMetadata(m, "m.safetensors"); });
}

TEST(LoopStateTest, RoundTrip) {
  LoopState state = LoopState::fromMetadata(midEpoch(), "m.safetensors");
  EXPECT_EQ(state.epoch, 2);
  EXPECT_EQ(state.batchInEpoch, 3);
  EXPECT_EQ(state.step, 13);
  EXPECT_EQ(state.sums, (std::vector<double>{1.5, 0.25}));
  EXPECT_EQ(state.rows, 150);
  EXPECT_EQ(state.seconds, 0.5);
  EXPECT_EQ(state.batch, 50);
  EXPECT_NO_THROW(state.checkResumable(1000, 50, 2, "m.safetensors"));
}

TEST(LoopStateTest, CountsMustBeWholeAndNonNegative) {
  EXPECT_EQ(readError("batch_in_epoch", "-1"),
            "m.safetensors: metadata 'batch_in_epoch' is \"-1\", not a whole "
            "number of at least 0");
  EXPECT_EQ(readError("epoch", "-5"),
            "m.safetensors: metadata 'epoch' is \"-5\", not a whole number of "
            "at least 0");
  EXPECT_EQ(readError("step", "12x"),
            "m.safetensors: metadata 'step' is \"12x\", not a whole number of "
            "at least 0");
  EXPECT_EQ(readError("epoch_rows", "1e3"),
            "m.safetensors: metadata 'epoch_rows' is \"1e3\", not a whole "
            "number of at least 0");
  EXPECT_EQ(readError("batch", ""),
            "m.safetensors: metadata 'batch' is \"\", not a whole number of "
            "at least 0");
  EXPECT_EQ(readError("epoch", "99999999999999999999"),
            "m.safetensors: metadata 'epoch' is \"99999999999999999999\", not "
            "a whole number of at least 0");
}

TEST(LoopStateTest, SumsAndSecondsMustBeFinite) {
  EXPECT_EQ(readError("epoch_sums", "nan"),
            "m.safetensors: metadata 'epoch_sums' is \"nan\", not a list of "
            "finite numbers");
  EXPECT_EQ(readError("epoch_sums", "1,inf"),
            "m.safetensors: metadata 'epoch_sums' is \"1,inf\", not a list of "
            "finite numbers");
  EXPECT_EQ(readError("epoch_sums", "1,2,"),
            "m.safetensors: metadata 'epoch_sums' is \"1,2,\", not a list of "
            "finite numbers");
  EXPECT_EQ(readError("epoch_seconds", "-1"),
            "m.safetensors: metadata 'epoch_seconds' is \"-1\", not a finite "
            "number of at least 0");
}

TEST(LoopStateTest, MissingFieldSaysWhoWroteIt) {
  Metadata m = midEpoch();
  m.erase("step");
  EXPECT_EQ(messageOf<CheckpointError>(
                [&] { LoopState::fromMetadata(m, "m.safetensors"); }),
            "m.safetensors: metadata has no 'step'; it was not written by "
            "aec train");
  // Checkpoints of aec before the batch size was recorded still load.
  m = midEpoch();
  m.erase("batch");
  EXPECT_EQ(LoopState::fromMetadata(m, "m.safetensors").batch, 0);
}

TEST(LoopStateTest, StepCannotBeFewerThanTheBatchesDone) {
  EXPECT_EQ(readError("step", "2"),
            "m.safetensors: metadata 'step' is 2, fewer than the batches done "
            "(epoch 2, batch 3)");
}

/// The message of checking the mid-epoch state (|key| set to |value|)
/// against 1000 samples in batches of |batch| with 2 scalars.
std::string resumeError(const std::string &key, const std::string &value,
                        int64_t batch = 50) {
  Metadata m = midEpoch();
  m[key] = value;
  LoopState state = LoopState::fromMetadata(m, "m.safetensors");
  return messageOf<CheckpointError>(
      [&] { state.checkResumable(1000, batch, 2, "m.safetensors"); });
}

TEST(LoopStateTest, BatchIndexMustFitTheEpoch) {
  Metadata m = midEpoch();
  m["batch_in_epoch"] = "999";
  m["step"] = "1009";
  LoopState state = LoopState::fromMetadata(m, "m.safetensors");
  EXPECT_EQ(messageOf<CheckpointError>(
                [&] { state.checkResumable(1000, 50, 2, "m.safetensors"); }),
            "m.safetensors: metadata 'batch_in_epoch' is 999, but an epoch of "
            "1000 samples has 20 batches of 50");
}

TEST(LoopStateTest, RowsMustBeTheBatchesDone) {
  EXPECT_EQ(resumeError("epoch_rows", "140"),
            "m.safetensors: metadata 'epoch_rows' is 140, but 3 batches of 50 "
            "are 150 samples (was it saved with another --batch or other "
            "data?)");
}

// Another batch size mid-epoch would cut the epoch's order at other places
// and skip or repeat samples.
TEST(LoopStateTest, BatchMayNotChangeMidEpoch) {
  EXPECT_EQ(resumeError("epoch", "2", /*batch=*/64),
            "m.safetensors: was saved in the middle of epoch 3 after 3 "
            "batches of 50 (150 samples); resuming with batch 64 would skip "
            "or repeat samples: resume with --batch 50");
  // Between epochs it may.
  Metadata m = midEpoch();
  m["batch_in_epoch"] = "0";
  m["epoch_rows"] = "0";
  LoopState state = LoopState::fromMetadata(m, "m.safetensors");
  EXPECT_NO_THROW(state.checkResumable(1000, 64, 2, "m.safetensors"));
}

TEST(LoopStateTest, OneSumPerScalar) {
  EXPECT_EQ(resumeError("epoch_sums", "1,2,3"),
            "m.safetensors: metadata 'epoch_sums' holds 3 sums, but the model "
            "reports 2 values (its loss and metrics)");
}

} // namespace
