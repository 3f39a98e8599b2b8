//===- InputFile.cpp - Is a path a file the runtime may read? -------------===//
//
// One stat() before the open: what it finds decides the message. Following
// symbolic links is deliberate, a link to a data file is a data file.
//
//===----------------------------------------------------------------------===//

#include "aenet/Runtime/InputFile.h"

#include "aenet/Runtime/Errors.h"

#include <cerrno>
#include <fstream>
#include <iterator>
#include <sys/stat.h>

namespace aenet::rt {

std::string regularFileProblem(const std::string &path) {
  if (path.empty())
    return "an empty path names no file";
  struct stat info;
  if (::stat(path.c_str(), &info) != 0)
    return "cannot open: " + errnoText(errno);
  if (S_ISDIR(info.st_mode))
    return "is a directory";
  if (S_ISREG(info.st_mode))
    return {};
  const char *what = S_ISCHR(info.st_mode)    ? "a character device"
                     : S_ISBLK(info.st_mode)  ? "a block device"
                     : S_ISFIFO(info.st_mode) ? "a pipe"
                     : S_ISSOCK(info.st_mode) ? "a socket"
                                              : "a special file";
  return std::string("is ") + what + ", not a regular file; aec reads data " +
         "and checkpoints only from regular files";
}

std::string readDataFile(const std::string &path) {
  if (std::string problem = regularFileProblem(path); !problem.empty())
    throw DataError(path, problem);
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw DataError(path, "cannot open: " + errnoText(errno));
  std::string bytes((std::istreambuf_iterator<char>(in)),
                    std::istreambuf_iterator<char>());
  if (in.bad())
    throw DataError(path, "read error: " + errnoText(errno));
  return bytes;
}

} // namespace aenet::rt
