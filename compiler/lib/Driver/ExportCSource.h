//===- ExportCSource.h - The C sources aec export writes --------*- C++ -*-===//
//
// The text of an exported library's C header and of the C file of its
// ExportAbi.h tables, and the identifiers both use (Export.cpp builds and
// links them).
//
//===----------------------------------------------------------------------===//

#ifndef AENET_LIB_DRIVER_EXPORTCSOURCE_H
#define AENET_LIB_DRIVER_EXPORTCSOURCE_H

#include "aenet/Pipeline/CompiledModel.h"

#include <string>
#include <vector>

namespace aenet {

/// An entry of the header: the values it reads and gives.
struct ExportEntry {
  std::string name;
  std::vector<int> from, to;
  /// Its programs, the largest batch first, with their code's symbols.
  std::vector<EntryPoint> programs;
  std::vector<int64_t> batches;
  std::vector<std::string> symbols;
};

/// |name| as a C identifier: letters, digits and underscores.
std::string cName(const std::string &name);

/// |name| as an identifier of the header: cName, and a keyword or reserved
/// name with an underscore after it.
std::string identifier(const std::string &name);

/// The ExportAbi.h name of a slot kind an exported program can take, or
/// null for one it cannot (an optimizer state, a seed).
const char *slotKindName(BufferSlot::Kind kind);

/// The C header of the library of model |model| (from the file |source|,
/// weights |weights|, compiled in when |embedded|).
std::string headerText(const std::string &model, const std::string &source,
                       const std::string &weights, bool embedded,
                       Backend backend, const std::vector<ExportEntry> &entries);

/// The C file of ExportAbi.h's tables and the header's functions; the
/// embedded weights are |weightsSize| bytes.
std::string glueText(const std::string &model, bool embedded,
                     const std::vector<ExportEntry> &entries,
                     uint64_t weightsSize);

} // namespace aenet

#endif // AENET_LIB_DRIVER_EXPORTCSOURCE_H
