#include "ingest/xml_parser.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <tuple>
#include <xercesc/framework/MemBufInputSource.hpp>
#include <xercesc/framework/XMLGrammarPoolImpl.hpp>
#include <xercesc/sax/EntityResolver.hpp>
#include <xercesc/sax/Locator.hpp>
#include <xercesc/sax/SAXParseException.hpp>
#include <xercesc/sax2/Attributes.hpp>
#include <xercesc/sax2/DefaultHandler.hpp>
#include <xercesc/sax2/SAX2XMLReader.hpp>
#include <xercesc/sax2/XMLReaderFactory.hpp>
#include <xercesc/util/OutOfMemoryException.hpp>
#include <xercesc/util/PlatformUtils.hpp>
#include <xercesc/util/SecurityManager.hpp>
#include <xercesc/util/TransService.hpp>
#include <xercesc/util/TranscodingException.hpp>
#include <xercesc/util/XMLException.hpp>
#include <xercesc/util/XMLString.hpp>
#include <xercesc/util/XMLUni.hpp>
#include <xercesc/validators/common/Grammar.hpp>

#include "ingest/encoding.h"
#include "ingest/utf16.h"

namespace cofin {

// Defined by the build (cmake/embed_schemas.cmake): the XSDs compiled into the binary.
const std::vector<std::pair<std::string_view, std::string_view>>& embedded_schemas();

namespace {

namespace xc = xercesc;

constexpr std::size_t kMaxErrors = 100;
constexpr std::size_t kMaxDepth = 16;

constexpr std::string_view kKnownNamespaces[] = {kJobNamespace,      kProgrammeNamespace,
                                                 kRegistryNamespace, kReportNamespace,
                                                 kControlNamespace,  kEventsNamespace};

// Xerces' wording (3.2.4, messages compiled in) of the reports the handler refines.
constexpr std::string_view kDuplicateUnique = "duplicate identity constraint";
constexpr std::string_view kNotAllowedPrefix = "element '";
constexpr std::string_view kNotAllowedSuffix = "' is not allowed for content model";

constexpr std::u16string_view kXsiNamespace16 = u"http://www.w3.org/2001/XMLSchema-instance";

std::u16string_view view(const XMLCh* text) {
  return text == nullptr ? std::u16string_view() : std::u16string_view(text);
}

// Appends the document text `text` to `out` as UTF-8. An unpaired surrogate throws Xerces' own
// TranscodingException (Trans_BadSrcSeq, "invalid multi-byte sequence"), the exception its
// TranscodeToStr threw before cofin converted by hand, so such a parse ends as it did: Xerces
// turns an exception from a handler into fatalError at the current position, which makes it
// XML-MALFORMED "not well-formed XML: invalid multi-byte sequence". (Xerces' scanner rejects
// unpaired surrogates in documents before they reach a handler; this is the defence behind it.)
void append_text(std::u16string_view text, std::string& out) {
  if (!append_utf8(text, out)) {
    throw xc::TranscodingException(__FILE__, __LINE__, xc::XMLExcepts::Trans_BadSrcSeq,
                                   xc::XMLPlatformUtils::fgMemoryManager);
  }
}

// Returns `text` as UTF-8 in `document`'s arena; throws as append_text on an unpaired surrogate.
std::string_view arena_text(std::u16string_view text, XmlDocument& document) {
  if (text.empty()) return {};
  const std::size_t room = max_utf8_length(text.size());
  char* const out = document.allocate(room);
  const std::ptrdiff_t written = write_utf8(text, out);
  if (written < 0) {
    document.shrink_last(room, 0);
    throw xc::TranscodingException(__FILE__, __LINE__, xc::XMLExcepts::Trans_BadSrcSeq,
                                   xc::XMLPlatformUtils::fgMemoryManager);
  }
  const auto size = static_cast<std::size_t>(written);
  document.shrink_last(room, size);
  return std::string_view(out, size);
}

// The free bytes arena_cstr asks for before it copies: most names and values are shorter.
constexpr std::size_t kShortText = 256;

// Returns the NUL-terminated `text` as UTF-8 in `document`'s arena (nullptr as ""). An ASCII text
// is copied in one pass, with no separate scan for its length; the rest goes the general way.
// Throws as append_text on an unpaired surrogate.
std::string_view arena_cstr(const XMLCh* text, XmlDocument& document) {
  if (text == nullptr || *text == 0) return {};
  std::size_t available = 0;
  char* const out = document.free_space(kShortText, available);
  std::size_t k = 0;
  // One test for "ASCII and not the end": unit - 1 wraps to 0xFFFF for the terminating NUL.
  while (k < available && static_cast<char16_t>(text[k] - 1) < 0x7F) {
    out[k] = static_cast<char>(text[k]);
    ++k;
  }
  if (k < available && text[k] == 0) {
    document.commit(k);
    return std::string_view(out, k);
  }
  return arena_text(view(text), document);  // not ASCII, or longer than the block's rest
}

// Returns true when the qualified name `qname` has a prefix (holds a ':').
bool has_prefix(const XMLCh* qname) {
  for (const XMLCh* p = qname; p != nullptr && *p != 0; ++p) {
    if (*p == u':') return true;
  }
  return false;
}

std::string text_utf8(std::u16string_view text) {
  std::string out;
  append_text(text, out);
  return out;
}

// Xerces' messages and system ids, quoted in diagnostics: never fails.
std::string utf8(const XMLCh* text) {
  return utf8_replacing_invalid(view(text));
}

// Returns `text` with each byte that is not part of well-formed UTF-8 replaced by U+FFFD. A file
// name is bytes, not text, on POSIX; Xerces throws UTFDataFormatException on ill-formed UTF-8,
// which from a document's name would end the whole run.
std::string well_formed_utf8(std::string_view text) {
  std::string out;
  for (std::size_t bad = 0; !is_valid_utf8(text, &bad); text.remove_prefix(bad + 1)) {
    out.append(text.substr(0, bad));
    out.append("\xEF\xBF\xBD");
  }
  out.append(text);
  return out;
}

// Converts UTF-8 to a NUL-terminated XMLCh string.
std::u16string xml_string(std::string_view text) {
  xc::TranscodeFromStr in(reinterpret_cast<const XMLByte*>(text.data()), text.size(), "UTF-8");
  return std::u16string(in.str(), in.length());
}

int clamp_int(XMLFileLoc v) {
  return v > 1'000'000'000 ? 1'000'000'000 : static_cast<int>(v);
}

bool is_line_break(std::string_view b, std::size_t k) {
  return b[k] == '\n' || (b[k] == '\r' && (k + 1 == b.size() || b[k + 1] != '\n'));
}

// Maps Xerces' positions (line, column in characters) onto the bytes, to find where a tag
// starts: Xerces reports the position after a start tag's '>', a record starts at its '<'.
// Works on UTF-8 (and ASCII-compatible single-byte) documents; otherwise positions stay as
// Xerces reports them.
class PositionMap {
 public:
  explicit PositionMap(std::string_view bytes) : bytes_(bytes) {
    usable_ = !(bytes.size() >= 2 && ((static_cast<unsigned char>(bytes[0]) == 0xFE &&
                                       static_cast<unsigned char>(bytes[1]) == 0xFF) ||
                                      (static_cast<unsigned char>(bytes[0]) == 0xFF &&
                                       static_cast<unsigned char>(bytes[1]) == 0xFE) ||
                                      bytes[0] == 0 || bytes[1] == 0));
    has_cr_ = bytes.find('\r') != std::string_view::npos;
  }

  // Returns the line and column of the '<' that begins the tag ending just before (line,
  // column), or (line, column) unchanged when that cannot be found.
  std::pair<int, int> tag_start(int line, int column) {
    if (!usable_ || line < 1 || column < 2) return {line, column};
    const auto start = line_start(line);
    if (!start) return {line, column};
    if (const auto fast = tag_start_on_plain_line(*start, line, column)) return *fast;
    std::size_t k = *start;
    for (int c = 1; c < column && k < bytes_.size(); ++c) {
      if (is_line_break(bytes_, k)) return {line, column};
      k = next_char(k);
    }
    if (k == 0 || k > bytes_.size() || bytes_[k - 1] != '>') return {line, column};
    int crossed = 0;
    std::size_t lt = k - 1;
    while (lt > 0 && bytes_[lt] != '<') {
      --lt;
      if (is_line_break(bytes_, lt)) ++crossed;
    }
    if (bytes_[lt] != '<') return {line, column};
    std::size_t begin = lt;
    while (begin > 0 && !is_line_break(bytes_, begin - 1)) --begin;
    int col = 1;
    for (std::size_t j = begin; j < lt; j = next_char(j)) ++col;
    return {line - crossed, col};
  }

 private:
  // The common case, in a few instructions per byte: the line up to `column` is ASCII without
  // line breaks (so a column is a byte), and the tag's '<' is on it. Returns the same position
  // as the general walk in tag_start, or nullopt when the case does not apply.
  std::optional<std::pair<int, int>> tag_start_on_plain_line(std::size_t start, int line,
                                                             int column) const {
    const std::size_t length = static_cast<std::size_t>(column) - 1;  // up to the '>'
    if (start + length > bytes_.size()) return std::nullopt;
    const char* const first = bytes_.data() + start;
    if (!is_ascii(first, length) || std::memchr(first, '\n', length) != nullptr ||
        (has_cr_ && std::memchr(first, '\r', length) != nullptr) || first[length - 1] != '>') {
      return std::nullopt;
    }
    const void* lt = ::memrchr(first, '<', length - 1);
    if (lt == nullptr) return std::nullopt;
    return std::pair<int, int>{line, static_cast<int>(static_cast<const char*>(lt) - first) + 1};
  }

  // Returns true when the `length` bytes at `p` are all below 0x80, eight at a time.
  static bool is_ascii(const char* p, std::size_t length) {
    constexpr std::uint64_t kHighBits = 0x8080808080808080;
    std::uint64_t seen = 0;
    std::size_t k = 0;
    for (; k + 8 <= length; k += 8) {
      std::uint64_t word;
      std::memcpy(&word, p + k, 8);
      seen |= word;
    }
    for (; k < length; ++k) seen |= static_cast<unsigned char>(p[k]);
    return (seen & kHighBits) == 0;
  }

  // Returns the byte offset where 1-based `line` starts. Lines are asked for in increasing
  // order during a parse, so the scan resumes where it stopped.
  std::optional<std::size_t> line_start(int line) {
    if (line < cursor_line_) {
      cursor_line_ = 1;
      cursor_offset_ = 0;
    }
    while (cursor_line_ < line) {
      if (!has_cr_) {  // then every line ends at a '\n': let memchr find it
        const void* nl =
            std::memchr(bytes_.data() + cursor_offset_, '\n', bytes_.size() - cursor_offset_);
        if (nl == nullptr) return std::nullopt;
        cursor_offset_ = static_cast<std::size_t>(static_cast<const char*>(nl) - bytes_.data()) + 1;
        ++cursor_line_;
        continue;
      }
      while (cursor_offset_ < bytes_.size() && !is_line_break(bytes_, cursor_offset_)) {
        ++cursor_offset_;
      }
      if (cursor_offset_ >= bytes_.size()) return std::nullopt;
      ++cursor_offset_;
      ++cursor_line_;
    }
    return cursor_offset_;
  }

  // Returns the offset of the character after the one at `k`. A 4-byte UTF-8 sequence counts as
  // two characters in Xerces' UTF-16 columns; that rare case only shifts a column.
  std::size_t next_char(std::size_t k) const {
    ++k;
    while (k < bytes_.size() && (static_cast<unsigned char>(bytes_[k]) & 0xC0) == 0x80) ++k;
    return k;
  }

  std::string_view bytes_;
  bool usable_ = true;
  bool has_cr_ = false;  // a '\r' anywhere: then lines may also end at "\r" or "\r\n"
  int cursor_line_ = 1;
  std::size_t cursor_offset_ = 0;
};

// Thrown by the handler to end a parse whose outcome is already decided.
class StopParse : public xc::SAXException {
 public:
  StopParse() : xc::SAXException(u"cofin: parse stopped") {}
};

// Serves only the embedded schemas, by exact name; refuses everything else with an empty source
// (which fails the load) and remembers what it refused.
class EmbeddedSchemaResolver : public xc::EntityResolver {
 public:
  xc::InputSource* resolveEntity(const XMLCh* const /*public_id*/,
                                 const XMLCh* const system_id) override {
    const std::string id = utf8(system_id);
    for (const auto& [name, content] : embedded_schemas()) {
      if (id == name) {
        return new xc::MemBufInputSource(reinterpret_cast<const XMLByte*>(content.data()),
                                         content.size(), system_id, false);
      }
    }
    refused.push_back(id);
    return new xc::MemBufInputSource(reinterpret_cast<const XMLByte*>(""), 0, system_id, false);
  }
  std::vector<std::string> refused;
};

// Refuses every external resource a document might name; remembers what was asked for.
class RefuseAllResolver : public xc::EntityResolver {
 public:
  xc::InputSource* resolveEntity(const XMLCh* const /*public_id*/,
                                 const XMLCh* const system_id) override {
    refused.push_back(utf8(system_id));
    return new xc::MemBufInputSource(reinterpret_cast<const XMLByte*>(""), 0, system_id, false);
  }
  std::vector<std::string> refused;
};

// Collects schema compilation errors while the grammar pool is loaded.
class SchemaLoadErrors : public xc::DefaultHandler {
 public:
  void error(const xc::SAXParseException& e) override { record(e); }
  void fatalError(const xc::SAXParseException& e) override {
    record(e);
    throw e;
  }
  void record(const xc::SAXParseException& e) {
    messages.push_back(utf8(e.getSystemId()) + ":" + std::to_string(e.getLineNumber()) + ": " +
                       utf8(e.getMessage()));
  }
  std::vector<std::string> messages;
};

// Builds the flat element tree in an XmlDocument and turns Xerces' reports into diagnostics.
class TreeHandler : public xc::DefaultHandler {
 public:
  TreeHandler(XmlDocument& document, std::string_view file, std::string_view bytes,
              std::string_view expected_ns)
      : document_(document),
        file_(file),
        bytes_(bytes),
        expected_ns_(expected_ns),
        positions_(bytes) {}

  // --- ContentHandler ---
  void setDocumentLocator(const xc::Locator* const locator) override { locator_ = locator; }

  void startElement(const XMLCh* const uri, const XMLCh* const local_name,
                    const XMLCh* const /*qname*/, const xc::Attributes& attrs) override {
    const std::uint32_t parent = stack_.empty() ? XmlDocument::kNone : stack_.back();
    const std::uint32_t index = document_.add_element(parent);
    {
      XmlDocument::Element& el = document_.element(index);
      el.ns = namespace_utf8(uri);
      el.name = arena_cstr(local_name, document_);
      // Where the start tag ends, as Xerces reports it: resolve_positions() turns it into where
      // the tag begins after the parse, away from Xerces' loop (its code stays in the cache).
      std::tie(el.line, el.column) = position();
    }
    const XMLSize_t count = attrs.getLength();
    for (XMLSize_t k = 0; k < count; ++k) {
      // An attribute without a prefix is in no namespace (Namespaces in XML 1.0, 6.2): its URI,
      // a string-pool look-up, is only needed for a prefixed one.
      const std::u16string_view attr_ns =
          has_prefix(attrs.getQName(k)) ? view(attrs.getURI(k)) : std::u16string_view();
      if (attr_ns == kXsiNamespace16) {
        refuse_schema_hint(index, attrs, k);
        continue;
      }
      if (!attr_ns.empty()) continue;  // not part of cofin's vocabulary; the schema decides
      const std::string_view name = arena_cstr(attrs.getLocalName(k), document_);
      document_.add_attribute(name, arena_cstr(attrs.getValue(k), document_));
    }
    const XmlNode node = node_at(index);
    if (stack_.empty()) check_root(node);
    report_duplicate(node);
    if (stack_.size() >= kMaxDepth) {
      const auto [line, column] = tag_start(node);
      add(Severity::kError, "XML-SCHEMA", line, column, std::string(node.name()),
          "element " + quote(node.name()) + " is nested deeper than " + std::to_string(kMaxDepth) +
              " levels");
      throw StopParse();
    }
    stack_.push_back(index);
    // The text buffers are kept per depth and reused, so their capacity is allocated once.
    if (text_.size() < stack_.size()) text_.emplace_back();
    text_[stack_.size() - 1].clear();
  }

  void endElement(const XMLCh* const /*uri*/, const XMLCh* const /*local_name*/,
                  const XMLCh* const /*qname*/) override {
    report_duplicate(node_at(stack_.back()));
    const std::uint32_t index = stack_.back();
    stack_.pop_back();
    document_.element(index).text = arena_text(text_[stack_.size()], document_);
    if (stack_.empty()) complete_ = true;
  }

  void characters(const XMLCh* const chars, const XMLSize_t length) override {
    if (!stack_.empty()) text_[stack_.size() - 1].append(chars, length);
  }

  // --- LexicalHandler: with XERCES_DISABLE_DTD the scanner stops before this; belt and braces.
  void startDTD(const XMLCh* const, const XMLCh* const, const XMLCh* const) override {
    doctype_ = true;
    add(Severity::kError, "XML-DOCTYPE", position().first, position().second, "",
        doctype_message());
    throw StopParse();
  }

  // --- ErrorHandler ---
  void warning(const xc::SAXParseException&) override {}

  void error(const xc::SAXParseException& e) override {
    std::string message = utf8(e.getMessage());
    auto [line, column] =
        positions_.tag_start(clamp_int(e.getLineNumber()), clamp_int(e.getColumnNumber()));
    const std::optional<XmlNode> current =
        stack_.empty() ? std::nullopt : std::optional<XmlNode>(node_at(stack_.back()));
    if (message.find(kDuplicateUnique) != std::string::npos) {
      // Xerces reports a repeated unique value just before the next callback about the element
      // that repeats it: startElement for an empty element, endElement for one with content.
      pending_duplicate_ = message;
      ++errors_;
    } else {
      if (current) locate_not_allowed_child(message, *current, line, column);
      add(Severity::kError, "XML-SCHEMA", line, column, "", message);
    }
    if (errors_ >= kMaxErrors) {
      add(Severity::kError, "XML-SCHEMA", line, column, "",
          "more than " + std::to_string(kMaxErrors) + " errors: reading stopped");
      throw StopParse();
    }
  }

  void fatalError(const xc::SAXParseException& e) override {
    const int line = clamp_int(e.getLineNumber());
    const int column = clamp_int(e.getColumnNumber());
    if (doctype_ || xml_has_doctype(bytes_)) {
      doctype_ = true;
      add(Severity::kError, "XML-DOCTYPE", line, column, "", doctype_message());
    } else {
      malformed_ = true;
      add(Severity::kError, "XML-MALFORMED", line, column, "",
          "not well-formed XML: " + utf8(e.getMessage()));
    }
    throw StopParse();
  }

  // Records a failure reported by an exception that reached the parse call.
  void failed(std::string message) {
    if (malformed_ || doctype_ || namespace_error_) return;  // already said why
    if (xml_has_doctype(bytes_)) {
      doctype_ = true;
      add(Severity::kError, "XML-DOCTYPE", 0, 0, "", doctype_message());
    } else {
      malformed_ = true;
      add(Severity::kError, "XML-MALFORMED", 0, 0, "", std::move(message));
    }
  }

  // Moves the diagnostics into `diags`. A namespace or DOCTYPE refusal, or a document that is not
  // well-formed, makes schema errors noise: they are left out.
  void flush(Diagnostics& diags, const std::vector<std::string>& refused) {
    if (pending_duplicate_) {
      --errors_;
      add(Severity::kError, "XML-SCHEMA", 0, 0, "", *pending_duplicate_);
      pending_duplicate_.reset();
    }
    for (const auto& id : refused) {
      add(Severity::kError, "XML-EXTERNAL", 0, 0, "",
          "reference to an external resource " + quote(id) + " refused");
    }
    const bool drop_schema = namespace_error_ || doctype_ || malformed_;
    for (auto& d : diags_) {
      if (drop_schema && (d.rule_id == "XML-SCHEMA" || d.rule_id == "VALUE-DUPLICATE-LINE")) {
        continue;
      }
      diags.add(std::move(d));
    }
    diags_.clear();
  }

  // Returns true when the root element was read to its end tag.
  bool complete() const { return complete_; }

  // Gives every element the position where its start tag begins (the parse stored where it
  // ends). In document order, so the position map's line cursor only moves forward.
  void resolve_positions() {
    for (std::uint32_t k = 0; k < document_.element_count(); ++k) {
      XmlDocument::Element& el = document_.element(k);
      std::tie(el.line, el.column) = positions_.tag_start(el.line, el.column);
    }
  }

 private:
  XmlNode node_at(std::uint32_t index) const { return document_.node(index); }

  // Reports an xsi:schemaLocation or xsi:noNamespaceSchemaLocation, the k-th of `attrs`, on the
  // element at `index`; other xsi attributes are the schema's business.
  [[gnu::cold, gnu::noinline]] void refuse_schema_hint(std::uint32_t index,
                                                       const xc::Attributes& attrs, XMLSize_t k) {
    std::string attr_name = text_utf8(view(attrs.getLocalName(k)));
    if (attr_name == "schemaLocation" || attr_name == "noNamespaceSchemaLocation") {
      const auto [line, column] = tag_start(node_at(index));
      add(Severity::kError, "XML-EXTERNAL", line, column, "xsi:" + attr_name,
          "xsi:" + attr_name + " " + quote(text_utf8(view(attrs.getValue(k)))) +
              " refused: cofin validates with its own schemas only");
    }
  }

  [[gnu::noinline]] void check_root(XmlNode root) {
    std::string problem;
    if (root.ns().empty()) {
      problem = "root element " + quote(root.name()) + " is in no namespace";
    } else if (std::find(std::begin(kKnownNamespaces), std::end(kKnownNamespaces), root.ns()) ==
               std::end(kKnownNamespaces)) {
      problem =
          "root element " + quote(root.name()) + " is in the unknown namespace " + quote(root.ns());
    } else if (!expected_ns_.empty() && root.ns() != expected_ns_) {
      problem = "root element " + quote(root.name()) + " is in namespace " + quote(root.ns());
    } else {
      return;
    }
    if (!expected_ns_.empty()) {
      problem += ": expected xmlns=\"" + std::string(expected_ns_) + "\"";
    } else {
      problem += ": expected one of cofin's namespaces (urn:cofin:...:1)";
    }
    namespace_error_ = true;
    const auto [line, column] = tag_start(root);
    add(Severity::kError, "XML-NAMESPACE", line, column, std::string(root.name()),
        std::move(problem));
    throw StopParse();
  }

  // Reports a pending repeated unique value on `dup`, the element that repeats it.
  void report_duplicate(XmlNode dup) {
    if (pending_duplicate_) report_pending_duplicate(dup);
  }

  [[gnu::cold, gnu::noinline]] void report_pending_duplicate(XmlNode dup) {
    const auto [line, column] = tag_start(dup);
    const std::string message = std::move(*pending_duplicate_);
    pending_duplicate_.reset();
    --errors_;  // counted when it was noticed
    if (dup.name() == "line" && dup.ns() == kReportNamespace) {
      const std::string_view* n = dup.attribute("line");
      add(Severity::kError, "VALUE-DUPLICATE-LINE", line, column, "line",
          "line number " + quote(n ? *n : "") + " appears twice in the report");
    } else {
      add(Severity::kError, "XML-SCHEMA", line, column, std::string(dup.name()),
          "element " + quote(dup.name()) + " repeats a value that must be unique (" + message +
              ")");
    }
  }

  // Xerces checks an element's content model at its end tag; when it names a child that is not
  // allowed there, point at that child instead of at the parent's end tag.
  void locate_not_allowed_child(const std::string& message, XmlNode parent, int& line,
                                int& column) {
    if (!message.starts_with(kNotAllowedPrefix)) return;
    const auto end = message.find(kNotAllowedSuffix);
    if (end == std::string::npos) return;
    const std::string name =
        message.substr(kNotAllowedPrefix.size(), end - kNotAllowedPrefix.size());
    if (const std::optional<XmlNode> child = parent.child(name)) {
      std::tie(line, column) = tag_start(*child);
    }
  }

  static std::string doctype_message() {
    return "DOCTYPE declaration refused: cofin reads no DTDs and no entity declarations";
  }

  // Returns the element namespace `uri` as UTF-8 in the document. A document has one or two
  // namespaces, so the last one converted is kept.
  // Xerces hands the same pooled string for the same URI, so the pointer is compared first.
  std::string_view namespace_utf8(const XMLCh* uri) {
    if (uri != nullptr && uri == last_uri_) return last_ns_;
    const std::u16string_view text = view(uri);
    if (text != last_ns16_) {
      last_ns16_.assign(text);
      last_ns_ = arena_text(text, document_);
    }
    last_uri_ = uri;
    return last_ns_;
  }

  std::pair<int, int> position() const {
    if (locator_ == nullptr) return {0, 0};
    return {clamp_int(locator_->getLineNumber()), clamp_int(locator_->getColumnNumber())};
  }

  // Returns where the start tag of `node` begins. REQUIRES: the parse is still running (the
  // element holds Xerces' position, where the tag ends).
  std::pair<int, int> tag_start(XmlNode node) {
    return positions_.tag_start(node.line(), node.column());
  }

  void add(Severity severity, std::string rule_id, int line, int column, std::string field,
           std::string message) {
    if (severity == Severity::kError) ++errors_;
    diags_.push_back(Diagnostic{severity, std::move(rule_id), file_, line, column, std::move(field),
                                std::move(message), std::nullopt, 0});
  }

  XmlDocument& document_;
  std::string file_;
  std::string_view bytes_;
  std::string_view expected_ns_;
  PositionMap positions_;
  const xc::Locator* locator_ = nullptr;
  std::vector<std::uint32_t> stack_;  // the open elements, by index in document_
  std::vector<std::u16string> text_;  // character data of the open elements, by depth
  std::u16string last_ns16_;
  std::string_view last_ns_;
  const XMLCh* last_uri_ = nullptr;  // the pointer last_ns16_ was read from
  bool complete_ = false;
  std::vector<Diagnostic> diags_;
  std::size_t errors_ = 0;
  bool doctype_ = false;
  bool namespace_error_ = false;
  bool malformed_ = false;
  std::optional<std::string> pending_duplicate_;
};

// Skips the XML declaration, comments, processing instructions and whitespace at `k`.
std::size_t skip_misc(std::string_view b, std::size_t k) {
  for (;;) {
    while (k < b.size() && (b[k] == ' ' || b[k] == '\t' || b[k] == '\r' || b[k] == '\n')) ++k;
    if (b.substr(k, 4) == "<!--") {
      const auto end = b.find("-->", k + 4);
      if (end == std::string_view::npos) return b.size();
      k = end + 3;
    } else if (b.substr(k, 2) == "<?") {
      const auto end = b.find("?>", k + 2);
      if (end == std::string_view::npos) return b.size();
      k = end + 2;
    } else {
      return k;
    }
  }
}

std::size_t skip_bom(std::string_view b) {
  return b.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
}

bool is_name_char(char c) {
  return c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != '>' && c != '/' && c != '=' &&
         c != '"' && c != '\'' && c != '<';
}

}  // namespace

// ---------------------------------------------------------------------------------------------

XercesRuntime::XercesRuntime() {
  // Xerces 3.2.4 has no SAX switch to disallow DOCTYPE (CVE-2018-1311 mitigation): with this
  // variable its scanner makes any DOCTYPE fatal. It must be set before Initialize.
  ::setenv("XERCES_DISABLE_DTD", "1", 1);
  try {
    xc::XMLPlatformUtils::Initialize();
  } catch (const xc::XMLException& e) {
    throw std::runtime_error("Xerces-C cannot initialise: " + utf8(e.getMessage()));
  }
}

XercesRuntime::~XercesRuntime() {
  xc::XMLPlatformUtils::Terminate();
}

void configure_xml_reader(xc::SAX2XMLReader& reader, xc::SecurityManager& security,
                          IdentityChecks identity) {
  security.setEntityExpansionLimit(kXmlEntityExpansionLimit);
  reader.setFeature(xc::XMLUni::fgSAX2CoreNameSpaces, true);
  reader.setFeature(xc::XMLUni::fgSAX2CoreNameSpacePrefixes, false);
  reader.setFeature(xc::XMLUni::fgSAX2CoreValidation, true);
  reader.setFeature(xc::XMLUni::fgXercesDynamic, false);  // always validate
  reader.setFeature(xc::XMLUni::fgXercesSchema, true);
  reader.setFeature(xc::XMLUni::fgXercesLoadSchema, false);  // ignore schema hints
  reader.setFeature(xc::XMLUni::fgXercesUseCachedGrammarInParse, true);
  reader.setFeature(xc::XMLUni::fgXercesCacheGrammarFromParse, false);
  reader.setFeature(xc::XMLUni::fgXercesLoadExternalDTD, false);
  reader.setFeature(xc::XMLUni::fgXercesDisableDefaultEntityResolution, true);
  reader.setFeature(xc::XMLUni::fgXercesValidationErrorAsFatal, false);
  reader.setFeature(xc::XMLUni::fgXercesIdentityConstraintChecking,
                    identity == IdentityChecks::kXerces);
  reader.setFeature(xc::XMLUni::fgXercesSchemaFullChecking, false);  // done once, at load
  reader.setProperty(xc::XMLUni::fgXercesSecurityManager, &security);
}

const std::string* XmlElement::attribute(std::string_view local_name) const {
  for (const auto& [name, value] : attributes) {
    if (name == local_name) return &value;
  }
  return nullptr;
}

const XmlElement* XmlElement::child(std::string_view local_name) const {
  for (const auto& c : children) {
    if (c.name == local_name) return &c;
  }
  return nullptr;
}

const std::string_view* XmlNode::attribute(std::string_view local_name) const {
  const XmlDocument::Element& el = document_->element(index_);
  for (std::uint32_t k = 0; k < el.attribute_count; ++k) {
    const XmlDocument::Attribute& a = document_->attribute(el.first_attribute + k);
    if (a.name == local_name) return &a.value;
  }
  return nullptr;
}

const std::string_view* XmlNode::attribute(std::string_view local_name, std::uint32_t& hint) const {
  // An element's stored attributes have distinct names (a repeated attribute is not
  // well-formed, and those in a namespace are not stored), so the one found is the only one.
  const XmlDocument::Element& el = document_->element(index_);
  const std::uint32_t count = el.attribute_count;
  std::uint32_t k = hint < count ? hint : 0;
  for (std::uint32_t tried = 0; tried < count; ++tried) {
    const XmlDocument::Attribute& a = document_->attribute(el.first_attribute + k);
    ++k;
    if (k == count) k = 0;
    if (a.name == local_name) {
      hint = k;
      return &a.value;
    }
  }
  return nullptr;
}

std::optional<XmlNode> XmlNode::child(std::string_view local_name) const {
  for (XmlNode c : children()) {
    if (c.name() == local_name) return c;
  }
  return std::nullopt;
}

namespace {

// The arena's block size: a 500-line report needs about 60 KiB of text, so one or two blocks.
constexpr std::size_t kArenaBlock = 64 * 1024;

// What a cleared document keeps for the next parse: enough for a report of a few thousand lines.
// A larger document's storage is released, so that a thread that once read a huge file does not
// hold its memory for the rest of the run.
constexpr std::size_t kKeptBlocks = 16;             // 1 MiB of text
constexpr std::size_t kKeptElements = 64 * 1024;    // 3.5 MiB
constexpr std::size_t kKeptAttributes = 64 * 1024;  // 2 MiB

XmlElement element_value(const XmlDocument& document, std::uint32_t index) {
  const XmlDocument::Element& from = document.element(index);
  XmlElement el;
  el.ns = std::string(from.ns);
  el.name = std::string(from.name);
  el.text = std::string(from.text);
  el.line = from.line;
  el.column = from.column;
  for (std::uint32_t k = 0; k < from.attribute_count; ++k) {
    const XmlDocument::Attribute& a = document.attribute(from.first_attribute + k);
    el.attributes.emplace_back(std::string(a.name), std::string(a.value));
  }
  for (std::uint32_t c = from.first_child; c != XmlDocument::kNone;
       c = document.element(c).next_sibling) {
    el.children.push_back(element_value(document, c));
  }
  return el;
}

}  // namespace

XmlDocument::XmlDocument() = default;
XmlDocument::~XmlDocument() = default;

void XmlDocument::clear() {
  elements_.clear();
  attributes_.clear();
  if (elements_.capacity() > kKeptElements) std::vector<Element>().swap(elements_);
  if (attributes_.capacity() > kKeptAttributes) std::vector<Attribute>().swap(attributes_);
  if (blocks_.size() > kKeptBlocks) blocks_.resize(kKeptBlocks);
  block_ = 0;
  cursor_ = blocks_.empty() ? nullptr : blocks_[0].bytes.get();
  end_ = blocks_.empty() ? nullptr : blocks_[0].bytes.get() + blocks_[0].size;
}

std::uint32_t XmlDocument::add_element(std::uint32_t parent) {
  const auto index = static_cast<std::uint32_t>(elements_.size());
  if (index == kNone) throw std::length_error("XML document has too many elements");
  Element& el = elements_.emplace_back();
  el.first_attribute = static_cast<std::uint32_t>(attributes_.size());
  if (parent != kNone) {
    Element& p = elements_[parent];
    if (p.last_child == kNone) {
      p.first_child = index;
    } else {
      elements_[p.last_child].next_sibling = index;
    }
    p.last_child = index;
  }
  return index;
}

void XmlDocument::add_attribute(std::string_view name, std::string_view value) {
  attributes_.push_back(Attribute{name, value});
  ++elements_.back().attribute_count;
}

char* XmlDocument::allocate_in_another_block(std::size_t size) {
  // Blocks are never moved or freed before the document is destroyed, so views stay valid;
  // a block too small for `size` is skipped (its rest unused until the next clear).
  std::size_t next = cursor_ == nullptr ? 0 : block_ + 1;
  while (next < blocks_.size() && blocks_[next].size < size) ++next;
  if (next == blocks_.size()) {
    Block block;
    block.size = std::max(kArenaBlock, size);
    block.bytes = std::make_unique_for_overwrite<char[]>(block.size);
    blocks_.push_back(std::move(block));
  }
  block_ = next;
  cursor_ = blocks_[next].bytes.get() + size;
  end_ = blocks_[next].bytes.get() + blocks_[next].size;
  return blocks_[next].bytes.get();
}

XmlElement XmlDocument::to_element() const {
  return element_value(*this, 0);
}

struct XmlContext::Impl {
  std::unique_ptr<xc::XMLGrammarPool> pool;
};

XmlContext::XmlContext(const XercesRuntime& /*runtime*/) : impl_(std::make_unique<Impl>()) {
  impl_->pool = std::make_unique<xc::XMLGrammarPoolImpl>(xc::XMLPlatformUtils::fgMemoryManager);
  xc::SecurityManager security;
  EmbeddedSchemaResolver resolver;
  SchemaLoadErrors errors;
  {
    std::unique_ptr<xc::SAX2XMLReader> loader(xc::XMLReaderFactory::createXMLReader(
        xc::XMLPlatformUtils::fgMemoryManager, impl_->pool.get()));
    configure_xml_reader(*loader, security);
    loader->setFeature(xc::XMLUni::fgXercesSchemaFullChecking, true);
    loader->setEntityResolver(&resolver);
    loader->setErrorHandler(&errors);
    for (const auto& [name, content] : embedded_schemas()) {
      const std::u16string id = xml_string(name);
      xc::MemBufInputSource source(reinterpret_cast<const XMLByte*>(content.data()), content.size(),
                                   id.c_str(), false);
      xc::Grammar* grammar = nullptr;
      try {
        grammar = loader->loadGrammar(source, xc::Grammar::SchemaGrammarType, true);
      } catch (const xc::SAXException& e) {
        errors.messages.push_back(std::string(name) + ": " + utf8(e.getMessage()));
      } catch (const xc::XMLException& e) {
        errors.messages.push_back(std::string(name) + ": " + utf8(e.getMessage()));
      }
      if (grammar == nullptr && errors.messages.empty()) {
        errors.messages.push_back(std::string(name) + ": not loaded");
      }
    }
  }
  if (!resolver.refused.empty()) {
    errors.messages.push_back("schema refers to " + resolver.refused.front() +
                              ", which is not embedded");
  }
  if (!errors.messages.empty()) {
    throw std::runtime_error("embedded schema does not compile: " + errors.messages.front());
  }
  impl_->pool->lockPool();
}

XmlContext::~XmlContext() = default;

xc::XMLGrammarPool& XmlContext::grammar_pool() const {
  return *impl_->pool;
}

std::optional<XmlElement> XmlContext::parse(std::string_view file, std::string_view bytes,
                                            Diagnostics& diags,
                                            std::string_view expected_namespace) const {
  XmlDocument document;
  if (!parse_into(document, file, bytes, diags, expected_namespace)) return std::nullopt;
  return document.to_element();
}

bool XmlContext::parse_into(XmlDocument& document, std::string_view file, std::string_view bytes,
                            Diagnostics& diags, std::string_view expected_namespace,
                            IdentityChecks identity) const {
  document.clear();
  xc::SecurityManager security;
  RefuseAllResolver resolver;
  TreeHandler handler(document, file, bytes, expected_namespace);
  {
    std::unique_ptr<xc::SAX2XMLReader> reader(xc::XMLReaderFactory::createXMLReader(
        xc::XMLPlatformUtils::fgMemoryManager, impl_->pool.get()));
    configure_xml_reader(*reader, security, identity);
    reader->setEntityResolver(&resolver);
    reader->setContentHandler(&handler);
    reader->setErrorHandler(&handler);
    reader->setLexicalHandler(&handler);
    const std::u16string id = xml_string(well_formed_utf8(file));
    xc::MemBufInputSource source(reinterpret_cast<const XMLByte*>(bytes.data()), bytes.size(),
                                 id.c_str(), false);
    try {
      reader->parse(source);
    } catch (const StopParse&) {
      // already recorded
    } catch (const xc::SAXParseException& e) {
      handler.failed("not well-formed XML: " + utf8(e.getMessage()));
    } catch (const xc::SAXException& e) {
      handler.failed("not well-formed XML: " + utf8(e.getMessage()));
    } catch (const xc::OutOfMemoryException&) {
      handler.failed("the document is too large to read");
    } catch (const xc::XMLException& e) {
      handler.failed("not well-formed XML: " + utf8(e.getMessage()));
    }
  }
  const std::size_t before = diags.error_count();
  handler.flush(diags, resolver.refused);
  if (diags.error_count() > before) return false;
  if (!handler.complete()) {
    diags.error("XML-MALFORMED", std::string(file), 0, 0, "", "no root element");
    return false;
  }
  handler.resolve_positions();
  return true;
}

// ---------------------------------------------------------------------------------------------

bool xml_has_doctype(std::string_view bytes) {
  const std::size_t k = skip_misc(bytes, skip_bom(bytes));
  return bytes.substr(k, 9) == "<!DOCTYPE";
}

std::optional<std::string> xml_root_namespace(std::string_view bytes) {
  std::size_t k = skip_misc(bytes, skip_bom(bytes));
  if (bytes.substr(k, 9) == "<!DOCTYPE") {
    // Skip the DOCTYPE (with an internal subset) to reach the root element.
    const auto subset = bytes.find('[', k);
    const auto close = bytes.find('>', k);
    if (close == std::string_view::npos) return std::nullopt;
    if (subset != std::string_view::npos && subset < close) {
      const auto end = bytes.find("]>", subset);
      if (end == std::string_view::npos) return std::nullopt;
      k = end + 2;
    } else {
      k = close + 1;
    }
    k = skip_misc(bytes, k);
  }
  if (k >= bytes.size() || bytes[k] != '<') return std::nullopt;
  std::size_t end = k + 1;
  while (end < bytes.size() && is_name_char(bytes[end])) ++end;
  const std::string_view qname = bytes.substr(k + 1, end - k - 1);
  if (qname.empty()) return std::nullopt;
  const auto colon = qname.find(':');
  const std::string prefix =
      colon == std::string_view::npos ? "" : std::string(qname.substr(0, colon));
  const std::string wanted = prefix.empty() ? "xmlns" : "xmlns:" + prefix;
  // Read the attributes of the root start tag.
  std::size_t p = end;
  for (;;) {
    while (p < bytes.size() &&
           (bytes[p] == ' ' || bytes[p] == '\t' || bytes[p] == '\r' || bytes[p] == '\n')) {
      ++p;
    }
    if (p >= bytes.size()) return std::nullopt;
    if (bytes[p] == '>' || bytes[p] == '/') return std::string();
    std::size_t name_end = p;
    while (name_end < bytes.size() && is_name_char(bytes[name_end])) ++name_end;
    const std::string_view name = bytes.substr(p, name_end - p);
    std::size_t q = name_end;
    while (q < bytes.size() && bytes[q] != '=') ++q;
    ++q;
    while (q < bytes.size() &&
           (bytes[q] == ' ' || bytes[q] == '\t' || bytes[q] == '\r' || bytes[q] == '\n')) {
      ++q;
    }
    if (q >= bytes.size() || (bytes[q] != '"' && bytes[q] != '\'')) return std::nullopt;
    const char delim = bytes[q];
    const auto close = bytes.find(delim, q + 1);
    if (close == std::string_view::npos) return std::nullopt;
    if (name == wanted) return std::string(bytes.substr(q + 1, close - q - 1));
    p = close + 1;
  }
}

}  // namespace cofin
