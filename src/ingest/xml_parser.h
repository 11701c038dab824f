// The XML reading layer: Xerces-C 3.2.4 SAX2 with XSD validation against the schemas compiled
// into the binary (cofin::embedded_schemas()), never loaded from disk or network.
//
// Usage: one XercesRuntime first in main (or in a test), then one XmlContext (it loads and locks
// the grammar pool), then any number of XmlContext::parse calls. Destroy in reverse order.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>
#include <xercesc/util/XercesDefs.hpp>

#include "model/diagnostic.h"

XERCES_CPP_NAMESPACE_BEGIN
class SAX2XMLReader;
class SecurityManager;
class XMLGrammarPool;
XERCES_CPP_NAMESPACE_END

namespace cofin {

// The namespaces of cofin's XML documents (schemas/*.xsd) and their root elements.
inline constexpr std::string_view kJobNamespace = "urn:cofin:job:1";
inline constexpr std::string_view kProgrammeNamespace = "urn:cofin:programme:1";
inline constexpr std::string_view kRegistryNamespace = "urn:cofin:registry:1";
inline constexpr std::string_view kReportNamespace = "urn:cofin:report:1";
inline constexpr std::string_view kControlNamespace = "urn:cofin:control:1";
inline constexpr std::string_view kEventsNamespace = "urn:cofin:events:1";

// Process-wide Xerces set-up: sets XERCES_DISABLE_DTD=1 (any DOCTYPE is fatal in 3.2.4) and calls
// XMLPlatformUtils::Initialize(); the destructor calls Terminate(). Create it once, first in main,
// on the thread that parses; every other Xerces object must be gone before it is destroyed.
// Throws std::runtime_error when Xerces cannot initialise.
class XercesRuntime {
 public:
  XercesRuntime();
  ~XercesRuntime();
  XercesRuntime(const XercesRuntime&) = delete;
  XercesRuntime& operator=(const XercesRuntime&) = delete;
};

// One element of a parsed document: names, attributes and text as UTF-8, with the position where
// its start tag begins (1-based line and column).
struct XmlElement {
  std::string ns;                                               // namespace URI
  std::string name;                                             // local name
  std::vector<std::pair<std::string, std::string>> attributes;  // local name -> value
  std::string text;  // the element's own character data, chunks joined
  int line = 0;
  int column = 0;
  std::vector<XmlElement> children;

  // Returns the attribute's value, or nullptr when absent.
  const std::string* attribute(std::string_view local_name) const;
  // Returns the first child element with this local name, or nullptr.
  const XmlElement* child(std::string_view local_name) const;
};

// The grammar pool preloaded with every embedded schema and locked; shared read-only by parses.
// Parsers are created per parse call, so one context may serve parses on one thread at a time
// each (the locked pool itself may be shared between threads).
class XmlContext {
 public:
  // Loads all embedded schemas. Throws std::runtime_error when one does not compile (a build
  // defect, not a data problem).
  explicit XmlContext(const XercesRuntime& runtime);
  ~XmlContext();
  XmlContext(const XmlContext&) = delete;
  XmlContext& operator=(const XmlContext&) = delete;

  // Parses and validates `bytes` (a whole document already in memory). `file` names it in
  // diagnostics. When `expected_namespace` is not empty, a root element in another namespace is
  // an XML-NAMESPACE error. Returns the root element, or nullopt after adding at least one error
  // (XML-MALFORMED, XML-DOCTYPE, XML-EXTERNAL, XML-NAMESPACE, XML-SCHEMA, VALUE-DUPLICATE-LINE).
  std::optional<XmlElement> parse(std::string_view file, std::string_view bytes, Diagnostics& diags,
                                  std::string_view expected_namespace = {}) const;

  // Returns the locked grammar pool parse() validates against. For the benchmark's Xerces floor
  // (bench/xerces_floor.cpp), which must validate against the same grammars as cofin.
  xercesc::XMLGrammarPool& grammar_pool() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

// The entity expansion limit of every reader (Xerces' SecurityManager).
inline constexpr XMLSize_t kXmlEntityExpansionLimit = 100;

// Sets on `reader` the features of every cofin parse: namespaces, XSD validation always on and
// only against the grammars cached in the pool (schema hints ignored, no grammar cached from a
// document), no external DTD, no default entity resolution, identity constraints checked, no
// full schema checking (done once when the pool is loaded); and `security`, with
// kXmlEntityExpansionLimit, which must outlive the reader's parses. XmlContext uses it; exposed
// so that the benchmark's Xerces floor validates exactly as cofin does.
void configure_xml_reader(xercesc::SAX2XMLReader& reader, xercesc::SecurityManager& security);

// Returns the namespace URI of the document's root element by a cheap scan of the prolog and the
// root start tag (no validation, no Xerces), "" for a root in no namespace, or nullopt when no
// root start tag is found. Use it to tell the kind of a file before reading it.
std::optional<std::string> xml_root_namespace(std::string_view bytes);

// Returns true when the prolog of `bytes` holds a DOCTYPE declaration (cheap scan).
bool xml_has_doctype(std::string_view bytes);

}  // namespace cofin
