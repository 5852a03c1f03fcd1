// libFuzzer target: the scenario loader (JSON text with its limits, then every section the sim
// layer reads). Any input must end as a parsed scenario or an InputError; anything else (another
// exception, a crash, a sanitizer report) is a finding.
#include "sim/json_reader.hpp"
#include "sim/json_text.hpp"
#include "sim/scenario.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto doc = migsim::sim::parse_json_text(text, migsim::sim::JsonTextLimits{});
  if (doc.is_discarded())
    return 0;
  try {
    (void)migsim::sim::parse_scenario(doc, "fuzz");
  } catch (const migsim::sim::InputError&) {
  }
  return 0;
}
