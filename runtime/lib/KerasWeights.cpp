//===- KerasWeights.cpp - Keras's HDF5 weights files ----------------------===//
//
// Through HDF5's C library (Debian's libhdf5-dev). Every handle is closed by
// an owner, so an error thrown halfway leaks nothing; HDF5's own error
// printing is switched off and its failures become CheckpointErrors that
// say what was expected where.
//
//===----------------------------------------------------------------------===//

#include "aenet/Runtime/KerasWeights.h"

#include "aenet/Runtime/AtomicFile.h"
#include "aenet/Runtime/Errors.h"
#include "aenet/Runtime/InputFile.h"

#include <hdf5.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <functional>

namespace aenet::rt {

namespace {

/// An HDF5 identifier closed by |close| when it goes.
class Handle {
public:
  Handle(hid_t id, herr_t (*close)(hid_t)) : id_(id), close_(close) {}
  ~Handle() {
    if (id_ >= 0)
      close_(id_);
  }
  Handle(const Handle &) = delete;
  Handle &operator=(const Handle &) = delete;
  Handle(Handle &&other) : id_(other.id_), close_(other.close_) {
    other.id_ = -1;
  }
  hid_t get() const { return id_; }
  bool ok() const { return id_ >= 0; }

private:
  hid_t id_;
  herr_t (*close_)(hid_t);
};

/// HDF5 prints its error stack to stderr unless told not to.
void silenceHdf5() {
  static bool done = [] {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    return true;
  }();
  (void)done;
}

bool hasLink(hid_t location, const std::string &path) {
  // Each prefix must exist before the next is asked about.
  size_t at = 0;
  while (true) {
    at = path.find('/', at + 1);
    std::string prefix = path.substr(0, at);
    if (H5Lexists(location, prefix.c_str(), H5P_DEFAULT) <= 0)
      return false;
    if (at == std::string::npos)
      return true;
  }
}

/// The names of the links in group |group|, in name order (HDF5's index:
/// h5py records no creation order).
std::vector<std::string> linkNames(hid_t group) {
  std::vector<std::string> names;
  H5Literate(
      group, H5_INDEX_NAME, H5_ITER_INC, nullptr,
      [](hid_t, const char *name, const H5L_info_t *, void *data) -> herr_t {
        static_cast<std::vector<std::string> *>(data)->push_back(name);
        return 0;
      },
      &names);
  return names;
}

/// The float dataset at |path| in |location|, named |name|.
NamedTensor readDataset(const std::string &file, hid_t location,
                        const std::string &path, const std::string &name) {
  Handle dataset(H5Dopen2(location, path.c_str(), H5P_DEFAULT), H5Dclose);
  if (!dataset.ok())
    throw CheckpointError(file, "has no dataset '" + path + "'");
  Handle type(H5Dget_type(dataset.get()), H5Tclose);
  if (H5Tget_class(type.get()) != H5T_FLOAT)
    throw CheckpointError(file, "dataset '" + path +
                                    "' does not hold floating-point numbers");
  Handle space(H5Dget_space(dataset.get()), H5Sclose);
  int rank = H5Sget_simple_extent_ndims(space.get());
  std::vector<hsize_t> dims(std::max(rank, 0));
  H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
  NamedTensor t{name, {}, {}};
  size_t count = 1;
  for (hsize_t d : dims) {
    t.shape.push_back(static_cast<int64_t>(d));
    count *= d;
  }
  t.data.resize(count);
  if (count > 0 && H5Dread(dataset.get(), H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL,
                           H5P_DEFAULT, t.data.data()) < 0)
    throw CheckpointError(file, "cannot read dataset '" + path + "'");
  return t;
}

/// The strings of the attribute |name| of |object| (fixed-length, as Keras 2
/// wrote them, or variable-length, as Keras 3's legacy writer does).
std::vector<std::string> stringsAttribute(const std::string &file,
                                          hid_t object,
                                          const std::string &name) {
  Handle attr(H5Aopen(object, name.c_str(), H5P_DEFAULT), H5Aclose);
  if (!attr.ok())
    throw CheckpointError(file, "has no attribute '" + name + "'");
  Handle type(H5Aget_type(attr.get()), H5Tclose);
  Handle space(H5Aget_space(attr.get()), H5Sclose);
  hssize_t count = H5Sget_simple_extent_npoints(space.get());
  std::vector<std::string> out;
  if (H5Tget_class(type.get()) != H5T_STRING) {
    // An empty list is stored by h5py as an empty float array.
    if (count == 0)
      return out;
    throw CheckpointError(file, "attribute '" + name + "' is not strings");
  }
  if (H5Tis_variable_str(type.get()) > 0) {
    std::vector<char *> values(count);
    Handle memType(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(memType.get(), H5T_VARIABLE);
    if (H5Aread(attr.get(), memType.get(), values.data()) < 0)
      throw CheckpointError(file, "cannot read attribute '" + name + "'");
    for (char *v : values)
      out.push_back(v ? v : "");
    H5Dvlen_reclaim(memType.get(), space.get(), H5P_DEFAULT, values.data());
    return out;
  }
  size_t size = H5Tget_size(type.get());
  std::vector<char> buffer(size * count);
  if (H5Aread(attr.get(), type.get(), buffer.data()) < 0)
    throw CheckpointError(file, "cannot read attribute '" + name + "'");
  for (hssize_t i = 0; i < count; ++i) {
    const char *s = buffer.data() + i * size;
    out.emplace_back(s, strnlen(s, size));
  }
  return out;
}

/// Keras 3: layers/LAYER/vars/0, 1, ... (a recurrent layer's in
/// layers/LAYER/cell/vars).
KerasWeightsFile readKeras3(const std::string &path, hid_t file) {
  KerasWeightsFile weights;
  weights.kerasVersion = 3;
  Handle layers(H5Gopen2(file, "layers", H5P_DEFAULT), H5Gclose);
  for (const std::string &layer : linkNames(layers.get())) {
    KerasLayer k;
    k.name = layer;
    std::string vars = layer + "/vars";
    if (hasLink(layers.get(), layer + "/cell/vars")) {
      vars = layer + "/cell/vars";
      k.recurrent = true;
    }
    if (!hasLink(layers.get(), vars))
      continue;
    Handle group(H5Gopen2(layers.get(), vars.c_str(), H5P_DEFAULT), H5Gclose);
    size_t count = linkNames(group.get()).size();
    for (size_t i = 0; i < count; ++i)
      k.weights.push_back(readDataset(path, group.get(), std::to_string(i),
                                      "layers/" + vars + "/" +
                                          std::to_string(i)));
    if (!k.weights.empty())
      weights.layers.push_back(std::move(k));
  }
  return weights;
}

/// Keras 2: the root's layer_names, each group's weight_names.
KerasWeightsFile readKeras2(const std::string &path, hid_t file) {
  KerasWeightsFile weights;
  weights.kerasVersion = 2;
  weights.ordered = true;
  for (const std::string &layer : stringsAttribute(path, file, "layer_names")) {
    Handle group(H5Gopen2(file, layer.c_str(), H5P_DEFAULT), H5Gclose);
    if (!group.ok())
      throw CheckpointError(path, "lists layer '" + layer +
                                      "' but has no group of that name");
    KerasLayer k;
    k.name = layer;
    for (const std::string &weight :
         stringsAttribute(path, group.get(), "weight_names")) {
      k.weights.push_back(readDataset(path, group.get(), weight, weight));
    }
    if (!k.weights.empty())
      weights.layers.push_back(std::move(k));
  }
  return weights;
}

void writeDataset(hid_t group, const std::string &name, const NamedTensor &t) {
  std::vector<hsize_t> dims(t.shape.begin(), t.shape.end());
  Handle space(H5Screate_simple(static_cast<int>(dims.size()), dims.data(),
                                nullptr),
               H5Sclose);
  Handle dataset(H5Dcreate2(group, name.c_str(), H5T_IEEE_F32LE, space.get(),
                            H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                 H5Dclose);
  if (!dataset.ok() ||
      H5Dwrite(dataset.get(), H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT,
               t.data.data()) < 0)
    throw std::runtime_error("cannot write dataset '" + name + "'");
}

void writeNameAttribute(hid_t object, const std::string &value) {
  Handle type(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(type.get(), H5T_VARIABLE);
  H5Tset_cset(type.get(), H5T_CSET_UTF8);
  Handle space(H5Screate(H5S_SCALAR), H5Sclose);
  Handle attr(H5Acreate2(object, "name", type.get(), space.get(), H5P_DEFAULT,
                         H5P_DEFAULT),
              H5Aclose);
  const char *text = value.c_str();
  if (!attr.ok() || H5Awrite(attr.get(), type.get(), &text) < 0)
    throw std::runtime_error("cannot write attribute 'name'");
}

Handle makeGroup(hid_t parent, const std::string &path) {
  Handle group(H5Gcreate2(parent, path.c_str(), H5P_DEFAULT, H5P_DEFAULT,
                          H5P_DEFAULT),
               H5Gclose);
  if (!group.ok())
    throw std::runtime_error("cannot make group '" + path + "'");
  return group;
}

} // namespace

KerasWeightsFile loadKerasWeights(const std::string &path) {
  silenceHdf5();
  if (std::string problem = regularFileProblem(path); !problem.empty())
    throw CheckpointError(path, problem);
  if (H5Fis_hdf5(path.c_str()) <= 0)
    throw CheckpointError(path, "is not an HDF5 file (Keras writes its "
                                "weights as .weights.h5 or .h5)");
  Handle file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
  if (!file.ok())
    throw CheckpointError(path, "cannot open as an HDF5 file");
  KerasWeightsFile weights;
  if (H5Aexists(file.get(), "layer_names") > 0)
    weights = readKeras2(path, file.get());
  else if (H5Lexists(file.get(), "layers", H5P_DEFAULT) > 0)
    weights = readKeras3(path, file.get());
  else
    throw CheckpointError(path, "is an HDF5 file but not Keras's weights: it "
                                "has neither Keras 3's group 'layers' nor "
                                "Keras 2's attribute 'layer_names'");
  return weights;
}

void saveKerasWeights(const std::string &path,
                      const std::vector<KerasLayer> &layers) {
  silenceHdf5();
  std::string temp = atomicTempPath(path);
  try {
    {
      Handle file(H5Fcreate(temp.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT,
                            H5P_DEFAULT),
                  H5Fclose);
      if (!file.ok())
        throw std::runtime_error("cannot create the file");
      Handle top = makeGroup(file.get(), "layers");
      for (const KerasLayer &layer : layers) {
        Handle group = makeGroup(top.get(), layer.name);
        Handle vars = [&] {
          if (!layer.recurrent)
            return makeGroup(group.get(), "vars");
          Handle cell = makeGroup(group.get(), "cell");
          return makeGroup(cell.get(), "vars");
        }();
        writeNameAttribute(vars.get(), layer.name);
        for (size_t i = 0; i < layer.weights.size(); ++i)
          writeDataset(vars.get(), std::to_string(i), layer.weights[i]);
      }
      Handle topVars = makeGroup(file.get(), "vars");
      if (H5Fflush(file.get(), H5F_SCOPE_GLOBAL) < 0)
        throw std::runtime_error("cannot flush the file");
    }
    // Every handle is closed: the file is complete only if HDF5 could
    // close it (H5Fclose in ~Handle reports nothing); reopened, it says.
    {
      Handle check(H5Fopen(temp.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT),
                   H5Fclose);
      if (!check.ok() || H5Lexists(check.get(), "layers", H5P_DEFAULT) <= 0)
        throw std::runtime_error("the written file does not read back");
    }
    if (std::rename(temp.c_str(), path.c_str()) != 0)
      throw std::runtime_error("cannot rename " + temp + ": " +
                               errnoText(errno));
  } catch (const std::exception &e) {
    std::remove(temp.c_str());
    throw CheckpointError(path, std::string("cannot save Keras weights: ") +
                                    e.what());
  }
}

} // namespace aenet::rt
