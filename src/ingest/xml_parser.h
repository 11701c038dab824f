// The XML reading layer: Xerces-C 3.2.4 SAX2 with XSD validation against the schemas compiled
// into the binary (cofin::embedded_schemas()), never loaded from disk or network.
//
// Usage: one XercesRuntime first in main (or in a test), then one XmlContext (it loads and locks
// the grammar pool), then any number of XmlContext::parse calls. Destroy in reverse order.
#pragma once

#include <cstddef>
#include <cstdint>
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

class XmlDocument;

// One element of an XmlDocument, by reference: names, attributes and text as UTF-8 views into the
// document (valid until the document is cleared or parsed into again), with the position where
// its start tag begins (1-based line and column). Cheap to copy.
class XmlNode {
 public:
  std::string_view ns() const;    // namespace URI
  std::string_view name() const;  // local name
  std::string_view text() const;  // the element's own character data, chunks joined
  int line() const;
  int column() const;

  // Returns the attribute's value, or nullptr when absent.
  const std::string_view* attribute(std::string_view local_name) const;
  // The same, searching from the attribute at `hint` on (wrapping round) and setting `hint` to
  // the one after the attribute found: asking for attributes in the order a document writes
  // them finds each at the first comparison. Start with hint 0.
  const std::string_view* attribute(std::string_view local_name, std::uint32_t& hint) const;

  // Returns true when both refer to the same element of the same document.
  bool operator==(const XmlNode& other) const = default;
  // Returns the first child element with this local name, or nullopt.
  std::optional<XmlNode> child(std::string_view local_name) const;

  // The child elements in document order: `for (XmlNode c : node.children())`.
  class Children;
  Children children() const;

 private:
  friend class XmlDocument;
  XmlNode(const XmlDocument* document, std::uint32_t index) : document_(document), index_(index) {}
  const XmlDocument* document_;
  std::uint32_t index_;
};

// A parsed document held flat, for reading it without an allocation per element: the elements in
// one vector in document order, their attributes in another, every name, value and text in one
// arena of large blocks. Parsing into a document clears it but keeps its storage, so a document
// reused for the files one thread reads stops allocating after the largest of them.
class XmlDocument {
 public:
  XmlDocument();
  ~XmlDocument();
  XmlDocument(const XmlDocument&) = delete;
  XmlDocument& operator=(const XmlDocument&) = delete;

  // Returns the root element. REQUIRES: the last XmlContext::parse_into returned true.
  XmlNode root() const { return XmlNode(this, 0); }
  // Returns the element at `index` (document order). REQUIRES: index < element_count().
  XmlNode node(std::uint32_t index) const { return XmlNode(this, index); }

  // Returns the element tree as XmlElement values (for callers of XmlContext::parse).
  // REQUIRES: as root().
  XmlElement to_element() const;

  // Forgets every element (views into the document become invalid); keeps the storage.
  void clear();

  // --- Building, for XmlContext::parse_into's handler. ---
  static constexpr std::uint32_t kNone = 0xFFFFFFFF;
  struct Attribute {
    std::string_view name;
    std::string_view value;
  };
  struct Element {
    std::string_view ns;
    std::string_view name;
    std::string_view text;
    int line = 0;
    int column = 0;
    std::uint32_t first_attribute = 0;
    std::uint32_t attribute_count = 0;
    std::uint32_t first_child = kNone;
    std::uint32_t last_child = kNone;
    std::uint32_t next_sibling = kNone;
  };
  // Returns the index of a new element, the last child of `parent` (kNone for the root).
  std::uint32_t add_element(std::uint32_t parent);
  Element& element(std::uint32_t index) { return elements_[index]; }
  const Element& element(std::uint32_t index) const { return elements_[index]; }
  std::uint32_t element_count() const { return static_cast<std::uint32_t>(elements_.size()); }
  // Adds an attribute to the element added last.
  void add_attribute(std::string_view name, std::string_view value);
  const Attribute& attribute(std::uint32_t index) const { return attributes_[index]; }
  // Returns `size` bytes of the arena, valid until clear(). The last allocation may be given
  // back in part with shrink_last.
  char* allocate(std::size_t size) {
    if (static_cast<std::size_t>(end_ - cursor_) < size) return allocate_in_another_block(size);
    char* const out = cursor_;
    cursor_ += size;
    return out;
  }
  // Returns to the arena the bytes of the last allocation after its first `used`.
  void shrink_last(std::size_t allocated, std::size_t used) { cursor_ -= allocated - used; }
  // Returns the free bytes of the arena's current block (at least `at_least` of them, moving to
  // another block if need be) and sets `available` to their number. They stay free until
  // commit(size) allocates the first `size` of them; any other allocation may reuse them.
  char* free_space(std::size_t at_least, std::size_t& available) {
    if (static_cast<std::size_t>(end_ - cursor_) < at_least) {
      allocate_in_another_block(at_least);
      cursor_ -= at_least;
    }
    available = static_cast<std::size_t>(end_ - cursor_);
    return cursor_;
  }
  // Allocates the first `size` bytes returned by the last free_space. REQUIRES: size <= its
  // `available`, and no allocation since.
  void commit(std::size_t size) { cursor_ += size; }

 private:
  struct Block {
    std::unique_ptr<char[]> bytes;
    std::size_t size = 0;
  };
  std::vector<Element> elements_;
  std::vector<Attribute> attributes_;
  // allocate() when the current block has too little room left.
  char* allocate_in_another_block(std::size_t size);

  std::vector<Block> blocks_;
  std::size_t block_ = 0;   // the block being filled, when cursor_ is not null
  char* cursor_ = nullptr;  // its first free byte (null: no block yet)
  char* end_ = nullptr;     // its end
};

class XmlNode::Children {
 public:
  class iterator {
   public:
    using value_type = XmlNode;
    using difference_type = std::ptrdiff_t;
    iterator() = default;
    iterator(const XmlDocument* document, std::uint32_t index)
        : document_(document), index_(index) {}
    XmlNode operator*() const;
    iterator& operator++() {
      index_ = document_->element(index_).next_sibling;
      return *this;
    }
    iterator operator++(int) {
      iterator before = *this;
      ++*this;
      return before;
    }
    bool operator==(const iterator& other) const { return index_ == other.index_; }

   private:
    const XmlDocument* document_ = nullptr;
    std::uint32_t index_ = XmlDocument::kNone;
  };
  Children(const XmlDocument* document, std::uint32_t first) : document_(document), first_(first) {}
  iterator begin() const { return iterator(document_, first_); }
  iterator end() const { return iterator(document_, XmlDocument::kNone); }
  bool empty() const { return first_ == XmlDocument::kNone; }
  // Returns the number of children (by walking them).
  std::size_t size() const {
    std::size_t count = 0;
    for (auto it = begin(); it != end(); ++it) ++count;
    return count;
  }

 private:
  const XmlDocument* document_;
  std::uint32_t first_;
};

inline std::string_view XmlNode::ns() const {
  return document_->element(index_).ns;
}
inline std::string_view XmlNode::name() const {
  return document_->element(index_).name;
}
inline std::string_view XmlNode::text() const {
  return document_->element(index_).text;
}
inline int XmlNode::line() const {
  return document_->element(index_).line;
}
inline int XmlNode::column() const {
  return document_->element(index_).column;
}
inline XmlNode::Children XmlNode::children() const {
  return Children(document_, document_->element(index_).first_child);
}
inline XmlNode XmlNode::Children::iterator::operator*() const {
  return XmlNode(document_, index_);
}

// Who checks a schema's identity constraints (xs:unique, xs:key, xs:keyref).
enum class IdentityChecks {
  kXerces,  // Xerces, while it validates: every document kind but one
  // The caller, after the parse: read_control_xml, whose one xs:unique (each line decided once)
  // cost Xerces 13 k instructions per decision, a third of the whole parse (issue #6).
  kCaller,
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

  // The same parse into `document` (cleared first; its storage is reused), without building
  // XmlElement values. Returns true when document.root() holds the document, false after adding
  // at least one error (the same diagnostics as parse). With IdentityChecks::kCaller the
  // schema's identity constraints are not checked: REQUIRES then that the caller checks them.
  bool parse_into(XmlDocument& document, std::string_view file, std::string_view bytes,
                  Diagnostics& diags, std::string_view expected_namespace = {},
                  IdentityChecks identity = IdentityChecks::kXerces) const;

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
// document), no external DTD, no default entity resolution, identity constraints checked unless
// `identity` leaves them to the caller, no full schema checking (done once when the pool is
// loaded); and `security`, with kXmlEntityExpansionLimit, which must outlive the reader's parses.
// XmlContext uses it; exposed so that the benchmark's Xerces floor validates exactly as cofin
// does.
void configure_xml_reader(xercesc::SAX2XMLReader& reader, xercesc::SecurityManager& security,
                          IdentityChecks identity = IdentityChecks::kXerces);

// Returns the namespace URI of the document's root element by a cheap scan of the prolog and the
// root start tag (no validation, no Xerces), "" for a root in no namespace, or nullopt when no
// root start tag is found. Use it to tell the kind of a file before reading it.
std::optional<std::string> xml_root_namespace(std::string_view bytes);

// Returns true when the prolog of `bytes` holds a DOCTYPE declaration (cheap scan).
bool xml_has_doctype(std::string_view bytes);

}  // namespace cofin
