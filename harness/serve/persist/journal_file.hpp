// The journal file on disk: opened once, locked against a second server, read whole at start, its
// torn tail cut off, then appended to one frame per write(2). A call record is followed by
// fdatasync (it must survive a power loss once answered); a clock record is not (the next one
// supersedes it, and losing one only moves the restarted clock back a little).
#pragma once

#include <stdexcept>
#include <string>

namespace migsim::harness::serve::persist {

// A state directory or journal that cannot be used (`serve` exits with kExitStateRefused).
class StateError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// The exit code of `migsim serve` when its --state-dir or --restore is refused.
inline constexpr int kExitStateRefused = 6;

class JournalFile {
public:
  JournalFile() = default;
  JournalFile(const JournalFile&) = delete;
  JournalFile& operator=(const JournalFile&) = delete;
  ~JournalFile();

  // Opens (creating with `initial` bytes, atomically, when absent) and locks path; throws StateError
  // when it cannot be opened or another process holds it.
  void open(const std::string& path, const std::string& initial);
  // The whole file as it is now.
  std::string read_all() const;
  // Cuts the file to `bytes` (dropping a torn tail); throws StateError.
  void truncate(uint64_t bytes);
  // Appends one frame with one write; with `sync`, waits for it to reach the disk. The errno text of
  // a failure ("" on success).
  std::string append(const std::string& framed, bool sync);

  const std::string& path() const { return path_; }
  uint64_t size() const { return size_; }
  bool is_open() const { return fd_ >= 0; }

private:
  std::string path_;
  int fd_ = -1;
  uint64_t size_ = 0;
};

// Writes bytes to path whole or not at all (temporary file, fsync, rename, fsync of the folder).
// Throws StateError.
void write_file_atomically(const std::string& path, const std::string& bytes);
// A file's bytes; throws StateError naming it.
std::string read_file(const std::string& path);

}  // namespace migsim::harness::serve::persist
