// A small XML DOM for the query and rest-xml protocols: enough to read what AWS and botocore write
// (elements, attributes, text, entities, CDATA, comments, the XML declaration), no DTDs.
#pragma once

#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace migsim::aws::xml {

// One element: its local name (prefix stripped), attributes, text and child elements in order.
struct Element {
  std::string name;
  std::map<std::string, std::string> attributes;  // by local name, xmlns ones included
  std::string text;                               // concatenated character data of this element
  std::vector<std::unique_ptr<Element>> children;

  // The first child named `name`; nullptr when absent.
  const Element* child(const std::string& name) const;
  // Every child named `name`, in order.
  std::vector<const Element*> children_named(const std::string& name) const;
};

// Malformed XML: what and where (byte offset).
struct ParseError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Parses a document and returns its root element; throws ParseError.
std::unique_ptr<Element> parse(const std::string& doc);

}  // namespace migsim::aws::xml
