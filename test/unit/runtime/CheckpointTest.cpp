//===- CheckpointTest.cpp - safetensors files -----------------------------===//
//
// Round trips, the exact bytes of a small file (checked by hand against the
// safetensors specification), one hand-made broken file per load error, and
// the atomicity of saving.
//
//===----------------------------------------------------------------------===//

#include "aenet/Runtime/Checkpoint.h"
#include "aenet/Runtime/Errors.h"

#include "TempDir.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <unistd.h>

using namespace aenet::rt;
using aenet::test::exists;
using aenet::test::messageOf;
using aenet::test::readFile;
using aenet::test::TempDir;
using aenet::test::writeFile;

namespace {

/// A safetensors file with |header| (padded to 8) and |dataBytes| zeros.
std::string fileWith(std::string header, size_t dataBytes) {
  header.append((8 - header.size() % 8) % 8, ' ');
  std::string bytes;
  for (int i = 0; i < 8; ++i)
    bytes += static_cast<char>((header.size() >> (8 * i)) & 0xff);
  return bytes + header + std::string(dataBytes, '\0');
}

std::string loadError(const TempDir &dir, const std::string &bytes) {
  std::string path = dir.file("bad.safetensors");
  writeFile(path, bytes);
  return messageOf<CheckpointError>([&] { loadSafetensors(path); });
}

TEST(CheckpointTest, RoundTrip) {
  TempDir dir;
  std::string path = dir.file("model.safetensors");
  std::vector<NamedTensor> tensors = {
      {"encoder.dense.kernel", {2, 3}, {1, -2, 3.5f, 1e-30f, -0.0f, 7}},
      {"encoder.dense.bias", {3}, {0.25f, 0.5f, 0.75f}},
      {"step", {}, {42}},
      {"empty", {0, 4}, {}},
  };
  std::map<std::string, std::string> metadata = {
      {"epoch", "12"}, {"source", "conv_ae.aenet \"quoted\"\n\xc3\xa9"}};
  saveSafetensors(path, tensors, metadata);
  Checkpoint loaded = loadSafetensors(path);
  ASSERT_EQ(loaded.tensors.size(), tensors.size());
  for (size_t i = 0; i < tensors.size(); ++i) {
    EXPECT_EQ(loaded.tensors[i].name, tensors[i].name);
    EXPECT_EQ(loaded.tensors[i].shape, tensors[i].shape);
    EXPECT_EQ(loaded.tensors[i].data, tensors[i].data);
  }
  EXPECT_EQ(loaded.metadata, metadata);
  ASSERT_NE(loaded.find("step"), nullptr);
  EXPECT_EQ(loaded.find("step")->data[0], 42.0f);
  EXPECT_EQ(loaded.find("nope"), nullptr);
}

// The metadata alone comes from the header: a file whose tensor data is cut
// short still gives it, and a file too short for a header is refused as
// loadSafetensors refuses it.
TEST(CheckpointTest, MetadataFromTheHeaderAlone) {
  TempDir dir;
  std::string path = dir.file("w.safetensors");
  std::map<std::string, std::string> metadata = {{"params", "code=8"},
                                                 {"epoch", "3"}};
  saveSafetensors(path, {{"k", {4, 4}, std::vector<float>(16, 1.0f)}},
                  metadata);
  EXPECT_EQ(loadSafetensorsMetadata(path), metadata);
  std::filesystem::resize_file(path, std::filesystem::file_size(path) - 8);
  EXPECT_THROW(loadSafetensors(path), CheckpointError);
  EXPECT_EQ(loadSafetensorsMetadata(path), metadata);

  saveSafetensors(path, {{"k", {1}, {2.0f}}}, {});
  EXPECT_TRUE(loadSafetensorsMetadata(path).empty());
  std::filesystem::resize_file(path, 3);
  EXPECT_EQ(messageOf<CheckpointError>([&] { loadSafetensorsMetadata(path); }),
            path + ": too short for a safetensors file (3 bytes; the header "
                   "length alone is 8)");
}

TEST(CheckpointTest, HeaderBytesFollowTheSpecification) {
  TempDir dir;
  std::string path = dir.file("w.safetensors");
  saveSafetensors(path, {{"w", {2}, {1.0f, -2.0f}}}, {{"epoch", "3"}});
  std::string bytes = readFile(path);
  std::string json = R"({"__metadata__":{"epoch":"3"},"w":{"dtype":"F32",)"
                     R"("shape":[2],"data_offsets":[0,8]}})";
  ASSERT_EQ(json.size(), 83u);
  // 83 bytes of JSON padded with 5 spaces to 88 = 0x58.
  std::string expected = std::string("\x58\0\0\0\0\0\0\0", 8) + json +
                         std::string(5, ' ') +
                         std::string("\x00\x00\x80\x3f\x00\x00\x00\xc0", 8);
  EXPECT_EQ(bytes, expected);
}

TEST(CheckpointTest, LoadsAHandWrittenFile) {
  // Written the way Python's safetensors does: no metadata, keys sorted,
  // data not in key order.
  TempDir dir;
  std::string header =
      R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]},)"
      R"("b":{"dtype":"F32","shape":[],"data_offsets":[0,4]}})";
  std::string bytes = fileWith(header, 0) + std::string("\0\0\x80\x3f", 4) +
                      std::string("\0\0\0\x40", 4);
  std::string path = dir.file("py.safetensors");
  writeFile(path, bytes);
  Checkpoint loaded = loadSafetensors(path);
  ASSERT_EQ(loaded.tensors.size(), 2u);
  EXPECT_EQ(loaded.tensors[0].name, "b");
  EXPECT_EQ(loaded.find("a")->data, std::vector<float>{2.0f});
  EXPECT_EQ(loaded.find("b")->data, std::vector<float>{1.0f});
  EXPECT_TRUE(loaded.metadata.empty());
}

TEST(CheckpointTest, MissingFile) {
  TempDir dir;
  std::string path = dir.file("none.safetensors");
  EXPECT_EQ(messageOf<CheckpointError>([&] { loadSafetensors(path); }),
            path + ": cannot open: No such file or directory");
}

// A directory used to open fine and then throw an uncaught
// std::ios_base::failure on the first read.
TEST(CheckpointTest, DirectoryIsNamed) {
  TempDir dir;
  std::string path = dir.file("model.safetensors");
  std::filesystem::create_directory(path);
  EXPECT_EQ(messageOf<CheckpointError>([&] { loadSafetensors(path); }),
            path + ": is a directory");
}

TEST(CheckpointTest, DeviceIsRefused) {
  EXPECT_EQ(messageOf<CheckpointError>([] { loadSafetensors("/dev/zero"); }),
            "/dev/zero: is a character device, not a regular file; aec reads "
            "data and checkpoints only from regular files");
}

TEST(CheckpointTest, TooShort) {
  TempDir dir;
  EXPECT_NE(loadError(dir, "abc").find("too short for a safetensors file (3 "
                                       "bytes"),
            std::string::npos);
}

TEST(CheckpointTest, HeaderLongerThanFile) {
  TempDir dir;
  std::string bytes = fileWith("{}", 0);
  bytes[0] = 0x40; // Claims 64 header bytes; 8 follow.
  EXPECT_NE(loadError(dir, bytes).find("header length 64 is larger than the "
                                       "file (8 bytes after the 8-byte "
                                       "length)"),
            std::string::npos);
}

TEST(CheckpointTest, BadJson) {
  TempDir dir;
  std::string message =
      loadError(dir, fileWith(R"({"w": {"dtype" "F32"}})", 0));
  // The bad byte is the closing quote of "F32", 8 + 19 into the file.
  EXPECT_NE(message.find("bad JSON header at byte 27: syntax error while "
                         "parsing object separator - unexpected string "
                         "literal; expected ':'"),
            std::string::npos)
      << message;
  message = loadError(dir, fileWith(R"({"w": 1, "w": 2})", 0));
  EXPECT_NE(message.find("bad JSON header: duplicate key \"w\""),
            std::string::npos)
      << message;
}

TEST(CheckpointTest, UnknownAndUnsupportedDtypes) {
  TempDir dir;
  std::string message = loadError(
      dir, fileWith(R"({"w":{"dtype":"F12","shape":[1],"data_offsets":[0,4]}})",
                    4));
  EXPECT_NE(message.find("tensor 'w': unknown dtype 'F12'"), std::string::npos)
      << message;
  message = loadError(
      dir, fileWith(R"({"w":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}})",
                    4));
  EXPECT_NE(message.find("tensor 'w': dtype F16 is not supported (only F32)"),
            std::string::npos)
      << message;
}

TEST(CheckpointTest, OffsetsOutOfRange) {
  TempDir dir;
  std::string message = loadError(
      dir, fileWith(R"({"w":{"dtype":"F32","shape":[4],)"
                    R"("data_offsets":[8,24]}})",
                    16));
  EXPECT_NE(message.find("tensor 'w': data_offsets [8, 24] are outside the "
                         "16-byte data section"),
            std::string::npos)
      << message;
  message = loadError(
      dir, fileWith(R"({"w":{"dtype":"F32","shape":[1],)"
                    R"("data_offsets":[8,4]}})",
                    16));
  EXPECT_NE(message.find("0 <= begin <= end"), std::string::npos) << message;
}

TEST(CheckpointTest, OverlappingOffsets) {
  TempDir dir;
  std::string message = loadError(
      dir, fileWith(R"({"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},)"
                    R"("b":{"dtype":"F32","shape":[4],"data_offsets":[8,24]}})",
                    24));
  EXPECT_NE(message.find("tensors 'a' [0, 16] and 'b' [8, 24] overlap"),
            std::string::npos)
      << message;
}

TEST(CheckpointTest, SizeDiffersFromShape) {
  TempDir dir;
  std::string message = loadError(
      dir, fileWith(
               R"({"w":{"dtype":"F32","shape":[3,4],"data_offsets":[0,40]}})",
               40));
  EXPECT_NE(message.find("tensor 'w': shape [3, 4] is 12 F32 values (48 "
                         "bytes) but data_offsets [0, 40] hold 40 bytes"),
            std::string::npos)
      << message;
}

TEST(CheckpointTest, MetadataMustBeStrings) {
  TempDir dir;
  std::string message =
      loadError(dir, fileWith(R"({"__metadata__":{"epoch":3}})", 0));
  EXPECT_NE(message.find("__metadata__ value of 'epoch' is a JSON integer, "
                         "not a string"),
            std::string::npos)
      << message;
}

// Found by the checkpoint fuzzer: a file that loaded but could not be saved.
TEST(CheckpointTest, EmptyTensorNameIsRefused) {
  TempDir dir;
  std::string message = loadError(
      dir,
      fileWith(R"({"":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})", 4));
  EXPECT_NE(message.find("a tensor has an empty name"), std::string::npos)
      << message;
}

TEST(CheckpointTest, SaveRejectsBadTensorsAndKeepsTheOldFile) {
  TempDir dir;
  std::string path = dir.file("m.safetensors");
  saveSafetensors(path, {{"w", {1}, {1}}}, {});
  std::string before = readFile(path);
  std::string message = messageOf<CheckpointError>(
      [&] { saveSafetensors(path, {{"w", {2, 2}, {1, 2, 3}}}, {}); });
  EXPECT_NE(message.find("tensor 'w': shape [2, 2] does not match its 3 "
                         "values"),
            std::string::npos)
      << message;
  message = messageOf<CheckpointError>(
      [&] { saveSafetensors(path, {{"w", {}, {1}}, {"w", {}, {2}}}, {}); });
  EXPECT_NE(message.find("names must be unique"), std::string::npos);
  EXPECT_EQ(readFile(path), before);
}

TEST(CheckpointTest, SaveLeavesNoTemporaryFile) {
  TempDir dir;
  std::string path = dir.file("m.safetensors");
  saveSafetensors(path, {{"w", {1}, {1}}}, {});
  saveSafetensors(path, {{"w", {1}, {2}}}, {});
  int files = 0;
  for (const auto &entry : std::filesystem::directory_iterator(dir.path())) {
    EXPECT_EQ(entry.path().filename(), "m.safetensors");
    ++files;
  }
  EXPECT_EQ(files, 1);
  EXPECT_EQ(loadSafetensors(path).tensors[0].data[0], 2.0f);
}

TEST(CheckpointTest, FailedSaveKeepsTheExistingCheckpoint) {
  TempDir dir;
  std::string path = dir.file("m.safetensors");
  saveSafetensors(path, {{"w", {1}, {1}}}, {{"epoch", "1"}});
  std::string before = readFile(path);
  // A directory where the temporary file must go makes the save fail after
  // it has started, even for root (who may write into read-only folders).
  std::string temp = path + ".tmp." + std::to_string(::getpid());
  std::filesystem::create_directory(temp);
  std::string message = messageOf<CheckpointError>(
      [&] { saveSafetensors(path, {{"w", {1}, {2}}}, {{"epoch", "2"}}); });
  EXPECT_NE(message.find(path + ": cannot save: cannot create"),
            std::string::npos)
      << message;
  EXPECT_EQ(readFile(path), before);
  EXPECT_EQ(loadSafetensors(path).metadata.at("epoch"), "1");
}

TEST(CheckpointTest, SaveUnderARegularFileFails) {
  // A path through a regular file cannot be created by anyone, root
  // included (unlike a read-only directory, which root may write into).
  TempDir dir;
  std::string file = dir.file("m.safetensors");
  saveSafetensors(file, {{"w", {1}, {1}}}, {});
  std::string before = readFile(file);
  std::string path = file + "/inner.safetensors";
  std::string message = messageOf<CheckpointError>(
      [&] { saveSafetensors(path, {{"w", {1}, {2}}}, {}); });
  EXPECT_NE(message.find(path + ": cannot save: "), std::string::npos)
      << message;
  EXPECT_NE(message.find("Not a directory"), std::string::npos) << message;
  EXPECT_EQ(readFile(file), before);
}

TEST(CheckpointTest, SaveIntoMissingDirectoryFails) {
  TempDir dir;
  std::string path = dir.file("no/such/dir/m.safetensors");
  std::string message = messageOf<CheckpointError>(
      [&] { saveSafetensors(path, {{"w", {1}, {1}}}, {}); });
  EXPECT_NE(message.find("No such file or directory"), std::string::npos)
      << message;
  EXPECT_FALSE(exists(path));
}

} // namespace
