//===- KerasWeightsTest.cpp - Keras's HDF5 weights files ------------------===//
//
// A Keras 3 file written here reads back with the same layers, tensors and
// order within each layer, a recurrent layer's from its cell's group; files
// that are not Keras's are refused, and a failed save leaves nothing. (The
// e2e test keras-weights.test reads files Keras wrote.)
//
//===----------------------------------------------------------------------===//

#include "aenet/Runtime/Errors.h"
#include "aenet/Runtime/KerasWeights.h"

#include "TempDir.h"

#include <gtest/gtest.h>

using namespace aenet::rt;
using aenet::test::exists;
using aenet::test::messageOf;
using aenet::test::TempDir;
using aenet::test::writeFile;

namespace {

TEST(KerasWeights, Keras3FileRoundTrips) {
  TempDir dir;
  std::string path = dir.file("m.weights.h5");
  std::vector<KerasLayer> layers = {
      {"dense", {{"kernel", {2, 3}, {1, 2, 3, 4, 5, 6}}, {"bias", {3}, {7, 8, 9}}},
       false},
      {"lstm",
       {{"kernel", {1, 4}, {1, 2, 3, 4}},
        {"recurrent_kernel", {1, 4}, {5, 6, 7, 8}},
        {"bias", {4}, {0, 1, 0, 0}}},
       true}};
  saveKerasWeights(path, layers);
  KerasWeightsFile file = loadKerasWeights(path);
  EXPECT_EQ(file.kerasVersion, 3);
  EXPECT_FALSE(file.ordered);
  ASSERT_EQ(file.layers.size(), 2u);
  for (size_t l = 0; l < 2; ++l) {
    EXPECT_EQ(file.layers[l].name, layers[l].name);
    EXPECT_EQ(file.layers[l].recurrent, layers[l].recurrent);
    ASSERT_EQ(file.layers[l].weights.size(), layers[l].weights.size());
    for (size_t w = 0; w < layers[l].weights.size(); ++w) {
      EXPECT_EQ(file.layers[l].weights[w].shape, layers[l].weights[w].shape);
      EXPECT_EQ(file.layers[l].weights[w].data, layers[l].weights[w].data);
    }
  }
}

TEST(KerasWeights, RefusesOtherFiles) {
  TempDir dir;
  writeFile(dir.file("text.h5"), "not hdf5\n");
  EXPECT_EQ(messageOf<CheckpointError>(
                [&] { loadKerasWeights(dir.file("text.h5")); }),
            dir.file("text.h5") + ": is not an HDF5 file (Keras writes its "
                                  "weights as .weights.h5 or .h5)");
  EXPECT_EQ(messageOf<CheckpointError>(
                [&] { loadKerasWeights(dir.file("none.h5")); })
                .rfind(dir.file("none.h5") + ": ", 0),
            0u);
}

TEST(KerasWeights, FailedSaveLeavesNothing) {
  TempDir dir;
  std::string path = dir.file("missing/m.weights.h5");
  EXPECT_THROW(saveKerasWeights(path, {}), CheckpointError);
  EXPECT_FALSE(exists(path));
}

} // namespace
