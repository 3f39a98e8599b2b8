//===- AtomicFile.cpp - Replace a file all at once ------------------------===//
//
// write + fsync + rename + fsync(directory), with POSIX calls because the
// standard streams can neither fsync nor report why a write failed.
//
//===----------------------------------------------------------------------===//

#include "aenet/Runtime/AtomicFile.h"

#include "aenet/Runtime/Errors.h"

#include <cerrno>
#include <csignal>
#include <filesystem>
#include <fcntl.h>
#include <unistd.h>

namespace aenet::rt {

namespace {

/// The directory holding |path|, for the fsync that makes the rename durable.
std::string parentDirectory(const std::string &path) {
  size_t slash = path.find_last_of('/');
  if (slash == std::string::npos)
    return ".";
  if (slash == 0)
    return "/";
  return path.substr(0, slash);
}

/// Writes all of |bytes| to |fd|, retrying short writes; false on error.
bool writeAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return false;
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

/// The writer's process id of a temporary file name `NAME.tmp.<pid>`, or -1.
long writerOf(const std::string &name) {
  size_t mark = name.rfind(".tmp.");
  if (mark == std::string::npos || mark == 0)
    return -1;
  std::string digits = name.substr(mark + 5);
  if (digits.empty() || digits.size() > 9 ||
      digits.find_first_not_of("0123456789") != std::string::npos)
    return -1;
  return std::stol(digits);
}

} // namespace

std::string atomicTempPath(const std::string &path) {
  return path + ".tmp." + std::to_string(::getpid());
}

std::string writeFileAtomically(const std::string &path,
                                std::string_view bytes) {
  std::string temp = atomicTempPath(path);
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0)
    return "cannot create '" + temp + "': " + errnoText(errno);

  auto fail = [&](const char *step) {
    std::string why =
        std::string(step) + " '" + temp + "': " + errnoText(errno);
    if (fd >= 0)
      ::close(fd);
    ::unlink(temp.c_str());
    return why;
  };
  if (!writeAll(fd, bytes))
    return fail("cannot write");
  if (::fsync(fd) != 0)
    return fail("cannot sync");
  int closed = ::close(fd);
  fd = -1;
  if (closed != 0)
    return fail("cannot close");
  if (::rename(temp.c_str(), path.c_str()) != 0)
    return fail("cannot rename");

  // Make the rename itself durable; failing to sync the directory does not
  // undo the write, so it is not an error.
  int dir = ::open(parentDirectory(path).c_str(), O_RDONLY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return {};
}

int removeStaleTemporaries(const std::string &path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  int removed = 0;
  for (fs::directory_iterator it(parentDirectory(path), ec), end;
       !ec && it != end; it.increment(ec)) {
    long pid = writerOf(it->path().filename().string());
    if (pid <= 0 || pid == ::getpid() || !it->is_regular_file(ec))
      continue;
    // ESRCH: no such process. EPERM means it exists under another user.
    if (::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH)
      continue;
    if (::unlink(it->path().c_str()) == 0)
      ++removed;
  }
  return removed;
}

} // namespace aenet::rt
