// How results reach the disk: every output file is written whole or not at all (a temporary file
// in the same folder, flushed, then renamed over the old one), a failed write is an error naming
// the file and the reason (disk full included), and a run directory carries a marker while a run is
// writing into it, so a run that was killed half-way never passes for a finished one.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace migsim::harness {

// An output that could not be written (exit code 4 at the command line).
class OutputError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// The marker file present in a run directory from the start of a run until its outputs are complete.
inline constexpr const char* kRunInProgressMarker = ".migsim-in-progress";

// Writes all of bytes to fd, again after EINTR; returns 0 or the errno of the failure.
int write_all(int fd, std::string_view bytes);
// Replaces path with bytes whole or not at all: a temporary file beside it, created with `mode`,
// written, fsync'd and renamed over path. Returns 0 or the errno of the failure (the temporary file
// removed then).
int replace_file(const std::string& path, std::string_view bytes, unsigned mode);

// Writes text to path atomically (creating the parent folder). A path that exists and is not a
// regular file (/dev/stdout, a FIFO) is written in place. Throws OutputError.
void write_text_file(const std::string& path, std::string_view text);

// Creates dir if needed and marks it in progress (before a run writes anything). Throws OutputError.
void mark_run_in_progress(const std::string& dir);
// Removes the marker once every output of the run is written. Throws OutputError.
void mark_run_complete(const std::string& dir);
// Why dir does not hold a finished run (the marker is there), or nothing when it does.
std::optional<std::string> incomplete_run_reason(const std::string& dir);

}  // namespace migsim::harness
