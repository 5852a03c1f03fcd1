// libFuzzer target: one AWS protocol codec's request parser, as the mock endpoint runs it on a
// request (service identification, then parse_request with validation against the shapes). Built
// once per protocol with FUZZ_SERVICE naming a service that speaks it (dms: json 1.1, mgn:
// rest-json, rds: query, route53: rest-xml, monitoring: rpc-v2-cbor, ec2: ec2).
//
// Input: a raw HTTP request (CRLF) or the short form "METHOD TARGET\nName: value\n...\n\nBODY"; an
// input without a blank line is the body of a POST / with no headers. Any input must end as a
// parsed request or an AwsError.
#include "harness/aws/protocol/codec.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

#ifndef FUZZ_SERVICE
#error "FUZZ_SERVICE must name the service whose protocol is fuzzed"
#endif

namespace {

migsim::aws::WireRequest split(const std::string& in)
{
  migsim::aws::WireRequest w{"POST", "/", {}, in};
  // Raw HTTP (the bad-input corpus: CRLF lines, "METHOD TARGET HTTP/1.1") or the short form (LF).
  const bool crlf = in.find("\r\n\r\n") != std::string::npos;
  const std::string sep = crlf ? "\r\n\r\n" : "\n\n", eol = crlf ? "\r\n" : "\n";
  const auto blank = in.find(sep);
  if (blank == std::string::npos)
    return w;
  w.body = in.substr(blank + sep.size());
  const std::string head = in.substr(0, blank);
  size_t from = 0;
  bool first = true;
  while (from <= head.size()) {
    size_t nl = head.find(eol, from);
    if (nl == std::string::npos)
      nl = head.size();
    const std::string line = head.substr(from, nl - from);
    if (first) {
      const auto sp = line.find(' ');
      w.method = line.substr(0, sp);
      std::string target = sp == std::string::npos ? "/" : line.substr(sp + 1);
      if (const auto version = target.rfind(" HTTP/"); version != std::string::npos)
        target = target.substr(0, version);
      w.target = target;
      first = false;
    } else if (const auto colon = line.find(':'); colon != std::string::npos) {
      w.headers[line.substr(0, colon)] = line.substr(colon + 1 + (colon + 1 < line.size() && line[colon + 1] == ' '));
    }
    from = nl + eol.size();
  }
  return w;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
  const auto w = split(std::string(reinterpret_cast<const char*>(data), size));
  (void)migsim::aws::identify_service(w);
  try {
    const auto parsed = migsim::aws::parse_request(FUZZ_SERVICE, w);
    (void)parsed.input.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  } catch (const migsim::aws::AwsError&) {
  }
  return 0;
}
