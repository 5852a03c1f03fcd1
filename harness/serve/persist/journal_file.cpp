#include "harness/serve/persist/journal_file.hpp"

#include "harness/run/output_file.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace migsim::harness::serve::persist {

namespace {

std::string why(int err) { return std::strerror(err); }

// Makes a rename in dir durable.
void sync_dir(const std::string& dir)
{
  const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

}  // namespace

void write_file_atomically(const std::string& path, const std::string& bytes)
{
  // 0600: a journal holds the requests' bodies as they came.
  if (const int err = replace_file(path, bytes, 0600))
    throw StateError("cannot write " + path + ": " + why(err));
  sync_dir(std::filesystem::path(path).parent_path().string());
}

std::string read_file(const std::string& path)
{
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    throw StateError("cannot read " + path + ": " + why(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    throw StateError("cannot read " + path + ": not a regular file");
  }
  std::string bytes(static_cast<size_t>(st.st_size), '\0');
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::read(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    done += static_cast<size_t>(n);
  }
  ::close(fd);
  bytes.resize(done);
  return bytes;
}

JournalFile::~JournalFile()
{
  if (fd_ >= 0)
    ::close(fd_);  // releases the lock
}

void JournalFile::open(const std::string& path, const std::string& initial)
{
  path_ = path;
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    write_file_atomically(path, initial);
  else if (!S_ISREG(st.st_mode))
    throw StateError(path + " is not a regular file");
  fd_ = ::open(path.c_str(), O_RDWR | O_APPEND | O_CLOEXEC);
  if (fd_ < 0)
    throw StateError("cannot open " + path + ": " + why(errno));
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0)
    throw StateError(path + " is in use by another process (another migsim serve on this --state-dir?)");
  if (::fstat(fd_, &st) != 0)
    throw StateError("cannot read " + path + ": " + why(errno));
  size_ = static_cast<uint64_t>(st.st_size);
}

std::string JournalFile::read_all() const { return read_file(path_); }

void JournalFile::truncate(uint64_t bytes)
{
  if (::ftruncate(fd_, static_cast<off_t>(bytes)) != 0 || ::fdatasync(fd_) != 0)
    throw StateError("cannot cut the torn end off " + path_ + ": " + why(errno));
  size_ = bytes;
}

std::string JournalFile::append(const std::string& framed, bool sync)
{
  if (const int err = write_all(fd_, framed)) {
    // A partial frame is a torn tail: cut it so the next record starts on a frame boundary.
    (void)::ftruncate(fd_, static_cast<off_t>(size_));
    return why(err);
  }
  size_ += framed.size();
  if (sync && ::fdatasync(fd_) != 0)
    return why(errno);
  return "";
}

}  // namespace migsim::harness::serve::persist
