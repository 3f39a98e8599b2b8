//===- IdxTest.cpp - Reading and writing IDX files ------------------------===//
//
// Round trips through raw and gzip'd files, then one broken file per error
// the reader reports, each checked for the path and the words that say what
// is wrong.
//
//===----------------------------------------------------------------------===//

#include "aenet/Runtime/Errors.h"
#include "aenet/Runtime/Idx.h"

#include "TempDir.h"

#include <gtest/gtest.h>

#include <filesystem>

using namespace aenet::rt;
using aenet::test::messageOf;
using aenet::test::readFile;
using aenet::test::TempDir;
using aenet::test::writeFile;
using aenet::test::writeGzipFile;

namespace {

/// Three 2x2 "images" with pixel i = i.
IdxArray smallImages() {
  IdxArray array;
  array.dims = {3, 2, 2};
  for (int i = 0; i < 12; ++i)
    array.data.push_back(static_cast<uint8_t>(i));
  return array;
}

/// The IDX header of an unsigned-byte array of |dims|, as raw bytes.
std::string header(std::vector<uint32_t> dims, char type = 0x08) {
  std::string bytes = {0, 0, type, static_cast<char>(dims.size())};
  for (uint32_t dim : dims)
    for (int shift = 24; shift >= 0; shift -= 8)
      bytes.push_back(static_cast<char>((dim >> shift) & 0xff));
  return bytes;
}

std::string readError(const std::string &path) {
  return messageOf<DataError>([&] { readIdx(path); });
}

TEST(IdxTest, RoundTripsRawAndGzip) {
  TempDir dir;
  for (bool gzip : {false, true}) {
    std::string path = dir.file(gzip ? "a.idx.gz" : "a.idx");
    writeIdx(path, smallImages(), gzip);
    std::string bytes = readFile(path);
    ASSERT_GE(bytes.size(), 2u);
    EXPECT_EQ(gzip, bytes[0] == '\x1f' && bytes[1] == '\x8b');
    IdxArray back = readIdx(path);
    EXPECT_EQ(back.dims, smallImages().dims);
    EXPECT_EQ(back.data, smallImages().data);
  }
}

TEST(IdxTest, ReadsBigEndianDimensions) {
  TempDir dir;
  // 258 = 0x0102 labels: checks the byte order of the header.
  std::string bytes = header({258}) + std::string(258, '\x07');
  writeFile(dir.file("labels"), bytes);
  IdxArray array = readIdx(dir.file("labels"));
  EXPECT_EQ(array.dims, std::vector<int64_t>{258});
  EXPECT_EQ(array.data.size(), 258u);
  EXPECT_EQ(array.data[257], 7);
}

TEST(IdxTest, MissingFile) {
  TempDir dir;
  std::string message = readError(dir.file("nope.gz"));
  EXPECT_NE(message.find(dir.file("nope.gz") + ": cannot open"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("No such file"), std::string::npos) << message;
}

TEST(IdxTest, DirectoryIsNamed) {
  TempDir dir;
  std::string path = dir.file("train.gz");
  std::filesystem::create_directory(path);
  EXPECT_EQ(readError(path), path + ": is a directory");
}

// /dev/zero used to be read until std::bad_alloc.
TEST(IdxTest, DeviceIsRefused) {
  EXPECT_EQ(readError("/dev/zero"),
            "/dev/zero: is a character device, not a regular file; aec reads "
            "data and checkpoints only from regular files");
}

TEST(IdxTest, NotGzipAndNotIdxShowsMagicInHex) {
  TempDir dir;
  writeFile(dir.file("pic.png"), "\x89PNG\r\n\x1a\n....");
  std::string message = readError(dir.file("pic.png"));
  EXPECT_NE(message.find(dir.file("pic.png") + ": not gzip and not an IDX"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("89 50 4e 47"), std::string::npos) << message;
}

TEST(IdxTest, TooShortForAHeader) {
  TempDir dir;
  writeFile(dir.file("short"), std::string("\0\0", 2));
  EXPECT_NE(readError(dir.file("short")).find("too short for an IDX header"),
            std::string::npos);
}

TEST(IdxTest, WrongTypeCodeIsNamed) {
  TempDir dir;
  writeFile(dir.file("floats"), header({1}, 0x0D) + std::string(4, '\0'));
  std::string message = readError(dir.file("floats"));
  EXPECT_NE(message.find("type 0x0d (float32) is not supported"),
            std::string::npos)
      << message;
}

TEST(IdxTest, ZeroDimension) {
  TempDir dir;
  writeFile(dir.file("empty"), header({5, 0, 28}));
  std::string message = readError(dir.file("empty"));
  EXPECT_NE(message.find("dimension 1 of the IDX header is zero"),
            std::string::npos)
      << message;
}

TEST(IdxTest, NoDimensions) {
  TempDir dir;
  writeFile(dir.file("rank0"), header({}));
  EXPECT_NE(readError(dir.file("rank0")).find("no dimensions"),
            std::string::npos);
}

TEST(IdxTest, TruncatedHeader) {
  TempDir dir;
  writeFile(dir.file("cut"), header({60000, 28, 28}).substr(0, 10));
  std::string message = readError(dir.file("cut"));
  EXPECT_NE(message.find("truncated header: 3 dimensions need 16 bytes but "
                         "the file has 10"),
            std::string::npos)
      << message;
}

TEST(IdxTest, TruncatedDataInGzipSaysWhatTheHeaderPromised) {
  TempDir dir;
  std::string path = dir.file("train-images-idx3-ubyte.gz");
  writeGzipFile(path, header({60000, 28, 28}) + std::string(1234, '\0'));
  std::string message = readError(path);
  EXPECT_NE(message.find(path + ": truncated: header says 60000 images of "
                                "28x28 (47040000 bytes) but only 1234 bytes "
                                "of data follow"),
            std::string::npos)
      << message;
}

TEST(IdxTest, GzipOfSomethingElse) {
  TempDir dir;
  writeGzipFile(dir.file("text.gz"), "hello, world");
  std::string message = readError(dir.file("text.gz"));
  EXPECT_NE(message.find("gzip'd data is not an IDX file: magic bytes 68 65 "
                         "6c 6c"),
            std::string::npos)
      << message;
}

TEST(IdxTest, TrailingGarbage) {
  TempDir dir;
  writeFile(dir.file("long"), header({2}) + "\x01\x02" + "junk");
  std::string message = readError(dir.file("long"));
  EXPECT_NE(message.find("4 bytes of trailing data after the 2 bytes of 2 "
                         "labels"),
            std::string::npos)
      << message;
}

TEST(IdxTest, CorruptGzipStream) {
  TempDir dir;
  std::string path = dir.file("bad.gz");
  IdxArray big;
  big.dims = {4096};
  for (int i = 0; i < 4096; ++i)
    big.data.push_back(static_cast<uint8_t>(i * 7 + i / 13));
  writeIdx(path, big, /*gzip=*/true);
  std::string bytes = readFile(path);
  // Flip bits in the middle of the deflate stream, past the 10-byte header.
  for (size_t i = 20; i < 40 && i < bytes.size(); ++i)
    bytes[i] = static_cast<char>(bytes[i] ^ 0x5a);
  writeFile(path, bytes);
  std::string message = readError(path);
  EXPECT_NE(message.find(path + ": corrupt gzip stream: "), std::string::npos)
      << message;
}

TEST(IdxTest, GzipCutShortIsCorrupt) {
  TempDir dir;
  std::string path = dir.file("cut.gz");
  IdxArray big;
  big.dims = {4096};
  for (int i = 0; i < 4096; ++i)
    big.data.push_back(static_cast<uint8_t>(i * 7 + i / 13));
  writeIdx(path, big, /*gzip=*/true);
  std::string bytes = readFile(path);
  writeFile(path, bytes.substr(0, bytes.size() / 2));
  std::string message = readError(path);
  EXPECT_EQ(message, path + ": corrupt gzip stream: unexpected end of file");
}

} // namespace
