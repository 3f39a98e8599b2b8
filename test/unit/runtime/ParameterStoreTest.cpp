//===- ParameterStoreTest.cpp - Loading checkpoints into the store --------===//
//
// What resuming (load) and running a trained model (loadParameters) take from
// a checkpoint, and the errors that name the tensor and both shapes when the
// checkpoint is not the model's; with them the shape formatters every such
// message uses.
//
//===----------------------------------------------------------------------===//

#include "aenet/Runtime/Errors.h"
#include "aenet/Runtime/ParameterStore.h"

#include "TempDir.h"

#include <gtest/gtest.h>

using namespace aenet::rt;
using aenet::test::messageOf;

namespace {

/// A store of one dense layer and the Adam moment of its kernel.
ParameterStore denseStore() {
  ParameterStore store;
  store.add("dense.kernel", {2, 3});
  store.add("dense.bias", {3});
  store.add("dense.kernel/m", {2, 3}, 0, /*isState=*/true);
  return store;
}

/// The checkpoint of denseStore() with every value distinct.
Checkpoint denseCheckpoint() {
  Checkpoint checkpoint;
  checkpoint.tensors = {{"dense.kernel", {2, 3}, {1, 2, 3, 4, 5, 6}},
                        {"dense.bias", {3}, {7, 8, 9}},
                        {"dense.kernel/m", {2, 3}, {10, 11, 12, 13, 14, 15}}};
  return checkpoint;
}

TEST(ParameterStoreTest, ShapeAndSizeText) {
  EXPECT_EQ(shapeText({16, 1, 3, 3}), "[16, 1, 3, 3]");
  EXPECT_EQ(shapeText({}), "[]");
  EXPECT_EQ(sizeText({28, 28}), "28x28");
  EXPECT_EQ(sizeText({7}), "7");
}

TEST(ParameterStoreTest, LoadTakesParametersAndState) {
  ParameterStore store = denseStore();
  store.load(denseCheckpoint(), "model.safetensors");
  EXPECT_EQ(store.find("dense.kernel")->data,
            std::vector<float>({1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(store.find("dense.bias")->data, std::vector<float>({7, 8, 9}));
  EXPECT_EQ(store.find("dense.kernel/m")->data,
            std::vector<float>({10, 11, 12, 13, 14, 15}));
}

TEST(ParameterStoreTest, LoadParametersLeavesState) {
  ParameterStore store = denseStore();
  Checkpoint checkpoint = denseCheckpoint();
  checkpoint.tensors.pop_back();
  store.loadParameters(checkpoint, "model.safetensors");
  EXPECT_EQ(store.find("dense.bias")->data, std::vector<float>({7, 8, 9}));
  EXPECT_EQ(store.find("dense.kernel/m")->data, std::vector<float>(6, 0));
}

TEST(ParameterStoreTest, LoadWithoutStateNamesTheOptimizer) {
  ParameterStore store = denseStore();
  Checkpoint checkpoint = denseCheckpoint();
  checkpoint.tensors.pop_back();
  EXPECT_EQ(messageOf<CheckpointError>(
                [&] { store.load(checkpoint, "model.safetensors"); }),
            "model.safetensors: has no optimizer state 'dense.kernel/m': it "
            "was saved with another optimizer or optimizer settings");
}

TEST(ParameterStoreTest, MissingParameterIsNamed) {
  ParameterStore store = denseStore();
  Checkpoint checkpoint = denseCheckpoint();
  checkpoint.tensors.erase(checkpoint.tensors.begin() + 1);
  EXPECT_EQ(messageOf<CheckpointError>(
                [&] { store.loadParameters(checkpoint, "w.safetensors"); }),
            "w.safetensors: has no tensor 'dense.bias'");
  EXPECT_EQ(messageOf<CheckpointError>(
                [&] { store.load(checkpoint, "w.safetensors"); }),
            "w.safetensors: has no tensor 'dense.bias'");
}

TEST(ParameterStoreTest, ShapeMismatchNamesBothShapes) {
  ParameterStore store = denseStore();
  Checkpoint checkpoint = denseCheckpoint();
  checkpoint.tensors[0] = {"dense.kernel", {3, 2}, {1, 2, 3, 4, 5, 6}};
  EXPECT_EQ(messageOf<CheckpointError>(
                [&] { store.loadParameters(checkpoint, "w.safetensors"); }),
            "w.safetensors: tensor 'dense.kernel' has shape [3, 2], the "
            "model needs [2, 3]");
}

} // namespace
