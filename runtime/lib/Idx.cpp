//===- Idx.cpp - IDX files (MNIST's array format) -------------------------===//
//
// The whole file is read into memory (decompressing it if it starts with
// gzip's magic), then the header is checked against the bytes that follow.
// Messages describe the file the way a person would ("60000 images of
// 28x28"), so a truncated download is recognisable at a glance.
//
//===----------------------------------------------------------------------===//

#include "aenet/Runtime/Idx.h"

#include "aenet/Runtime/Errors.h"
#include "aenet/Runtime/InputFile.h"

#include <cerrno>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <limits>
#include <zlib.h>

namespace aenet::rt {

namespace {

constexpr uint8_t kUnsignedByte = 0x08;

/// The name of IDX type code |code|, for messages.
std::string typeName(uint8_t code) {
  switch (code) {
  case 0x08:
    return "unsigned byte";
  case 0x09:
    return "signed byte";
  case 0x0B:
    return "int16";
  case 0x0C:
    return "int32";
  case 0x0D:
    return "float32";
  case 0x0E:
    return "float64";
  default:
    return "unknown";
  }
}

std::string hexByte(uint8_t byte) {
  char text[3];
  std::snprintf(text, sizeof(text), "%02x", byte);
  return text;
}

/// "60000 images of 28x28", "10000 labels", "500 samples of 3x32x32".
std::string describe(const std::vector<int64_t> &dims) {
  std::string count = std::to_string(dims[0]);
  std::string size =
      sizeText(std::vector<int64_t>(dims.begin() + 1, dims.end()));
  if (dims.size() == 1)
    return count + " labels";
  if (dims.size() == 3)
    return count + " images of " + size;
  return count + " samples of " + size;
}

/// Reads a whole gzip file; a damaged stream is a DataError.
std::vector<uint8_t> readGzip(const std::string &path) {
  gzFile file = gzopen(path.c_str(), "rb");
  if (!file)
    throw DataError(path, "cannot open: " + errnoText(errno));
  std::vector<uint8_t> bytes;
  uint8_t chunk[1 << 16];
  while (true) {
    int n = gzread(file, chunk, sizeof(chunk));
    if (n > 0)
      bytes.insert(bytes.end(), chunk, chunk + n);
    int code = Z_OK;
    const char *message = gzerror(file, &code);
    // A stream cut short reads to the end and then reports Z_BUF_ERROR.
    if (n < 0 || (code != Z_OK && code != Z_STREAM_END)) {
      std::string why = message ? message : "unknown zlib error";
      // zlib prefixes its messages with the path; say it only once.
      if (why.compare(0, path.size() + 2, path + ": ") == 0)
        why.erase(0, path.size() + 2);
      gzclose(file);
      throw DataError(path, "corrupt gzip stream: " + why);
    }
    if (n == 0)
      break;
  }
  gzclose(file);
  return bytes;
}

/// Reads the file at |path|, decompressing it if it is gzip'd; sets
/// |gzipped| to whether it was.
std::vector<uint8_t> readFileBytes(const std::string &path, bool &gzipped) {
  if (std::string problem = regularFileProblem(path); !problem.empty())
    throw DataError(path, problem);
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw DataError(path, "cannot open: " + errnoText(errno));
  gzipped = in.get() == 0x1f && in.get() == 0x8b;
  if (gzipped)
    return readGzip(path);
  in.clear();
  in.seekg(0);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
  if (in.bad())
    throw DataError(path, "read error: " + errnoText(errno));
  return bytes;
}

} // namespace

IdxArray readIdx(const std::string &path) {
  bool gzipped = false;
  std::vector<uint8_t> bytes = readFileBytes(path, gzipped);
  if (bytes.size() < 4)
    throw DataError(path, "too short for an IDX header (" +
                              std::to_string(bytes.size()) + " bytes)");
  if (bytes[0] != 0 || bytes[1] != 0)
    throw DataError(path, std::string(gzipped ? "gzip'd data is"
                                              : "not gzip and") +
                              " not an IDX file: magic bytes " +
                              hexByte(bytes[0]) + " " + hexByte(bytes[1]) +
                              " " + hexByte(bytes[2]) + " " +
                              hexByte(bytes[3]) + ", expected 00 00 08 <dims>");
  uint8_t type = bytes[2];
  if (type != kUnsignedByte)
    throw DataError(path, "IDX type 0x" + hexByte(type) + " (" +
                              typeName(type) +
                              ") is not supported; only 0x08 (unsigned byte)");
  size_t rank = bytes[3];
  if (rank == 0)
    throw DataError(path, "IDX header has no dimensions");
  size_t headerSize = 4 + 4 * rank;
  if (bytes.size() < headerSize)
    throw DataError(path, "truncated header: " + std::to_string(rank) +
                              " dimensions need " + std::to_string(headerSize) +
                              " bytes but the file has " +
                              std::to_string(bytes.size()));

  IdxArray array;
  uint64_t elements = 1;
  for (size_t i = 0; i < rank; ++i) {
    const uint8_t *p = &bytes[4 + 4 * i];
    uint64_t dim = (uint64_t(p[0]) << 24) | (uint64_t(p[1]) << 16) |
                   (uint64_t(p[2]) << 8) | uint64_t(p[3]);
    if (dim == 0)
      throw DataError(path, "dimension " + std::to_string(i) +
                                " of the IDX header is zero");
    if (elements > std::numeric_limits<int64_t>::max() / dim)
      throw DataError(path, "IDX header describes more than 2^63 elements");
    elements *= dim;
    array.dims.push_back(static_cast<int64_t>(dim));
  }

  uint64_t available = bytes.size() - headerSize;
  if (available < elements)
    throw DataError(path, "truncated: header says " + describe(array.dims) +
                              " (" + std::to_string(elements) +
                              " bytes) but only " + std::to_string(available) +
                              " bytes of data follow");
  if (available > elements)
    throw DataError(path, std::to_string(available - elements) +
                              " bytes of trailing data after the " +
                              std::to_string(elements) + " bytes of " +
                              describe(array.dims) + " the header describes");
  array.data.assign(bytes.begin() + headerSize, bytes.end());
  return array;
}

void writeIdx(const std::string &path, const IdxArray &array, bool gzip) {
  uint64_t elements = 1;
  for (int64_t dim : array.dims) {
    if (dim < 0 || dim > std::numeric_limits<int32_t>::max())
      throw DataError(path, "IDX dimension " + std::to_string(dim) +
                                " does not fit in 32 bits");
    elements *= static_cast<uint64_t>(dim);
  }
  if (array.dims.empty() || array.dims.size() > 255 ||
      elements != array.data.size())
    throw DataError(path, "cannot write: " + std::to_string(array.dims.size()) +
                              " dimensions and " +
                              std::to_string(array.data.size()) +
                              " elements do not make an IDX array");

  std::string bytes = {0, 0, static_cast<char>(kUnsignedByte),
                       static_cast<char>(array.dims.size())};
  for (int64_t dim : array.dims)
    for (int shift = 24; shift >= 0; shift -= 8)
      bytes.push_back(static_cast<char>((dim >> shift) & 0xff));
  bytes.append(array.data.begin(), array.data.end());

  if (gzip) {
    gzFile file = gzopen(path.c_str(), "wb");
    if (!file)
      throw DataError(path, "cannot create: " + errnoText(errno));
    auto size = static_cast<unsigned>(bytes.size());
    bool ok = gzwrite(file, bytes.data(), size) == static_cast<int>(size);
    if (gzclose(file) != Z_OK || !ok)
      throw DataError(path, "cannot write gzip data");
    return;
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out)
    throw DataError(path, "cannot write: " + errnoText(errno));
}

} // namespace aenet::rt
