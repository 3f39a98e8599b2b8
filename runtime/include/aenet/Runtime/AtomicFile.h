//===- AtomicFile.h - Replace a file all at once ----------------*- C++ -*-===//
//
// Checkpoints, pictures and tables are written to `<path>.tmp.<pid>`, flushed
// to disk and renamed over `<path>`, so a reader (or a crash) sees either the
// old file or the new one, never half of one.
//
//===----------------------------------------------------------------------===//

#ifndef AENET_RUNTIME_ATOMICFILE_H
#define AENET_RUNTIME_ATOMICFILE_H

#include <string>
#include <string_view>

namespace aenet::rt {

/// The temporary file that writeFileAtomically() uses for |path|.
std::string atomicTempPath(const std::string &path);

/// Writes |bytes| to |path| atomically: the temporary file is written,
/// fsync'ed and renamed over |path|, then the directory is fsync'ed. Returns
/// an empty string on success, otherwise what went wrong (the caller wraps it
/// in its own error type); on failure the temporary file is removed and an
/// existing file at |path| is left untouched.
std::string writeFileAtomically(const std::string &path,
                                std::string_view bytes);

/// Removes the temporary files (`NAME.tmp.<pid>`) in the folder of |path|
/// whose writer has died: a process killed during a save (SIGKILL, power
/// loss) cannot remove its own. Files of live processes are left alone, as
/// they may be saving right now. Returns how many were removed.
int removeStaleTemporaries(const std::string &path);

} // namespace aenet::rt

#endif // AENET_RUNTIME_ATOMICFILE_H
