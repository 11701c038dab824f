// The flat XmlDocument (issue #6): what XmlContext::parse_into builds, its arena and its reuse
// across documents, checked against XmlContext::parse's XmlElement tree and exact text.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "ingest/xml_parser.h"

using namespace cofin;

namespace {

struct XmlEnv {
  XercesRuntime runtime;
  XmlContext xml{runtime};
};

std::string dump(const Diagnostics& d) {
  std::string out;
  for (const auto& item : d.items()) out += format_diagnostic(item) + "\n";
  return out;
}

// An events document: one approval covering `covers` partner reports, with one deduction per
// entry of `comments` (each its comment attribute, text as given, already escaped).
std::string events(int covers, const std::vector<std::string>& comments) {
  std::string doc =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<events xmlns=\"urn:cofin:events:1\">\n"
      "  <approved id=\"A1\" project=\"P1\" project-report=\"1\" date=\"2024-05-31\">\n";
  for (int k = 1; k <= covers; ++k) {
    doc += "    <covers partner=\"" + std::to_string(k) + "\" report=\"1\"/>\n";
  }
  int line = 0;
  for (const std::string& comment : comments) {
    doc += "    <deduction partner=\"1\" report=\"1\" line=\"" + std::to_string(++line) +
           "\" amount=\"1.00\" typology=\"T\" comment=\"" + comment + "\"/>\n";
  }
  doc += "  </approved>\n</events>\n";
  return doc;
}

// Returns the number of elements under and including `node`.
std::size_t count_elements(XmlNode node) {
  std::size_t n = 1;
  for (XmlNode c : node.children()) n += count_elements(c);
  return n;
}

// Checks that `node` and `el` hold the same element tree: names, namespaces, positions, text and
// every attribute (looked up by name in both).
void check_same(XmlNode node, const XmlElement& el) {
  CHECK(node.name() == el.name);
  CHECK(node.ns() == el.ns);
  CHECK(node.text() == el.text);
  CHECK(node.line() == el.line);
  CHECK(node.column() == el.column);
  for (const auto& [name, value] : el.attributes) {
    const std::string_view* v = node.attribute(name);
    REQUIRE(v != nullptr);
    CHECK(*v == value);
  }
  std::size_t k = 0;
  for (XmlNode c : node.children()) {
    REQUIRE(k < el.children.size());
    check_same(c, el.children[k++]);
  }
  CHECK(k == el.children.size());
}

}  // namespace

TEST_CASE("xml document parsed in place matches the element tree of parse", "[xml]") {
  XmlEnv env;
  const std::string doc = events(3, {"first &amp; only",
                                     "R\xC4\xAB"
                                     "ga \xE2\x82\xAC 5"});
  Diagnostics d1;
  Diagnostics d2;
  XmlDocument document;
  REQUIRE(env.xml.parse_into(document, "e.xml", doc, d1));
  const auto tree = env.xml.parse("e.xml", doc, d2);
  INFO(dump(d1) + dump(d2));
  REQUIRE(tree);
  check_same(document.root(), *tree);
  // XmlElement copies of the attributes, not only of the names (to_element copies both).
  const XmlElement& approved = tree->children.at(0);
  CHECK(approved.attributes.size() == 4);
  CHECK(*approved.attribute("date") == "2024-05-31");
  CHECK(*approved.children.at(4).attribute("comment") ==
        "R\xC4\xAB"
        "ga \xE2\x82\xAC 5");
  CHECK(*approved.children.at(3).attribute("comment") == "first & only");
  CHECK(approved.children.at(3).line == 7);
  CHECK(approved.children.at(3).column == 5);
}

TEST_CASE("xml document reused for a smaller document holds only that document", "[xml]") {
  XmlEnv env;
  XmlDocument document;
  Diagnostics d;
  REQUIRE(env.xml.parse_into(document, "big.xml", events(40, {"a", "b", "c"}), d));
  CHECK(count_elements(document.root()) == 1 + 1 + 40 + 3);
  REQUIRE(env.xml.parse_into(document, "small.xml", events(1, {"only"}), d));
  INFO(dump(d));
  CHECK(count_elements(document.root()) == 1 + 1 + 1 + 1);
  const XmlNode approved = *document.root().child("approved");
  CHECK(approved.children().size() == 2);
  const auto deduction = approved.child("deduction");
  REQUIRE(deduction);
  CHECK(*deduction->attribute("comment") == "only");
  CHECK(deduction->line() == 5);
  // A document that fails leaves the caller nothing to read, and says why, as parse does.
  Diagnostics failed_into;
  Diagnostics failed_tree;
  CHECK_FALSE(env.xml.parse_into(document, "bad.xml", "<events xmlns=\"urn:cofin:events:1\">",
                                 failed_into));
  CHECK_FALSE(env.xml.parse("bad.xml", "<events xmlns=\"urn:cofin:events:1\">", failed_tree));
  CHECK(dump(failed_into) == dump(failed_tree));
  CHECK(failed_into.has_errors());
}

TEST_CASE("xml document keeps values longer than an arena block and non-ASCII text exact",
          "[xml]") {
  XmlEnv env;
  // A comment of 32,767 euro signs is 98,301 bytes of UTF-8: more than one 64 KiB block. Then
  // ASCII comments that fill more blocks than a cleared document keeps (1.2 MB), and a character
  // outside the BMP (a surrogate pair in Xerces' UTF-16).
  std::string euros;
  for (int k = 0; k < 32'767; ++k) euros += "\xE2\x82\xAC";
  std::vector<std::string> comments = {euros};
  for (int k = 0; k < 60; ++k)
    comments.push_back(std::string(20'000, static_cast<char>('a' + k % 26)));
  comments.push_back("clef \xF0\x9D\x84\x9E end");
  XmlDocument document;
  for (int round = 0; round < 2; ++round) {  // the second parse reuses (some of) the blocks
    Diagnostics d;
    REQUIRE(env.xml.parse_into(document, "long.xml", events(1, comments), d));
    INFO(dump(d));
    std::vector<std::string> seen;
    for (XmlNode c : document.root().child("approved")->children()) {
      if (c.name() == "deduction") seen.emplace_back(*c.attribute("comment"));
    }
    CHECK(seen == comments);
  }
}

TEST_CASE("xml attribute look-up with a hint finds attributes in any order", "[xml]") {
  XmlEnv env;
  XmlDocument document;
  Diagnostics d;
  REQUIRE(env.xml.parse_into(document, "e.xml", events(1, {"c"}), d));
  const XmlNode deduction = *document.root().child("approved")->child("deduction");
  const std::vector<std::string> names = {"comment", "partner", "typology", "missing",
                                          "line",    "amount",  "report",   "comment"};
  std::uint32_t hint = 0;
  for (const std::string& name : names) {
    INFO(name);
    const std::string_view* plain = deduction.attribute(name);
    const std::string_view* hinted = deduction.attribute(name, hint);
    CHECK(plain == hinted);
  }
  hint = 0;
  CHECK(*deduction.attribute("amount", hint) == "1.00");
  CHECK(hint == 4);  // the one after "amount", fifth in the document
  CHECK(*deduction.attribute("partner", hint) == "1");  // found by wrapping round
  CHECK(deduction.attribute("absent", hint) == nullptr);
}
