#include "harness/k8s/protobuf.hpp"

#include "harness/k8s/status.hpp"

#include <cstdint>
#include <map>

namespace migsim::harness::k8s {

namespace {

// How a field's value becomes JSON: a string, an integer, a message (by its descriptor's name),
// a map<string,string> (repeated key/value entries), a list of strings.
enum class Kind { String, Integer, Message, StringMap, StringList };

struct FieldSpec {
  std::string name;
  Kind kind;
  std::string message;  // for Kind::Message
};

using Descriptor = std::map<int, FieldSpec>;

// The messages decoded, by name; field numbers from the Kubernetes API's generated.proto.
const std::map<std::string, Descriptor>& descriptors()
{
  static const std::map<std::string, Descriptor> all = {
      {"Unknown", {{1, {"typeMeta", Kind::Message, "TypeMeta"}}, {2, {"raw", Kind::String, ""}}}},
      {"TypeMeta", {{1, {"apiVersion", Kind::String, ""}}, {2, {"kind", Kind::String, ""}}}},
      {"ObjectMeta",
       {{1, {"name", Kind::String, ""}},
        {2, {"generateName", Kind::String, ""}},
        {3, {"namespace", Kind::String, ""}},
        {5, {"uid", Kind::String, ""}},
        {6, {"resourceVersion", Kind::String, ""}},
        {11, {"labels", Kind::StringMap, ""}},
        {12, {"annotations", Kind::StringMap, ""}},
        {14, {"finalizers", Kind::StringList, ""}}}},
      {"autoscaling/v1.HorizontalPodAutoscaler",
       {{1, {"metadata", Kind::Message, "ObjectMeta"}}, {2, {"spec", Kind::Message, "autoscaling/v1.HorizontalPodAutoscalerSpec"}}}},
      {"autoscaling/v1.HorizontalPodAutoscalerSpec",
       {{1, {"scaleTargetRef", Kind::Message, "autoscaling/v1.CrossVersionObjectReference"}},
        {2, {"minReplicas", Kind::Integer, ""}},
        {3, {"maxReplicas", Kind::Integer, ""}},
        {4, {"targetCPUUtilizationPercentage", Kind::Integer, ""}}}},
      {"autoscaling/v1.CrossVersionObjectReference",
       {{1, {"kind", Kind::String, ""}}, {2, {"name", Kind::String, ""}}, {3, {"apiVersion", Kind::String, ""}}}},
  };
  return all;
}

ApiError malformed(const std::string& why) { return bad_request("the protobuf body does not decode: " + why); }

struct Reader {
  const std::string& bytes;
  size_t at, end;

  bool done() const { return at >= end; }
  uint64_t varint()
  {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (at >= end)
        throw malformed("a varint runs past the end");
      const auto b = static_cast<unsigned char>(bytes[at++]);
      v |= static_cast<uint64_t>(b & 0x7F) << shift;
      if (!(b & 0x80))
        return v;
    }
    throw malformed("a varint longer than 10 bytes");
  }
  // The bounds of a length-delimited value.
  std::pair<size_t, size_t> delimited()
  {
    const uint64_t n = varint();
    if (n > end - at)
      throw malformed("a length-delimited field runs past the end");
    const size_t from = at;
    at += n;
    return {from, at};
  }
  void skip(int wire)
  {
    if (wire == 0)
      varint();
    else if (wire == 1)
      at += 8;
    else if (wire == 2)
      delimited();
    else if (wire == 5)
      at += 4;
    else
      throw malformed("wire type " + std::to_string(wire) + " is not read");
    if (at > end)
      throw malformed("a fixed-width field runs past the end");
  }
};

json decode(const std::string& bytes, size_t from, size_t to, const std::string& message)
{
  const Descriptor& d = descriptors().at(message);
  json out = json::object();
  Reader r{bytes, from, to};
  while (!r.done()) {
    const uint64_t key = r.varint();
    const int number = static_cast<int>(key >> 3), wire = static_cast<int>(key & 7);
    auto it = d.find(number);
    if (it == d.end()) {  // a field not modelled here: skipped, as an unknown field
      r.skip(wire);
      continue;
    }
    const FieldSpec& f = it->second;
    if (f.kind == Kind::Integer) {
      if (wire != 0)
        throw malformed(message + "." + f.name + " is not a varint");
      out[f.name] = static_cast<int64_t>(r.varint());
      continue;
    }
    if (wire != 2)
      throw malformed(message + "." + f.name + " is not length-delimited");
    const auto [b, e] = r.delimited();
    if (f.kind == Kind::String) {
      if (e > b)  // Go marshals unset strings as empty ones; their JSON form omits them
        out[f.name] = bytes.substr(b, e - b);
    }
    else if (f.kind == Kind::StringList)
      out[f.name].push_back(bytes.substr(b, e - b));
    else if (f.kind == Kind::Message)
      out[f.name] = decode(bytes, b, e, f.message);
    else {  // a map entry: key = 1, value = 2
      Reader entry{bytes, b, e};
      std::string k, v;
      while (!entry.done()) {
        const uint64_t ek = entry.varint();
        if ((ek & 7) != 2)
          throw malformed(message + "." + f.name + " has a map entry that is not two strings");
        const auto [eb, ee] = entry.delimited();
        ((ek >> 3) == 1 ? k : v) = bytes.substr(eb, ee - eb);
      }
      out[f.name][k] = v;
    }
  }
  return out;
}

}  // namespace

std::optional<json> decode_protobuf(const std::string& body)
{
  static const std::string magic("k8s\0", 4);
  if (body.compare(0, 4, magic) != 0)
    throw malformed("it does not start with the magic bytes \"k8s\\0\"");
  const json unknown = decode(body, 4, body.size(), "Unknown");
  const json type = unknown.value("typeMeta", json::object());
  const std::string api_version = type.value("apiVersion", ""), kind = type.value("kind", "");
  const std::string message = api_version + "." + kind;
  if (!descriptors().count(message))
    return std::nullopt;
  const std::string raw = unknown.value("raw", "");
  json obj = decode(raw, 0, raw.size(), message);
  obj["apiVersion"] = api_version;
  obj["kind"] = kind;
  return obj;
}

}  // namespace migsim::harness::k8s
