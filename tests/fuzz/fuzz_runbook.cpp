// libFuzzer target: the runbook loader (JSON text with its limits, then the document's validation:
// steps, parameters, selectors, branches) and the selector engine applied to the input itself.
// Any input must end as a runbook or a RunbookError.
#include "harness/runbook/document.hpp"
#include "harness/runbook/values.hpp"
#include "sim/json_text.hpp"

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
  namespace rb = migsim::harness::runbook;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto doc = migsim::sim::parse_json_text(text, migsim::sim::JsonTextLimits{});
  if (doc.is_discarded()) {
    // Not JSON: the bytes as a selector over a fixed response.
    static const nlohmann::json response = {{"items", {{{"id", "s-1"}}, {{"id", "s-2"}}}}, {"Account", "1"}};
    try {
      (void)rb::select(response, std::string(text));
    } catch (const std::invalid_argument&) {
    }
    return 0;
  }
  try {
    (void)rb::parse_runbook(doc, "fuzz");
  } catch (const rb::RunbookError&) {
  }
  return 0;
}
