// XML by shape, for the query protocol's responses and rest-xml bodies: element names from
// locationName (list members "member", map entries "entry"/"key"/"value" unless renamed),
// flattened lists and maps as repeated elements, xmlAttribute members as attributes, xmlNamespace.
#pragma once

#include "harness/aws/protocol/model.hpp"
#include "harness/aws/protocol/xml.hpp"

#include <string>

namespace migsim::aws {

// Appends the children of a structure (its members present in `value`) to `out`.
void write_xml_members(const Model& m, const json& shape, const json& value, std::string& out);

// Appends `<name>value</name>` for a value of `shape` reached through `ref` (member reference or null).
void write_xml(const Model& m, const json& ref, const json& shape, const std::string& name, const json& value,
               std::string& out);

// Reads a structure's members from an element's children and attributes (absent members left out).
// Throws Violation{type} for text that does not parse as its scalar type.
json read_xml_members(const Model& m, const json& shape, const xml::Element& e, const std::string& path);

// Reads an element as a value of `shape`.
json read_xml(const Model& m, const json& shape, const xml::Element& e, const std::string& path);

}  // namespace migsim::aws
