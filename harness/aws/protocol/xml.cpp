#include "harness/aws/protocol/xml.hpp"

#include <cctype>
#include <cstdlib>

namespace migsim::aws::xml {

namespace {

// A recursive-descent reader over the document.
class Reader {
public:
  explicit Reader(const std::string& doc) : s_(doc) {}

  std::unique_ptr<Element> document()
  {
    skip_misc();
    if (at_end() || s_[i_] != '<')
      fail("expected a root element");
    auto root = element(0);
    skip_misc();
    if (!at_end())
      fail("content after the root element");
    return root;
  }

private:
  const std::string& s_;
  size_t i_ = 0;

  [[noreturn]] void fail(const std::string& what) const
  {
    throw ParseError(what + " at byte " + std::to_string(i_));
  }
  bool at_end() const { return i_ >= s_.size(); }
  bool starts(const char* p) const { return s_.compare(i_, std::char_traits<char>::length(p), p) == 0; }
  void skip_ws()
  {
    while (!at_end() && std::isspace(static_cast<unsigned char>(s_[i_])))
      ++i_;
  }
  // Skips whitespace, the declaration, processing instructions and comments.
  void skip_misc()
  {
    for (;;) {
      skip_ws();
      if (starts("<?"))
        skip_past("?>");
      else if (starts("<!--"))
        skip_past("-->");
      else if (starts("<!DOCTYPE"))
        fail("DTDs are not accepted");
      else
        return;
    }
  }
  void skip_past(const char* end)
  {
    const auto at = s_.find(end, i_);
    if (at == std::string::npos)
      fail(std::string("unterminated construct, expected ") + end);
    i_ = at + std::char_traits<char>::length(end);
  }
  std::string name()
  {
    const size_t from = i_;
    while (!at_end() && (std::isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '_' || s_[i_] == '-' ||
                         s_[i_] == '.' || s_[i_] == ':'))
      ++i_;
    if (from == i_)
      fail("expected a name");
    return s_.substr(from, i_ - from);
  }
  static std::string local(const std::string& qname)
  {
    const auto colon = qname.find(':');
    return colon == std::string::npos ? qname : qname.substr(colon + 1);
  }
  // Decodes entities of character data.
  std::string decode(const std::string& raw) const
  {
    std::string out;
    for (size_t k = 0; k < raw.size(); ++k) {
      if (raw[k] != '&') {
        out += raw[k];
        continue;
      }
      const auto semi = raw.find(';', k);
      if (semi == std::string::npos)
        throw ParseError("unterminated entity");
      const std::string ent = raw.substr(k + 1, semi - k - 1);
      if (ent == "lt") out += '<';
      else if (ent == "gt") out += '>';
      else if (ent == "amp") out += '&';
      else if (ent == "quot") out += '"';
      else if (ent == "apos") out += '\'';
      else if (!ent.empty() && ent[0] == '#') {
        const long cp = ent.size() > 1 && (ent[1] == 'x' || ent[1] == 'X') ? std::strtol(ent.c_str() + 2, nullptr, 16)
                                                                           : std::strtol(ent.c_str() + 1, nullptr, 10);
        append_utf8(out, cp);
      } else
        throw ParseError("unknown entity &" + ent + ";");
      k = semi;
    }
    return out;
  }
  static void append_utf8(std::string& out, long cp)
  {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }
  std::unique_ptr<Element> element(int depth)
  {
    if (depth > 64)
      fail("elements nested too deeply");
    ++i_;  // '<'
    auto e = std::make_unique<Element>();
    const std::string qname = name();
    e->name = local(qname);
    for (;;) {
      skip_ws();
      if (at_end())
        fail("unterminated start tag <" + qname);
      if (starts("/>")) {
        i_ += 2;
        return e;
      }
      if (s_[i_] == '>') {
        ++i_;
        break;
      }
      const std::string attr = name();
      skip_ws();
      if (at_end() || s_[i_] != '=')
        fail("expected '=' after attribute " + attr);
      ++i_;
      skip_ws();
      if (at_end() || (s_[i_] != '"' && s_[i_] != '\''))
        fail("expected a quoted attribute value");
      const char q = s_[i_++];
      const auto close = s_.find(q, i_);
      if (close == std::string::npos)
        fail("unterminated attribute value");
      e->attributes[attr.rfind("xmlns", 0) == 0 ? attr : local(attr)] = decode(s_.substr(i_, close - i_));
      i_ = close + 1;
    }
    for (;;) {
      if (at_end())
        fail("unterminated element <" + qname + ">");
      if (starts("</")) {
        i_ += 2;
        const std::string end = name();
        if (end != qname)
          fail("</" + end + "> closes <" + qname + ">");
        skip_ws();
        if (at_end() || s_[i_] != '>')
          fail("expected '>'");
        ++i_;
        return e;
      }
      if (starts("<!--")) {
        skip_past("-->");
      } else if (starts("<![CDATA[")) {
        i_ += 9;
        const auto end = s_.find("]]>", i_);
        if (end == std::string::npos)
          fail("unterminated CDATA");
        e->text += s_.substr(i_, end - i_);
        i_ = end + 3;
      } else if (starts("<?")) {
        skip_past("?>");
      } else if (s_[i_] == '<') {
        e->children.push_back(element(depth + 1));
      } else {
        const auto lt = s_.find('<', i_);
        const size_t end = lt == std::string::npos ? s_.size() : lt;
        e->text += decode(s_.substr(i_, end - i_));
        i_ = end;
      }
    }
  }
};

}  // namespace

const Element* Element::child(const std::string& n) const
{
  for (const auto& c : children)
    if (c->name == n)
      return c.get();
  return nullptr;
}

std::vector<const Element*> Element::children_named(const std::string& n) const
{
  std::vector<const Element*> out;
  for (const auto& c : children)
    if (c->name == n)
      out.push_back(c.get());
  return out;
}

std::unique_ptr<Element> parse(const std::string& doc)
{
  return Reader(doc).document();
}

}  // namespace migsim::aws::xml
