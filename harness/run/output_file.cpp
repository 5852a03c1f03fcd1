#include "harness/run/output_file.hpp"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

namespace migsim::harness {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void fail(const std::string& path, int err)
{
  throw OutputError("cannot write " + path + ": " + std::strerror(err));
}


}  // namespace

int write_all(int fd, std::string_view bytes)
{
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return errno;
    }
    done += static_cast<size_t>(n);
  }
  return 0;
}

int replace_file(const std::string& path, std::string_view bytes, unsigned mode)
{
  const std::string tmp = path + ".tmp-" + std::to_string(::getpid());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, static_cast<mode_t>(mode));
  if (fd < 0)
    return errno;
  int err = write_all(fd, bytes);
  if (!err && ::fsync(fd) != 0 && errno != EINVAL)
    err = errno;
  if (::close(fd) != 0 && !err)
    err = errno;
  if (!err && ::rename(tmp.c_str(), path.c_str()) != 0)
    err = errno;
  if (err)
    ::unlink(tmp.c_str());
  return err;
}

void write_text_file(const std::string& path, std::string_view text)
{
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    if (S_ISDIR(st.st_mode))
      throw OutputError("cannot write " + path + ": it is a directory");
    const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0)
      fail(path, errno);
    const int err = write_all(fd, text);
    const int close_err = ::close(fd) == 0 ? 0 : errno;
    if (err || close_err)
      fail(path, err ? err : close_err);
    return;
  }
  const fs::path parent = fs::path(path).parent_path();
  if (!parent.empty()) {
    std::error_code ec;
    fs::create_directories(parent, ec);
    if (ec)
      throw OutputError("cannot create folder " + parent.string() + " for " + path + ": " + ec.message());
  }
  if (const int err = replace_file(path, text, 0644))
    fail(path, err);
}

void mark_run_in_progress(const std::string& dir)
{
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec)
    throw OutputError("cannot create output directory \"" + dir + "\": " + ec.message());
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  write_text_file((fs::path(dir) / kRunInProgressMarker).string(),
                  "a migsim run started writing here (pid " + std::to_string(::getpid()) + ", unix time " +
                      std::to_string(std::chrono::duration_cast<std::chrono::seconds>(now).count()) +
                      ") and has not finished; the files beside this one are not its result\n");
}

void mark_run_complete(const std::string& dir)
{
  const std::string marker = (fs::path(dir) / kRunInProgressMarker).string();
  if (::unlink(marker.c_str()) != 0 && errno != ENOENT)
    throw OutputError("cannot remove " + marker + ": " + std::strerror(errno));
}

std::optional<std::string> incomplete_run_reason(const std::string& dir)
{
  std::error_code ec;
  if (!fs::exists(fs::path(dir) / kRunInProgressMarker, ec))
    return std::nullopt;
  return dir + " holds an incomplete run (" + kRunInProgressMarker +
         " is present: the run that wrote it was interrupted or is still going); rerun it";
}

}  // namespace migsim::harness
