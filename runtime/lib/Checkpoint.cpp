//===- Checkpoint.cpp - Named tensors in safetensors files ----------------===//
//
// The file is built in memory and handed to writeFileAtomically(); loading
// reads the whole file, parses the header with nlohmann-json (through the
// strict parseJson() of Json.h) and checks every tensor entry against the
// data section before converting.
// Byte order is handled explicitly, so the format is the same on any host.
//
//===----------------------------------------------------------------------===//

#include "aenet/Runtime/Checkpoint.h"

#include "aenet/Runtime/AtomicFile.h"
#include "aenet/Runtime/Errors.h"
#include "aenet/Runtime/InputFile.h"
#include "aenet/Runtime/Json.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <set>
#include <tuple>

namespace aenet::rt {

namespace {

constexpr const char *kMetadataKey = "__metadata__";

/// The dtypes of the safetensors specification; only F32 is supported.
constexpr const char *kKnownDtypes[] = {
    "BOOL", "U8",  "I8",  "U16", "I16",  "F16",     "BF16",    "U32",
    "I32",  "F32", "U64", "I64", "F64",  "F8_E4M3", "F8_E5M2", "C64"};

std::string rangeText(uint64_t begin, uint64_t end) {
  return "[" + std::to_string(begin) + ", " + std::to_string(end) + "]";
}

/// The number of elements of |shape|, or -1 if it overflows.
int64_t elementCount(const std::vector<int64_t> &shape) {
  int64_t count = 1;
  for (int64_t dim : shape) {
    if (dim < 0 || (dim > 0 && count > (int64_t(1) << 60) / dim))
      return -1;
    count *= dim;
  }
  return count;
}

void appendLittleEndian(std::string &out, uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i)
    out += static_cast<char>((value >> (8 * i)) & 0xff);
}

uint64_t readLittleEndian(const char *p, int bytes) {
  uint64_t value = 0;
  for (int i = bytes - 1; i >= 0; --i)
    value = (value << 8) | static_cast<unsigned char>(p[i]);
  return value;
}

/// Whether |value| is a whole number in [0, 2^63); stores it in |out|.
bool getNonNegative(const Json &value, int64_t &out) {
  if (!value.is_number_unsigned() ||
      value.get<uint64_t>() > uint64_t(INT64_MAX))
    return false;
  out = value.get<int64_t>();
  return true;
}

/// The member |key| of the object |value|, or null.
const Json *member(const Json &value, const char *key) {
  auto it = value.find(key);
  return it == value.end() ? nullptr : &*it;
}

/// One tensor entry of a header, checked but not yet converted.
struct Entry {
  std::string name;
  std::vector<int64_t> shape;
  uint64_t begin = 0, end = 0;
};

/// Checks one tensor entry of the header; |dataSize| is the byte count of
/// the data section.
Entry checkEntry(const std::string &path, const std::string &name,
                 const Json &value, uint64_t dataSize) {
  auto fail = [&](const std::string &what) -> CheckpointError {
    return CheckpointError(path, "tensor '" + name + "': " + what);
  };
  // The writer refuses an empty name too: what loads must save again.
  if (name.empty())
    throw CheckpointError(path, "a tensor has an empty name");
  if (!value.is_object())
    throw fail("entry is a JSON " + jsonKindName(value) + ", not an object");
  const Json *dtype = member(value, "dtype");
  const Json *shape = member(value, "shape");
  const Json *offsets = member(value, "data_offsets");
  if (!dtype || !dtype->is_string())
    throw fail("missing string \"dtype\"");
  const std::string &dtypeName = dtype->get_ref<const std::string &>();
  if (dtypeName != "F32") {
    const auto *end = std::end(kKnownDtypes);
    if (std::find(std::begin(kKnownDtypes), end, dtypeName) == end)
      throw fail("unknown dtype '" + dtypeName + "'");
    throw fail("dtype " + dtypeName + " is not supported (only F32)");
  }
  Entry entry{name, {}, 0, 0};
  if (!shape || !shape->is_array())
    throw fail("missing array \"shape\"");
  for (const Json &dim : *shape) {
    int64_t size = 0;
    if (!getNonNegative(dim, size))
      throw fail("shape must hold non-negative integers");
    entry.shape.push_back(size);
  }
  int64_t begin = 0, end = 0;
  if (!offsets || !offsets->is_array() || offsets->size() != 2 ||
      !getNonNegative((*offsets)[0], begin) ||
      !getNonNegative((*offsets)[1], end) || end < begin)
    throw fail("\"data_offsets\" must be [begin, end] with 0 <= begin <= end");
  entry.begin = static_cast<uint64_t>(begin);
  entry.end = static_cast<uint64_t>(end);
  if (entry.end > dataSize)
    throw fail("data_offsets " + rangeText(entry.begin, entry.end) +
               " are outside the " + std::to_string(dataSize) +
               "-byte data section");
  int64_t count = elementCount(entry.shape);
  if (count < 0 || uint64_t(count) * 4 != entry.end - entry.begin)
    throw fail("shape " + shapeText(entry.shape) + " is " +
               std::to_string(count) + " F32 values (" +
               std::to_string(count * 4) + " bytes) but data_offsets " +
               rangeText(entry.begin, entry.end) + " hold " +
               std::to_string(entry.end - entry.begin) + " bytes");
  return entry;
}

std::string readWholeFile(const std::string &path) {
  if (std::string problem = regularFileProblem(path); !problem.empty())
    throw CheckpointError(path, problem);
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw CheckpointError(path, "cannot open: " + errnoText(errno));
  std::string bytes((std::istreambuf_iterator<char>(in)),
                    std::istreambuf_iterator<char>());
  if (in.bad())
    throw CheckpointError(path, "read error: " + errnoText(errno));
  return bytes;
}

/// The header length that the first 8 bytes |first| of the safetensors file
/// |path| of |fileSize| bytes give, checked against the file's size.
uint64_t headerLength(const std::string &path, std::string_view first,
                      uint64_t fileSize) {
  if (fileSize < 8)
    throw CheckpointError(path, "too short for a safetensors file (" +
                                    std::to_string(fileSize) +
                                    " bytes; the header length alone is 8)");
  uint64_t headerSize = readLittleEndian(first.data(), 8);
  uint64_t rest = fileSize - 8;
  if (headerSize > rest)
    throw CheckpointError(path, "header length " + std::to_string(headerSize) +
                                    " is larger than the file (" +
                                    std::to_string(rest) +
                                    " bytes after the 8-byte length)");
  return headerSize;
}

/// The JSON object |text|, the header of the safetensors file |path|.
Json parseHeader(const std::string &path, std::string_view text) {
  Json header;
  try {
    header = parseJson(text);
  } catch (const JsonError &error) {
    std::string where =
        error.offset ? " at byte " + std::to_string(8 + *error.offset) : "";
    throw CheckpointError(path, "bad JSON header" + where + ": " +
                                    error.what());
  }
  if (!header.is_object())
    throw CheckpointError(path, "header is a JSON " + jsonKindName(header) +
                                    ", not an object");
  return header;
}

/// The string pairs of the header's __metadata__ object |value|.
std::map<std::string, std::string> readMetadata(const std::string &path,
                                                const Json &value) {
  if (!value.is_object())
    throw CheckpointError(path, "__metadata__ must be an object of strings");
  std::map<std::string, std::string> metadata;
  for (const auto &[key, text] : value.items()) {
    if (!text.is_string())
      throw CheckpointError(path, "__metadata__ value of '" + key +
                                      "' is a JSON " + jsonKindName(text) +
                                      ", not a string");
    metadata[key] = text.get<std::string>();
  }
  return metadata;
}

} // namespace

const NamedTensor *Checkpoint::find(const std::string &name) const {
  for (const NamedTensor &tensor : tensors)
    if (tensor.name == name)
      return &tensor;
  return nullptr;
}

void saveSafetensors(const std::string &path,
                     const std::vector<NamedTensor> &tensors,
                     const std::map<std::string, std::string> &metadata) {
  Json header = Json::object();
  if (!metadata.empty())
    header[kMetadataKey] = metadata;
  std::set<std::string> names;
  int64_t offset = 0;
  for (const NamedTensor &tensor : tensors) {
    if (tensor.name.empty() || tensor.name == kMetadataKey ||
        !names.insert(tensor.name).second)
      throw CheckpointError(path, "cannot save a tensor named '" +
                                      tensor.name +
                                      "': names must be unique, non-empty "
                                      "and not __metadata__");
    int64_t count = elementCount(tensor.shape);
    if (count < 0 || uint64_t(count) != tensor.data.size())
      throw CheckpointError(path, "cannot save tensor '" + tensor.name +
                                      "': shape " + shapeText(tensor.shape) +
                                      " does not match its " +
                                      std::to_string(tensor.data.size()) +
                                      " values");
    header[tensor.name] = {{"dtype", "F32"},
                           {"shape", tensor.shape},
                           {"data_offsets", {offset, offset + count * 4}}};
    offset += count * 4;
  }

  std::string json = writeJson(header);
  json.append((8 - json.size() % 8) % 8, ' ');
  std::string bytes;
  bytes.reserve(8 + json.size() + static_cast<size_t>(offset));
  appendLittleEndian(bytes, json.size(), 8);
  bytes += json;
  for (const NamedTensor &tensor : tensors)
    for (float value : tensor.data) {
      uint32_t bits;
      std::memcpy(&bits, &value, sizeof(bits));
      appendLittleEndian(bytes, bits, 4);
    }

  std::string problem = writeFileAtomically(path, bytes);
  if (!problem.empty())
    throw CheckpointError(path, "cannot save: " + problem);
}

Checkpoint loadSafetensors(const std::string &path) {
  return parseSafetensors(readWholeFile(path), path);
}

Checkpoint parseSafetensors(std::string_view bytes, const std::string &path) {
  uint64_t headerSize = headerLength(path, bytes, bytes.size());
  Json header =
      parseHeader(path, bytes.substr(8, headerSize));

  Checkpoint checkpoint;
  uint64_t dataSize = bytes.size() - 8 - headerSize;
  std::vector<Entry> entries;
  for (const auto &[name, value] : header.items()) {
    if (name == kMetadataKey)
      checkpoint.metadata = readMetadata(path, value);
    else
      entries.push_back(checkEntry(path, name, value, dataSize));
  }

  std::sort(entries.begin(), entries.end(), [](const Entry &a, const Entry &b) {
    return std::tie(a.begin, a.end, a.name) < std::tie(b.begin, b.end, b.name);
  });
  // Sorted by start, two non-empty ranges overlap iff one starts before the
  // end of the furthest-reaching range before it.
  const Entry *reach = nullptr;
  for (const Entry &b : entries) {
    if (b.begin == b.end)
      continue;
    if (reach && b.begin < reach->end)
      throw CheckpointError(path, "tensors '" + reach->name + "' " +
                                      rangeText(reach->begin, reach->end) +
                                      " and '" + b.name + "' " +
                                      rangeText(b.begin, b.end) + " overlap");
    reach = &b;
  }

  const char *data = bytes.data() + 8 + headerSize;
  for (Entry &entry : entries) {
    NamedTensor tensor{std::move(entry.name), std::move(entry.shape), {}};
    tensor.data.resize((entry.end - entry.begin) / 4);
    for (size_t i = 0; i < tensor.data.size(); ++i) {
      auto bits = static_cast<uint32_t>(
          readLittleEndian(data + entry.begin + 4 * i, 4));
      std::memcpy(&tensor.data[i], &bits, sizeof(bits));
    }
    checkpoint.tensors.push_back(std::move(tensor));
  }
  return checkpoint;
}

std::map<std::string, std::string>
loadSafetensorsMetadata(const std::string &path) {
  if (std::string problem = regularFileProblem(path); !problem.empty())
    throw CheckpointError(path, problem);
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in)
    throw CheckpointError(path, "cannot open: " + errnoText(errno));
  auto fileSize = static_cast<uint64_t>(in.tellg());
  in.seekg(0);
  std::string first(std::min<uint64_t>(fileSize, 8), '\0');
  in.read(first.data(), static_cast<std::streamsize>(first.size()));
  uint64_t headerSize = headerLength(path, first, fileSize);
  std::string text(headerSize, '\0');
  in.read(text.data(), static_cast<std::streamsize>(headerSize));
  if (!in)
    throw CheckpointError(path, "read error: " + errnoText(errno));
  Json header = parseHeader(path, text);
  const Json *metadata = member(header, kMetadataKey);
  return metadata ? readMetadata(path, *metadata)
                  : std::map<std::string, std::string>();
}

} // namespace aenet::rt
