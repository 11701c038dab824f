// The XML reading layer's defences: well-formedness, DOCTYPE/XXE, schema hints, namespaces, and
// schema validation with positions.
#include <unistd.h>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "ingest/xml_documents.h"
#include "ingest/xml_parser.h"

using namespace cofin;

namespace {

// Xerces lives per test: runtime first, then the grammar pool; destroyed in reverse order.
struct XmlEnv {
  XercesRuntime runtime;
  XmlContext xml{runtime};
};

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  REQUIRE(in);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string bad(const char* name) {
  return std::string(COFIN_SOURCE_DIR) + "/fixtures/xml/bad/" + name;
}

std::string dump(const Diagnostics& d) {
  std::string out;
  for (const auto& item : d.items()) out += format_diagnostic(item) + "\n";
  return out;
}

// Returns true when some error has this rule id (and this line, when line > 0).
bool has(const Diagnostics& d, std::string_view rule, int line = 0) {
  for (const auto& item : d.items()) {
    if (item.rule_id == rule && (line == 0 || item.line == line)) return true;
  }
  return false;
}

bool only(const Diagnostics& d, std::string_view rule) {
  for (const auto& item : d.items()) {
    if (item.rule_id != rule) return false;
  }
  return !d.items().empty();
}

// Reads a bad report fixture; it must be rejected.
Diagnostics read_bad_report(XmlEnv& env, const char* name) {
  Diagnostics d;
  const std::string file = bad(name);
  const auto report = read_report_xml(env.xml, file, slurp(file), d);
  CHECK_FALSE(report.has_value());
  CHECK(d.has_errors());
  return d;
}

}  // namespace

TEST_CASE("xml well-formed document parses into an element tree", "[xml]") {
  XmlEnv env;
  Diagnostics d;
  const std::string doc =
      "<?xml version=\"1.0\"?>\n"
      "<events xmlns=\"urn:cofin:events:1\">\n"
      "  <erdf-paid id=\"E1\" project=\"P\" partner=\"1\" report=\"1\"\n"
      "     payment-ref=\"R &amp; 1\" date=\"2024-01-31\" amount=\"1.00\"/>\n"
      "</events>\n";
  const auto root = env.xml.parse("t.xml", doc, d);
  INFO(dump(d));
  REQUIRE(root);
  CHECK(root->name == "events");
  CHECK(root->ns == "urn:cofin:events:1");
  CHECK(root->line == 2);
  CHECK(root->column == 1);
  REQUIRE(root->children.size() == 1);
  const auto& paid = root->children[0];
  CHECK(paid.name == "erdf-paid");
  CHECK(paid.line == 3);  // where the start tag begins, not where it ends
  CHECK(paid.column == 3);
  REQUIRE(paid.attribute("payment-ref"));
  CHECK(*paid.attribute("payment-ref") == "R & 1");
  CHECK(paid.attribute("missing") == nullptr);
}

TEST_CASE("xml root namespace is found by a cheap scan", "[xml]") {
  CHECK(
      xml_root_namespace("<?xml version=\"1.0\"?>\n<!-- c -->\n<job xmlns=\"urn:cofin:job:1\"/>") ==
      std::optional<std::string>("urn:cofin:job:1"));
  CHECK(xml_root_namespace("\xEF\xBB\xBF<r:events xmlns:x='a' xmlns:r='urn:cofin:events:1'>") ==
        std::optional<std::string>("urn:cofin:events:1"));
  CHECK(xml_root_namespace("<report><x/></report>") == std::optional<std::string>(""));
  CHECK(xml_root_namespace("not xml") == std::nullopt);
  CHECK(xml_root_namespace("") == std::nullopt);
  CHECK(xml_has_doctype("<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY x \"y\">]><r/>"));
  CHECK_FALSE(xml_has_doctype("<r><!-- <!DOCTYPE --></r>"));
}

TEST_CASE("xml malformed document is XML-MALFORMED", "[xml]") {
  XmlEnv env;
  const auto d = read_bad_report(env, "malformed.xml");
  INFO(dump(d));
  CHECK(has(d, "XML-MALFORMED", 11));
  CHECK(only(d, "XML-MALFORMED"));
}

TEST_CASE("xml truncated file is XML-MALFORMED", "[xml]") {
  XmlEnv env;
  const auto d = read_bad_report(env, "truncated.xml");
  INFO(dump(d));
  CHECK(only(d, "XML-MALFORMED"));
}

TEST_CASE("xml empty input is XML-MALFORMED", "[xml]") {
  XmlEnv env;
  Diagnostics d;
  CHECK_FALSE(env.xml.parse("e.xml", "", d));
  CHECK(only(d, "XML-MALFORMED"));
}

TEST_CASE("xml XXE to a local file is refused and the file is not read", "[xml][security]") {
  XmlEnv env;
  const auto d = read_bad_report(env, "xxe-local-file.xml");
  INFO(dump(d));
  CHECK(has(d, "XML-DOCTYPE", 2));
  CHECK(only(d, "XML-DOCTYPE"));
  CHECK(dump(d).find("root:") == std::string::npos);
}

TEST_CASE("xml XXE to a file with a secret leaks nothing", "[xml][security]") {
  XmlEnv env;
  const auto dir =
      std::filesystem::temp_directory_path() / ("cofin-xxe-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto secret_file = dir / "secret.txt";
  const std::string secret = "COFIN-SECRET-7f3a9c";
  std::ofstream(secret_file) << secret;
  const std::string doc =
      "<?xml version=\"1.0\"?>\n<!DOCTYPE control-result [<!ENTITY s SYSTEM \"file://" +
      secret_file.string() +
      "\">]>\n<control-result xmlns=\"urn:cofin:control:1\"><id>&s;</id>"
      "</control-result>\n";
  Diagnostics d;
  CHECK_FALSE(read_control_xml(env.xml, "xxe.xml", doc, d));
  const std::string all = dump(d);
  std::filesystem::remove_all(dir);
  INFO(all);
  CHECK(only(d, "XML-DOCTYPE"));
  CHECK(all.find(secret) == std::string::npos);
}

TEST_CASE("xml XXE to a URL is refused", "[xml][security]") {
  XmlEnv env;
  const auto d = read_bad_report(env, "xxe-url.xml");
  INFO(dump(d));
  CHECK(has(d, "XML-DOCTYPE", 2));
  CHECK(only(d, "XML-DOCTYPE"));
}

TEST_CASE("xml billion laughs is refused", "[xml][security]") {
  XmlEnv env;
  const auto d = read_bad_report(env, "billion-laughs.xml");
  INFO(dump(d));
  CHECK(only(d, "XML-DOCTYPE"));
}

TEST_CASE("xml internal DOCTYPE without entities is refused", "[xml][security]") {
  XmlEnv env;
  Diagnostics d;
  CHECK_FALSE(
      env.xml.parse("d.xml", "<!DOCTYPE events>\n<events xmlns=\"urn:cofin:events:1\"/>", d));
  CHECK(only(d, "XML-DOCTYPE"));
}

TEST_CASE("xml remote schemaLocation is refused", "[xml][security]") {
  XmlEnv env;
  const auto d = read_bad_report(env, "schema-location-remote.xml");
  INFO(dump(d));
  CHECK(has(d, "XML-EXTERNAL", 2));
  CHECK(only(d, "XML-EXTERNAL"));
}

TEST_CASE("xml local schemaLocation is refused", "[xml][security]") {
  XmlEnv env;
  const auto d = read_bad_report(env, "schema-location-local.xml");
  INFO(dump(d));
  CHECK(has(d, "XML-EXTERNAL", 2));
  CHECK(only(d, "XML-EXTERNAL"));
}

TEST_CASE("xml noNamespaceSchemaLocation is refused", "[xml][security]") {
  XmlEnv env;
  const auto d = read_bad_report(env, "no-namespace-schema-location.xml");
  INFO(dump(d));
  CHECK(has(d, "XML-EXTERNAL", 2));
  CHECK(has(d, "XML-NAMESPACE", 2));
}

TEST_CASE("xml schemaLocation on an inner element is refused", "[xml][security]") {
  XmlEnv env;
  Diagnostics d;
  const std::string doc =
      "<events xmlns=\"urn:cofin:events:1\" "
      "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n"
      "<erdf-paid xsi:schemaLocation=\"urn:x http://127.0.0.1:9/x.xsd\" id=\"E1\" project=\"P\" "
      "partner=\"1\" report=\"1\" payment-ref=\"R\" date=\"2024-01-31\" amount=\"1.00\"/>\n"
      "</events>\n";
  CHECK_FALSE(read_events_xml(env.xml, "s.xml", doc, d));
  INFO(dump(d));
  CHECK(has(d, "XML-EXTERNAL", 2));
}

TEST_CASE("xml wrong namespace is XML-NAMESPACE", "[xml]") {
  XmlEnv env;
  const auto d = read_bad_report(env, "wrong-namespace.xml");
  INFO(dump(d));
  CHECK(has(d, "XML-NAMESPACE", 2));
  CHECK(only(d, "XML-NAMESPACE"));
}

TEST_CASE("xml no namespace is XML-NAMESPACE", "[xml]") {
  XmlEnv env;
  const auto d = read_bad_report(env, "no-namespace.xml");
  INFO(dump(d));
  CHECK(has(d, "XML-NAMESPACE", 2));
  CHECK(only(d, "XML-NAMESPACE"));
}

TEST_CASE("xml document of another kind is XML-NAMESPACE", "[xml]") {
  XmlEnv env;
  Diagnostics d;
  const std::string file = std::string(COFIN_SOURCE_DIR) + "/fixtures/xml/good/events.xml";
  CHECK_FALSE(read_report_xml(env.xml, file, slurp(file), d));
  INFO(dump(d));
  CHECK(only(d, "XML-NAMESPACE"));
}

TEST_CASE("xml unknown element is XML-SCHEMA at its line", "[xml]") {
  XmlEnv env;
  const auto d = read_bad_report(env, "unknown-element.xml");
  INFO(dump(d));
  CHECK(has(d, "XML-SCHEMA", 8));
  CHECK(only(d, "XML-SCHEMA"));
}

TEST_CASE("xml missing required element is XML-SCHEMA", "[xml]") {
  XmlEnv env;
  const auto d = read_bad_report(env, "missing-required-element.xml");
  INFO(dump(d));
  CHECK(has(d, "XML-SCHEMA", 8));
  CHECK(d.items().front().message.find("submitted-on") != std::string::npos);
}

TEST_CASE("xml report without lines is XML-SCHEMA", "[xml]") {
  XmlEnv env;
  const auto d = read_bad_report(env, "no-lines.xml");
  INFO(dump(d));
  CHECK(only(d, "XML-SCHEMA"));
}

TEST_CASE("xml amount with 3 decimals is XML-SCHEMA at its line", "[xml]") {
  XmlEnv env;
  const auto d = read_bad_report(env, "amount-3-decimals.xml");
  INFO(dump(d));
  CHECK(has(d, "XML-SCHEMA", 10));
  CHECK(dump(d).find("100.005") != std::string::npos);
}

TEST_CASE("xml amount beyond the Jems range is XML-SCHEMA", "[xml]") {
  XmlEnv env;
  Diagnostics d;
  const std::string doc =
      "<events xmlns=\"urn:cofin:events:1\">\n"
      "<erdf-paid id=\"E1\" project=\"P\" partner=\"1\" report=\"1\" payment-ref=\"R\" "
      "date=\"2024-01-31\" amount=\"1000000000.00\"/>\n"
      "</events>\n";
  CHECK_FALSE(read_events_xml(env.xml, "r.xml", doc, d));
  INFO(dump(d));
  CHECK(has(d, "XML-SCHEMA", 2));
}

TEST_CASE("xml unknown category is XML-SCHEMA at its line", "[xml]") {
  XmlEnv env;
  const auto d = read_bad_report(env, "bad-enum.xml");
  INFO(dump(d));
  CHECK(has(d, "XML-SCHEMA", 10));
  CHECK(dump(d).find("catering") != std::string::npos);
}

TEST_CASE("xml impossible date is XML-SCHEMA at its line", "[xml]") {
  XmlEnv env;
  const auto d = read_bad_report(env, "bad-date.xml");
  INFO(dump(d));
  CHECK(has(d, "XML-SCHEMA", 10));
}

TEST_CASE("xml duplicate line number is VALUE-DUPLICATE-LINE at the second line", "[xml]") {
  XmlEnv env;
  const auto d = read_bad_report(env, "duplicate-line.xml");
  INFO(dump(d));
  CHECK(has(d, "VALUE-DUPLICATE-LINE", 11));
  CHECK(only(d, "VALUE-DUPLICATE-LINE"));
}

TEST_CASE("xml duplicate line number on an element with content is found too", "[xml]") {
  XmlEnv env;
  std::string doc = slurp(bad("duplicate-line.xml"));
  const auto at = doc.rfind("/>");
  REQUIRE(at != std::string::npos);
  doc.replace(at, 2, "></line>");
  Diagnostics d;
  CHECK_FALSE(read_report_xml(env.xml, "dup.xml", doc, d));
  INFO(dump(d));
  CHECK(has(d, "VALUE-DUPLICATE-LINE", 11));
  CHECK(d.items().front().message.find("'2'") != std::string::npos);
}

TEST_CASE("xml validation errors are all collected", "[xml]") {
  XmlEnv env;
  Diagnostics d;
  const std::string doc =
      "<events xmlns=\"urn:cofin:events:1\">\n"
      "<erdf-paid id=\"E1\" project=\"P\" partner=\"0\" report=\"1\" payment-ref=\"R\" "
      "date=\"2024-01-31\" amount=\"1.00\"/>\n"
      "<state-paid id=\"E2\" project=\"P\" partner=\"1\" report=\"1\" payment-ref=\"R\" "
      "date=\"2024-13-01\" amount=\"1.00\"/>\n"
      "</events>\n";
  CHECK_FALSE(read_events_xml(env.xml, "r.xml", doc, d));
  INFO(dump(d));
  CHECK(has(d, "XML-SCHEMA", 2));
  CHECK(has(d, "XML-SCHEMA", 3));
}

TEST_CASE("xml deep nesting is stopped", "[xml][security]") {
  XmlEnv env;
  std::string doc = "<events xmlns=\"urn:cofin:events:1\">";
  for (int k = 0; k < 10000; ++k) doc += "<a>";
  for (int k = 0; k < 10000; ++k) doc += "</a>";
  doc += "</events>";
  Diagnostics d;
  CHECK_FALSE(env.xml.parse("deep.xml", doc, d));
  CHECK(d.has_errors());
  CHECK(d.items().size() <= 102);
}

TEST_CASE("xml text beyond ASCII and the BMP reaches the element tree as UTF-8", "[xml][utf16]") {
  XmlEnv env;
  Diagnostics d;
  const std::string doc =
      "<events xmlns=\"urn:cofin:events:1\"><erdf-paid id=\"E\" project=\"P\" "
      "partner=\"1\" "
      "report=\"1\" payment-ref=\"R\xC4\xAB"
      "ga \xE2\x82\xAC \xF0\x9F\x98\x80 &#x10FFFF;\" date=\"2024-01-31\" "
      "amount=\"1.00\"/></events>";
  const auto root = env.xml.parse("t.xml", doc, d);
  INFO(dump(d));
  REQUIRE(root);
  REQUIRE(root->children.size() == 1);
  CHECK(*root->children[0].attribute("payment-ref") ==
        "R\xC4\xAB"
        "ga \xE2\x82\xAC \xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF");
}

// An unpaired surrogate cannot reach cofin's UTF-16 -> UTF-8 conversion from a document: Xerces'
// scanner refuses it first (UTF-16 input here; in UTF-8 input the encoded surrogate is an
// ill-formed byte sequence). The conversion's own refusal is tested in utf16_test.cpp.
TEST_CASE("xml unpaired surrogate in a UTF-16 document is XML-MALFORMED", "[xml][utf16]") {
  XmlEnv env;
  const auto utf16le = [](std::u16string_view text) {
    std::string bytes = "\xFF\xFE";
    for (char16_t u : text) {
      bytes.push_back(static_cast<char>(u & 0xFF));
      bytes.push_back(static_cast<char>(u >> 8));
    }
    return bytes;
  };
  const std::u16string head = u"<events xmlns=\"urn:cofin:events:1\"><x a=\"a";
  for (const char16_t stray : {char16_t(0xD800), char16_t(0xDC00)}) {
    Diagnostics d;
    std::u16string text = head;
    text += stray;
    text += u"b\"/></events>";
    CHECK_FALSE(env.xml.parse("s.xml", utf16le(text), d));
    INFO(dump(d));
    CHECK(only(d, "XML-MALFORMED"));
  }
  Diagnostics cesu;
  CHECK_FALSE(env.xml.parse(
      "c.xml", "<events xmlns=\"urn:cofin:events:1\"><x a=\"a\xED\xA0\x80\"/></events>", cesu));
  CHECK(only(cesu, "XML-MALFORMED"));
}

// Element positions come from a fast path (an ASCII line, the tag on it) or the general walk
// (non-ASCII before the tag, a tag over several lines); both must give the '<' of the start tag,
// whatever the line ends.
TEST_CASE("xml element positions are where each start tag begins whatever the line ends", "[xml]") {
  XmlEnv env;
  const std::string lines[] = {
      "<events xmlns=\"urn:cofin:events:1\">",
      "  <erdf-paid id=\"A\" project=\"P\" partner=\"1\" report=\"1\" payment-ref=\"R\" "
      "date=\"2024-01-31\" "
      "amount=\"1.00\"/><erdf-paid id=\"B\" project=\"P\" partner=\"1\" report=\"1\" "
      "payment-ref=\"R\" "
      "date=\"2024-01-31\" amount=\"1.00\"/>",
      "<!-- R\xC4\xAB"
      "ga --> <state-paid id=\"C\" project=\"P\" partner=\"1\" report=\"1\" "
      "payment-ref=\"\xE2\x82\xAC\" date=\"2024-01-31\" amount=\"1.00\"/>",
      "   <state-paid id=\"D\" project=\"P\"",
      "      partner=\"1\" report=\"1\" payment-ref=\"R\" date=\"2024-01-31\" amount=\"1.00\"/>",
      "</events>"};
  const std::vector<std::pair<int, int>> expected = {{1, 1}, {2, 3}, {2, 105}, {3, 15}, {4, 4}};
  for (const std::string eol : {"\n", "\r\n", "\r"}) {
    std::string doc;
    for (const auto& line : lines) doc += line + eol;
    Diagnostics d;
    const auto root = env.xml.parse("p.xml", doc, d);
    INFO(dump(d));
    REQUIRE(root);
    std::vector<std::pair<int, int>> got = {{root->line, root->column}};
    for (const auto& child : root->children) got.emplace_back(child.line, child.column);
    CHECK(got == expected);
  }
}
