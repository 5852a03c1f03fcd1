// The bytes of a serve journal: the file magic "MIGSIMJ1", then one frame per record:
//   [payload length: u32 little-endian][CRC-32 of the payload: u32 little-endian][payload]
// A process killed mid-write leaves at most the last frame short or failing its checksum (a torn
// tail, dropped with a warning); a frame that fails its checksum with more data after it is damage
// in the middle of the file, which is refused rather than silently cut.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace migsim::harness::serve::persist {

inline constexpr std::string_view kFileMagic = "MIGSIMJ1";
inline constexpr size_t kFrameHeaderBytes = 8;

// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320: zlib's and PNG's) of bytes.
uint32_t crc32(std::string_view bytes);

// One record framed: length, checksum, payload.
std::string frame(std::string_view payload);

// What a journal file's bytes hold.
struct FrameScan {
  std::vector<std::string> payloads;  // the whole, checked frames in order
  std::vector<uint64_t> ends;         // the byte offset just past each of them
  uint64_t valid_bytes = 0;           // the magic and the whole frames: where the next frame goes
  std::string torn;                   // why the bytes after valid_bytes were dropped ("" when none)
  std::string damaged;                // why the file cannot be used at all ("" when it can)
};

// Reads a journal file's bytes (never throws).
FrameScan scan_frames(std::string_view file);

}  // namespace migsim::harness::serve::persist
