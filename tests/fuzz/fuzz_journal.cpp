// libFuzzer target: the serve journal reader (`serve --state-dir`). Input: a journal file's bytes.
// Its frames are scanned (never throws), each whole payload parsed as JSON and read as the record
// its position says (0 the header, the others calls or clock notes). The reader's contract is that
// a malformed record is std::invalid_argument, which the server turns into a refusal: any other
// exception escapes here and is a finding.
#include "harness/serve/persist/journal_frames.hpp"
#include "harness/serve/persist/journal_record.hpp"

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
  using namespace migsim::harness::serve::persist;
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  const FrameScan scan = scan_frames(bytes);
  for (size_t i = 0; i < scan.payloads.size(); ++i) {
    const auto j = nlohmann::json::parse(scan.payloads[i], nullptr, false);
    if (j.is_discarded())
      continue;
    try {
      if (i == 0) {
        const JournalIdentity id = identity_from_header(j);
        (void)identity_mismatch(id, JournalIdentity{});
      } else if (j.is_object() && j.contains("kind") && j["kind"] == "call") {
        (void)call_json(call_from_json(j));
      }
    } catch (const std::invalid_argument&) {
    }
  }
  return 0;
}
