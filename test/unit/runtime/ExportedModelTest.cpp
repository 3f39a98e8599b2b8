//===- ExportedModelTest.cpp - The runtime of exported models -------------===//
//
// libaenet-export on hand-made tables (ExportAbi.h) whose "compiled code"
// is a C++ function of known arithmetic: the weights are read and checked,
// rows are split into full batches run in place, a batch-1 program or a
// padded batch; a recurrent state is zero at every call. And memrefCopy on
// strided views against index arithmetic done here.
//
//===----------------------------------------------------------------------===//

#include "aenet/Runtime/Checkpoint.h"
#include "aenet/Runtime/Errors.h"
#include "aenet/Runtime/ExportAbi.h"

#include "TempDir.h"

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <vector>

extern "C" void memrefCopy(int64_t elementSize, void *source, void *target);

namespace {

using aenet::test::TempDir;

/// A ranked descriptor of rank 2, as compiled code passes it.
struct Desc2 {
  float *allocated, *aligned;
  int64_t offset, sizes[2], strides[2];
};
struct Unranked {
  int64_t rank;
  void *descriptor;
};

/// What the fake program saw at its calls.
struct Calls {
  std::vector<const float *> inputs;
  std::vector<float> statesSeen;
};
Calls calls;

/// out[r][j] = 2 * in[r][j] + w[j], and the state's first value seen, then
/// set to 7 (a real cell would leave its last state there).
template <int64_t Batch> void fakeProgram(void **args) {
  auto *in = static_cast<Desc2 *>(args[0]);
  auto *w = static_cast<Desc2 *>(args[1]);
  auto *state = static_cast<Desc2 *>(args[2]);
  auto *out = static_cast<Desc2 *>(args[3]);
  EXPECT_EQ(in->sizes[0], Batch);
  calls.inputs.push_back(in->aligned);
  calls.statesSeen.push_back(state->aligned[0]);
  state->aligned[0] = 7;
  for (int64_t r = 0; r < Batch; ++r)
    for (int64_t j = 0; j < 3; ++j)
      out->aligned[r * 3 + j] = 2 * in->aligned[r * 3 + j] + w->aligned[j];
}

const int64_t shape4[] = {4, 3}, shape1[] = {1, 3}, weightShape[] = {1, 3};
const int64_t state4[] = {4, 1}, state1[] = {1, 1};
const aenet_slot slots4[] = {
    {AENET_SLOT_INPUT, "x", 2, shape4, 0},
    {AENET_SLOT_PARAM, "w", 2, weightShape, 0},
    {AENET_SLOT_LAYER_STATE, "h", 2, state4, 0},
    {AENET_SLOT_OUTPUT, "y", 2, shape4, 0}};
const aenet_slot slots1[] = {
    {AENET_SLOT_INPUT, "x", 2, shape1, 0},
    {AENET_SLOT_PARAM, "w", 2, weightShape, 0},
    {AENET_SLOT_LAYER_STATE, "h", 2, state1, 0},
    {AENET_SLOT_OUTPUT, "y", 2, shape1, 0}};
const aenet_program programs[] = {{4, 4, slots4, -1, 0, fakeProgram<4>},
                                  {1, 4, slots1, -1, 0, fakeProgram<1>}};

/// The library of |count| programs (1: the batch of 4 alone, padded) with
/// |weights| embedded; it points into |weights|.
aenet_library libraryOf(int count, const std::string &weights) {
  static aenet_entry entry;
  entry = {"predict", count, programs};
  return {"fake",
          1,
          &entry,
          reinterpret_cast<const unsigned char *>(weights.data()),
          weights.size(),
          nullptr,
          nullptr};
}

std::string safetensorsBytes(const TempDir &dir,
                             const std::vector<aenet::rt::NamedTensor> &t) {
  std::string path = dir.file("w.safetensors");
  aenet::rt::saveSafetensors(path, t, {});
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in),
                     std::istreambuf_iterator<char>());
}

/// 11 rows through |library|: every output as the formula gives it.
/// Returns how many calls of the programs that took.
size_t expectElevenRows(const aenet_library &library) {
  aenet_model *model = aenet_export_open(&library, nullptr);
  EXPECT_NE(model, nullptr) << aenet_export_error();
  if (!model)
    return 0;
  std::vector<float> x(11 * 3), y(11 * 3, -1);
  for (size_t i = 0; i < x.size(); ++i)
    x[i] = static_cast<float>(i);
  const float *in[] = {x.data()};
  float *out[] = {y.data()};
  calls = {};
  EXPECT_EQ(aenet_export_run(model, 0, in, out, 11), 0);
  for (int64_t r = 0; r < 11; ++r)
    for (int64_t j = 0; j < 3; ++j)
      EXPECT_EQ(y[r * 3 + j], 2 * x[r * 3 + j] + 0.5f * (j + 1))
          << "row " << r << " column " << j;
  // Two full batches read the caller's rows in place; every call starts
  // from a zero state.
  size_t callsForEleven = calls.inputs.size();
  EXPECT_GE(callsForEleven, 3u);
  if (callsForEleven >= 2) {
    EXPECT_EQ(calls.inputs[0], x.data());
    EXPECT_EQ(calls.inputs[1], x.data() + 4 * 3);
  }
  for (float s : calls.statesSeen)
    EXPECT_EQ(s, 0);
  // A batch of 0 runs nothing.
  calls = {};
  EXPECT_EQ(aenet_export_run(model, 0, in, out, 0), 0);
  EXPECT_TRUE(calls.inputs.empty());
  EXPECT_EQ(aenet_export_run(model, 0, in, out, -1), -1);
  EXPECT_STREQ(aenet_export_error(), "fake: batch -1 is negative");
  aenet_export_close(model);
  return callsForEleven;
}

TEST(ExportedModel, RunsLeftOverRowsOneByOne) {
  TempDir dir;
  std::string weights = safetensorsBytes(dir, {{"w", {1, 3}, {0.5f, 1, 1.5f}}});
  // 2 full batches, then the last 3 rows one by one, each in place.
  EXPECT_EQ(expectElevenRows(libraryOf(2, weights)), 5u);
}

TEST(ExportedModel, PadsLeftOverRowsWithoutABatchOfOne) {
  TempDir dir;
  std::string weights = safetensorsBytes(dir, {{"w", {1, 3}, {0.5f, 1, 1.5f}}});
  aenet_library library = libraryOf(1, weights);
  aenet_model *model = aenet_export_open(&library, nullptr);
  std::vector<float> x(11 * 3, 1), y(11 * 3);
  const float *in[] = {x.data()};
  float *out[] = {y.data()};
  calls = {};
  ASSERT_EQ(aenet_export_run(model, 0, in, out, 11), 0);
  // The third call ran the last 3 rows in scratch rows of its own.
  ASSERT_EQ(calls.inputs.size(), 3u);
  EXPECT_NE(calls.inputs[2], x.data() + 8 * 3);
  aenet_export_close(model);
  EXPECT_EQ(expectElevenRows(library), 3u);
}

TEST(ExportedModel, ChecksTheWeights) {
  TempDir dir;
  // The library points into these bytes: they outlive it.
  std::string other = safetensorsBytes(dir, {{"v", {1, 3}, {0, 0, 0}}});
  aenet_library missing = libraryOf(2, other);
  EXPECT_EQ(aenet_export_open(&missing, nullptr), nullptr);
  EXPECT_STREQ(aenet_export_error(), "fake's embedded weights: has no tensor "
                                     "'w' [1, 3] of model 'fake'");
  std::string flat = safetensorsBytes(dir, {{"w", {3}, {0, 0, 0}}});
  aenet_library shaped = libraryOf(2, flat);
  EXPECT_EQ(aenet_export_open(&shaped, nullptr), nullptr);
  EXPECT_STREQ(aenet_export_error(), "fake's embedded weights: tensor 'w' "
                                     "has shape [3]; model 'fake' takes [1, "
                                     "3]");
  std::string noBytes;
  aenet_library none = libraryOf(2, noBytes);
  none.weights = nullptr;
  EXPECT_EQ(aenet_export_open(&none, nullptr), nullptr);
  EXPECT_STREQ(aenet_export_error(),
               "fake: no weights: this library was exported without "
               "--embed-weights; give the path of its safetensors file");
  // A file path replaces the embedded weights.
  std::string path = dir.file("file.safetensors");
  aenet::rt::saveSafetensors(path, {{"w", {1, 3}, {0.5f, 1, 1.5f}}}, {});
  aenet_model *model = aenet_export_open(&none, path.c_str());
  ASSERT_NE(model, nullptr) << aenet_export_error();
  aenet_export_close(model);
}

TEST(MemrefCopy, CopiesAStridedViewElementByElement) {
  // A 3 x 4 view of a 4 x 6 buffer from [1, 1] with row stride 6, into a
  // transposed view (strides 1, 3) of a 12-float buffer.
  std::vector<float> from(24), to(12, -1);
  for (size_t i = 0; i < from.size(); ++i)
    from[i] = static_cast<float>(i);
  Desc2 source{from.data(), from.data(), 7, {3, 4}, {6, 1}};
  Desc2 target{to.data(), to.data(), 0, {3, 4}, {1, 3}};
  Unranked s{2, &source}, t{2, &target};
  memrefCopy(sizeof(float), &s, &t);
  for (int64_t i = 0; i < 3; ++i)
    for (int64_t j = 0; j < 4; ++j)
      EXPECT_EQ(to[i + 3 * j], from[7 + 6 * i + j]) << i << ", " << j;
  // An empty view copies nothing.
  std::vector<float> untouched = to;
  source.sizes[0] = 0;
  memrefCopy(sizeof(float), &s, &t);
  EXPECT_EQ(to, untouched);
}

TEST(MemrefCopy, CopiesAScalar) {
  float a = 3, b = 0;
  struct {
    float *allocated, *aligned;
    int64_t offset;
  } source{&a, &a, 0}, target{&b, &b, 0};
  Unranked s{0, &source}, t{0, &target};
  memrefCopy(sizeof(float), &s, &t);
  EXPECT_EQ(b, 3);
}

TEST(Safetensors, ParsesBytesAsTheFileLoads) {
  TempDir dir;
  std::string bytes =
      safetensorsBytes(dir, {{"a", {2}, {1, 2}}, {"b", {1, 1}, {3}}});
  aenet::rt::Checkpoint parsed = aenet::rt::parseSafetensors(bytes, "bytes");
  aenet::rt::Checkpoint loaded =
      aenet::rt::loadSafetensors(dir.file("w.safetensors"));
  ASSERT_EQ(parsed.tensors.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(parsed.tensors[i].name, loaded.tensors[i].name);
    EXPECT_EQ(parsed.tensors[i].shape, loaded.tensors[i].shape);
    EXPECT_EQ(parsed.tensors[i].data, loaded.tensors[i].data);
  }
  EXPECT_THROW(aenet::rt::parseSafetensors(bytes.substr(0, 5), "bytes"),
               aenet::rt::CheckpointError);
}

} // namespace
