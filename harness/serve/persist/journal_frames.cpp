#include "harness/serve/persist/journal_frames.hpp"

#include <array>

namespace migsim::harness::serve::persist {

namespace {

// The byte-at-a-time table of the reflected polynomial.
std::array<uint32_t, 256> make_crc_table()
{
  std::array<uint32_t, 256> table{};
  for (uint32_t n = 0; n < 256; ++n) {
    uint32_t c = n;
    for (int k = 0; k < 8; ++k)
      c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    table[n] = c;
  }
  return table;
}

void put_u32(std::string& out, uint32_t v)
{
  for (int i = 0; i < 4; ++i)
    out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

uint32_t get_u32(std::string_view bytes, size_t at)
{
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i)
    v |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[at + i])) << (8 * i);
  return v;
}

}  // namespace

uint32_t crc32(std::string_view bytes)
{
  static const std::array<uint32_t, 256> table = make_crc_table();
  uint32_t c = 0xFFFFFFFFu;
  for (unsigned char b : bytes)
    c = table[(c ^ b) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

std::string frame(std::string_view payload)
{
  std::string out;
  out.reserve(kFrameHeaderBytes + payload.size());
  put_u32(out, static_cast<uint32_t>(payload.size()));
  put_u32(out, crc32(payload));
  out.append(payload);
  return out;
}

FrameScan scan_frames(std::string_view file)
{
  FrameScan scan;
  if (file.substr(0, kFileMagic.size()) != kFileMagic) {
    scan.damaged = "it does not start with the journal magic \"MIGSIMJ1\" (not a migsim serve journal)";
    return scan;
  }
  size_t at = kFileMagic.size();
  scan.valid_bytes = at;
  while (at < file.size()) {
    const size_t left = file.size() - at;
    const std::string where = "record " + std::to_string(scan.payloads.size()) + " at byte " + std::to_string(at);
    if (left < kFrameHeaderBytes) {
      scan.torn = where + ": " + std::to_string(left) + " bytes of an 8-byte record header";
      return scan;
    }
    const uint32_t length = get_u32(file, at), checksum = get_u32(file, at + 4);
    if (length == 0) {  // no record is empty; a tail of zeros is what a crash leaves in preallocated blocks
      if (file.find_first_not_of('\0', at) == std::string_view::npos)
        scan.torn = where + ": " + std::to_string(left) + " zero bytes";
      else
        scan.damaged = where + ": an empty record, which the journal never writes";
      return scan;
    }
    if (length > left - kFrameHeaderBytes) {
      scan.torn = where + ": " + std::to_string(left - kFrameHeaderBytes) + " of its " + std::to_string(length) +
                  " payload bytes";
      return scan;
    }
    const std::string_view payload = file.substr(at + kFrameHeaderBytes, length);
    const size_t end = at + kFrameHeaderBytes + length;
    if (crc32(payload) != checksum) {
      if (end == file.size())
        scan.torn = where + ": the last record fails its CRC-32";
      else
        scan.damaged = where + " fails its CRC-32 and " + std::to_string(file.size() - end) +
                       " bytes follow it: the journal is damaged in the middle, not torn at its end";
      return scan;
    }
    scan.payloads.emplace_back(payload);
    scan.ends.push_back(end);
    scan.valid_bytes = end;
    at = end;
  }
  return scan;
}

}  // namespace migsim::harness::serve::persist
